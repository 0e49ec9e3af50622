package io.kho4j.host;

import io.kho4j.preserve.PhysRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    @Override
    public void readLongs(long phys, long[] dst, int offset, int count, ByteOrder order)
            throws PhysicalMemoryException {
        view(phys, Math.multiplyExact(count, Long.BYTES)).order(order).asLongBuffer().get(dst, offset, count);
    }

    @Override
    public void writeLongs(long phys, long[] src, int offset, int count, ByteOrder order)
            throws PhysicalMemoryException {
        view(phys, Math.multiplyExact(count, Long.BYTES)).order(order).asLongBuffer().put(src, offset, count);
    }

    /** The heap array itself, wrapped: no copy. */
    @Override
    public ByteBuffer view(long phys, int length) throws PhysicalMemoryException {
        return ByteBuffer.wrap(bytes, index(phys, length), length).slice();
    }

    private int index(long phys, int length) throws PhysicalMemoryException {
        if (length < 0 || !isRam(phys, length)) {
            throw new PhysicalMemoryException(phys, length + " bytes here are not RAM (RAM is " + range + ")", null);
        }
        return (int) (phys - range.start());
    }
}
