package io.kho4j.host;

import io.kho4j.preserve.PhysRange;
import java.util.List;

/** One RAM range backed by a byte array; see {@link PhysicalMemory#ofHeap}. */
final class HeapPhysicalMemory implements PhysicalMemory {
    private final PhysRange range;
    private final List<PhysRange> ram;
    private final byte[] bytes;

    HeapPhysicalMemory(PhysRange range) {
        this.range = range;
        this.ram = List.of(range);
        this.bytes = new byte[Math.toIntExact(range.size())];
    }

    @Override
    public List<PhysRange> ram() {
        return ram;
    }

    @Override
    public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
        System.arraycopy(bytes, index(phys, length), dst, offset, length);
    }

    @Override
    public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
        System.arraycopy(src, offset, bytes, index(phys, length), length);
    }

    private int index(long phys, int length) throws PhysicalMemoryException {
        if (length < 0 || !isRam(phys, length)) {
            throw new PhysicalMemoryException(phys, length + " bytes here are not RAM (RAM is " + range + ")", null);
        }
        return (int) (phys - range.start());
    }
}
