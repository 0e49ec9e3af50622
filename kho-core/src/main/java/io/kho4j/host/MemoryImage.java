package io.kho4j.host;

import io.kho4j.preserve.PhysRange;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Physical memory backed by a raw image file (DESIGN.md §4 "Memory image"): the byte at file offset
 * {@code phys - base} is the byte at physical address {@code phys}, and RAM is {@code [base, base + file
 * length)}. Accesses are positional {@link FileChannel} reads and writes, so images may exceed 2 GiB and stay
 * sparse: pages never written take no disk space. Not thread-safe; close it when done.
 */
public final class MemoryImage implements PhysicalMemory, Closeable {
    private final FileChannel channel;
    private final boolean ownsChannel;
    private final PhysRange ram;
    private final List<PhysRange> ramList;

    private MemoryImage(FileChannel channel, boolean ownsChannel, PhysRange ram) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.ram = ram;
        this.ramList = List.of(ram);
    }

    /**
     * Opens an existing, non-empty image for reading.
     *
     * @param file the image
     * @param base physical address of its first byte
     * @return the memory
     * @throws IOException if the file cannot be opened or is empty
     */
    public static MemoryImage open(Path file, long base) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return wrap(channel, file, base, channel.size());
    }

    /**
     * Opens an image for reading and writing, creating it or growing it (sparsely) to at least {@code size}
     * bytes; a larger existing file keeps its length.
     *
     * @param file the image
     * @param base physical address of its first byte
     * @param size bytes of RAM it must at least cover
     * @return the memory
     * @throws IOException if the file cannot be created or grown
     */
    public static MemoryImage openWritable(Path file, long base, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (raf.length() < size) {
                raf.setLength(size);
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return wrap(channel, file, base, channel.size());
    }

    /**
     * Uses a channel its caller keeps, for example the temporary file of {@link AtomicFiles#replace}, growing the
     * file (sparsely) to at least {@code size} bytes. Closing the image leaves the channel open.
     *
     * @param channel an image open for reading and writing
     * @param base physical address of its first byte
     * @param size bytes of RAM it must at least cover
     * @return the memory
     * @throws IOException if the file cannot be grown or is empty
     */
    public static MemoryImage over(FileChannel channel, long base, long size) throws IOException {
        if (size > 0 && channel.size() < size) {
            // one byte at the new end: the file system leaves the gap as a hole
            channel.write(ByteBuffer.allocate(1), size - 1);
        }
        return wrap(channel, false, "channel " + channel, base, channel.size());
    }

    private static MemoryImage wrap(FileChannel channel, Path file, long base, long size) throws IOException {
        return wrap(channel, true, file.toString(), base, size);
    }

    private static MemoryImage wrap(FileChannel channel, boolean owns, String file, long base, long size)
            throws IOException {
        try {
            if (size <= 0) {
                throw new IOException("memory image " + file + " is empty");
            }
            return new MemoryImage(channel, owns, new PhysRange(base, size));
        } catch (IOException | IllegalArgumentException e) {
            if (owns) {
                channel.close();
            }
            throw e instanceof IOException io ? io : new IOException("memory image " + file + " at base 0x"
                    + Long.toHexString(base) + " does not fit the physical address space", e);
        }
    }

    @Override
    public List<PhysRange> ram() {
        return ramList;
    }

    @Override
    public boolean isRam(long phys, long length) {
        return phys >= ram.start() && length >= 0 && phys <= ram.end() - length;
    }

    @Override
    public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
        ByteBuffer buffer = ByteBuffer.wrap(dst, offset, length);
        long position = position(phys, length);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position() - offset) < 0) {
                    throw new PhysicalMemoryException(phys, "memory image ends inside this read", null);
                }
            }
        } catch (IOException e) {
            throw new PhysicalMemoryException(phys, "reading the memory image failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
        ByteBuffer buffer = ByteBuffer.wrap(src, offset, length);
        long position = position(phys, length);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer, position + buffer.position() - offset);
            }
        } catch (IOException e) {
            throw new PhysicalMemoryException(phys, "writing the memory image failed: " + e.getMessage(), e);
        }
    }

    private long position(long phys, int length) throws PhysicalMemoryException {
        if (!isRam(phys, length)) {
            throw new PhysicalMemoryException(phys, length + " bytes here are not RAM (RAM is " + ram + ")", null);
        }
        return phys - ram.start();
    }

    /**
     * Forces every write to the storage device, so that the image survives a crash.
     *
     * @throws IOException if the device reports a failure
     */
    public void sync() throws IOException {
        channel.force(true);
    }

    /** Closes the file, unless the image was made {@link #over} a channel its caller keeps. */
    @Override
    public void close() throws IOException {
        if (ownsChannel) {
            channel.close();
        }
    }
}
