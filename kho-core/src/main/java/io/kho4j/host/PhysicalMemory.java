package io.kho4j.host;

import io.kho4j.preserve.PhysRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Byte-addressed physical memory: a simulated machine's memory image, or a buffer in tests.
 *
 * <p>Every access names a physical address and is checked against {@link #ram()}; an access that is not
 * entirely inside one RAM range throws {@link PhysicalMemoryException} with the address. Multi-byte
 * reads take an explicit byte order because KHO values are CPU-native while DT cells are big-endian.
 */
public interface PhysicalMemory {

    /** @return the RAM ranges, sorted by address, non-overlapping */
    List<PhysRange> ram();

    /**
     * Copies bytes out of memory.
     *
     * @param phys first address
     * @param dst destination
     * @param offset first index in {@code dst}
     * @param length bytes to copy
     * @throws PhysicalMemoryException if the range is not RAM or the backing store fails
     */
    void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException;

    /**
     * Copies bytes into memory.
     *
     * @param phys first address
     * @param src source
     * @param offset first index in {@code src}
     * @param length bytes to copy
     * @throws PhysicalMemoryException if the range is not RAM or the backing store fails
     */
    void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException;

    /**
     * Reads u64 words straight into {@code dst}, without an intermediate byte array where the memory holds
     * its bytes on the heap: the bulk path of the memory-map decoders.
     *
     * @param phys first address
     * @param dst destination
     * @param offset first index in {@code dst}
     * @param count words to read
     * @param order byte order of the words in memory
     * @throws PhysicalMemoryException if the range is not RAM or the backing store fails
     */
    default void readLongs(long phys, long[] dst, int offset, int count, ByteOrder order)
            throws PhysicalMemoryException {
        ByteBuffer.wrap(read(phys, Math.multiplyExact(count, Long.BYTES))).order(order).asLongBuffer()
                .get(dst, offset, count);
    }

    /**
     * Writes u64 words from {@code src}, without an intermediate byte array where the memory holds its bytes
     * on the heap: the bulk path of the memory-map encoders.
     *
     * @param phys first address
     * @param src source
     * @param offset first index in {@code src}
     * @param count words to write
     * @param order byte order of the words in memory
     * @throws PhysicalMemoryException if the range is not RAM or the backing store fails
     */
    default void writeLongs(long phys, long[] src, int offset, int count, ByteOrder order)
            throws PhysicalMemoryException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(count, Long.BYTES)).order(order);
        bytes.asLongBuffer().put(src, offset, count);
        write(phys, bytes.array());
    }

    /**
     * The bytes of a range as a buffer (position 0, limit {@code length}) that shares the memory's storage
     * where the memory can, so that checksums and digests read memory without copying it; otherwise a copy.
     * Callers must not write through it (it may be read-only) and must not use it after the next write to
     * memory.
     *
     * @param phys first address
     * @param length bytes
     * @return the bytes
     * @throws PhysicalMemoryException if the range is not RAM or the backing store fails
     */
    default ByteBuffer view(long phys, int length) throws PhysicalMemoryException {
        return ByteBuffer.wrap(read(phys, length));
    }

    /**
     * @param phys first address
     * @param length bytes
     * @return whether {@code [phys, phys + length)} lies inside one RAM range
     */
    default boolean isRam(long phys, long length) {
        if (phys < 0 || length < 0 || phys > Long.MAX_VALUE - length) {
            return false;
        }
        for (PhysRange r : ram()) {
            if (phys >= r.start() && phys + length <= r.end()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param phys first address
     * @param length bytes, at most {@link Integer#MAX_VALUE}
     * @return a copy of the bytes
     * @throws PhysicalMemoryException if the range is not RAM
     */
    default byte[] read(long phys, int length) throws PhysicalMemoryException {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (!isRam(phys, length)) {
            throw new PhysicalMemoryException(phys, length + " bytes here are not RAM", null);
        }
        byte[] out = new byte[length];
        read(phys, out, 0, length);
        return out;
    }

    /** @param phys address @param order byte order @return the u32 there @throws PhysicalMemoryException if not RAM */
    default int readU32(long phys, ByteOrder order) throws PhysicalMemoryException {
        return ByteBuffer.wrap(read(phys, 4)).order(order).getInt();
    }

    /** @param phys address @param order byte order @return the u64 there @throws PhysicalMemoryException if not RAM */
    default long readU64(long phys, ByteOrder order) throws PhysicalMemoryException {
        return ByteBuffer.wrap(read(phys, 8)).order(order).getLong();
    }

    /** @param phys address @param src bytes to write @throws PhysicalMemoryException if not RAM */
    default void write(long phys, byte[] src) throws PhysicalMemoryException {
        write(phys, src, 0, src.length);
    }

    /** @param phys address @param value u32 @param order byte order @throws PhysicalMemoryException if not RAM */
    default void writeU32(long phys, int value, ByteOrder order) throws PhysicalMemoryException {
        write(phys, ByteBuffer.allocate(4).order(order).putInt(value).array());
    }

    /** @param phys address @param value u64 @param order byte order @throws PhysicalMemoryException if not RAM */
    default void writeU64(long phys, long value, ByteOrder order) throws PhysicalMemoryException {
        write(phys, ByteBuffer.allocate(8).order(order).putLong(value).array());
    }

    /**
     * A heap-backed memory of one RAM range, for tests and small simulations.
     *
     * @param base first physical address
     * @param size bytes, at most {@link Integer#MAX_VALUE} - 8
     * @return zero-filled memory
     */
    static PhysicalMemory ofHeap(long base, int size) {
        return new HeapPhysicalMemory(new PhysRange(base, size));
    }

    /**
     * Heap memory that stores only the pages written to: for tests and serializers with no machine behind them.
     *
     * @param ram the RAM ranges, non-overlapping; unwritten bytes read as zero
     * @return the memory
     */
    static PhysicalMemory sparse(List<PhysRange> ram) {
        return new SparsePhysicalMemory(ram);
    }
}
