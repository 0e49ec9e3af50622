package io.kho4j.preserve;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link PhysicalMemory#sparse} that also counts the 4 KiB frames written, so tests can check that encoders
 * touch memory in proportion to the map and not to RAM.
 */
final class SparseMemory implements PhysicalMemory {
    private static final int FRAME = 4096;

    private final PhysicalMemory memory;
    private final Set<Long> frames = new HashSet<>();
    private long bytesWritten;

    private SparseMemory(List<PhysRange> ram) {
        this.memory = PhysicalMemory.sparse(ram);
    }

    static SparseMemory of(long start, long size) {
        return new SparseMemory(List.of(new PhysRange(start, size)));
    }

    @Override
    public List<PhysRange> ram() {
        return memory.ram();
    }

    @Override
    public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
        memory.read(phys, dst, offset, length);
    }

    @Override
    public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
        memory.write(phys, src, offset, length);
        bytesWritten += length;
        for (long f = phys / FRAME; length > 0 && f <= (phys + length - 1) / FRAME; f++) {
            frames.add(f);
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
