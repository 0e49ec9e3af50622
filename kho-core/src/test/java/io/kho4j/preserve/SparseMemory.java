package io.kho4j.preserve;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test memory over arbitrarily large RAM that stores only the 4 KiB frames written, and counts them, so
 * tests can check that encoders touch memory in proportion to the map and not to RAM.
 */
final class SparseMemory implements PhysicalMemory {
    private static final int FRAME = 4096;

    private final List<PhysRange> ram;
    private final Map<Long, byte[]> frames = new HashMap<>();
    private long bytesWritten;

    SparseMemory(List<PhysRange> ram) {
        this.ram = List.copyOf(ram);
    }

    static SparseMemory of(long start, long size) {
        return new SparseMemory(List.of(new PhysRange(start, size)));
    }

    @Override
    public List<PhysRange> ram() {
        return ram;
    }

    @Override
    public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
        check(phys, length);
        for (int done = 0; done < length; ) {
            long a = phys + done;
            int in = (int) (a % FRAME);
            int n = Math.min(FRAME - in, length - done);
            byte[] f = frames.get(a / FRAME);
            if (f == null) {
                java.util.Arrays.fill(dst, offset + done, offset + done + n, (byte) 0);
            } else {
                System.arraycopy(f, in, dst, offset + done, n);
            }
            done += n;
        }
    }

    @Override
    public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
        check(phys, length);
        bytesWritten += length;
        for (int done = 0; done < length; ) {
            long a = phys + done;
            int in = (int) (a % FRAME);
            int n = Math.min(FRAME - in, length - done);
            System.arraycopy(src, offset + done, frames.computeIfAbsent(a / FRAME, k -> new byte[FRAME]), in, n);
            done += n;
        }
    }

    private void check(long phys, int length) throws PhysicalMemoryException {
        if (length < 0 || !isRam(phys, length)) {
            throw new PhysicalMemoryException(phys, length + " bytes are not RAM", null);
        }
    }

    /** @return distinct 4 KiB frames ever written */
    long framesWritten() {
        return frames.size();
    }

    /** @return total bytes passed to write */
    long bytesWritten() {
        return bytesWritten;
    }
}
