package io.kho4j.cli.internal;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A memory image file (DESIGN.md §4: the byte at file offset {@code phys - base} is the byte at {@code phys}) as
 * read-only {@link PhysicalMemory}. TODO-merge: replace with the memmap engineer's {@code MemoryImage} once it is
 * on this branch.
 */
public final class ImageFileMemory implements PhysicalMemory, AutoCloseable {
    private final FileChannel channel;
    private final PhysRange ram;

    /**
     * @param image the file
     * @param base physical address of its first byte
     * @throws IOException if it cannot be opened, is empty, or would end past 2^63
     */
    public ImageFileMemory(Path image, long base) throws IOException {
        this.channel = FileChannel.open(image, StandardOpenOption.READ);
        long size = channel.size();
        if (size == 0 || base < 0 || base > Long.MAX_VALUE - size) {
            channel.close();
            throw new IOException(image + ": an image of " + size + " bytes at base 0x" + Long.toHexString(base)
                    + " is not usable memory");
        }
        this.ram = new PhysRange(base, size);
    }

    @Override
    public List<PhysRange> ram() {
        return List.of(ram);
    }

    @Override
    public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
        if (length < 0 || !isRam(phys, length)) {
            throw new PhysicalMemoryException(phys, length + " bytes here are not in the image " + ram, null);
        }
        ByteBuffer b = ByteBuffer.wrap(dst, offset, length);
        long at = phys - ram.start();
        try {
            while (b.hasRemaining()) {
                int n = channel.read(b, at + b.position() - offset);
                if (n < 0) {
                    throw new PhysicalMemoryException(phys, "the image ended while reading", null);
                }
            }
        } catch (IOException e) {
            throw new PhysicalMemoryException(phys, "reading the image failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
        throw new PhysicalMemoryException(phys, "the image is opened read-only", null);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
