package io.kho4j.preserve;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;

/** Writes little-endian struct fields byte by byte, independent of the codecs under test. */
final class Raw {
    private Raw() {
    }

    static void u64(PhysicalMemory m, long phys, long value) throws PhysicalMemoryException {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        m.write(phys, b);
    }

    static void u32(PhysicalMemory m, long phys, long value) throws PhysicalMemoryException {
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        m.write(phys, b);
    }

    static void u8(PhysicalMemory m, long phys, int value) throws PhysicalMemoryException {
        m.write(phys, new byte[] {(byte) value});
    }

    /** {@code struct khoser_mem_chunk_hdr}: next at 0, order at 8, num_elms at 12 (kho-abi.md §2). */
    static void chunkHeader(PhysicalMemory m, long chunk, long next, long order, long numElms)
            throws PhysicalMemoryException {
        u64(m, chunk, next);
        u32(m, chunk + 8, order);
        u32(m, chunk + 12, numElms);
    }

    /** {@code bitmaps[i]} of a chunk: {@code {phys_start, bitmap}} at 16 + 16 * i. */
    static void chunkEntry(PhysicalMemory m, long chunk, int i, long physStart, long bitmap)
            throws PhysicalMemoryException {
        u64(m, chunk + 16 + 16L * i, physStart);
        u64(m, chunk + 16 + 16L * i + 8, bitmap);
    }

    /** Sets bit {@code bit} of a Linux bitmap: byte bit/8, bit bit%8 on a little-endian CPU. */
    static void setBit(PhysicalMemory m, long bitmap, long bit) throws PhysicalMemoryException {
        byte[] b = m.read(bitmap + bit / 8, 1);
        u8(m, bitmap + bit / 8, b[0] | (1 << (bit % 8)));
    }

    static byte[] bytes(PhysicalMemory m, long phys, int length) throws PhysicalMemoryException {
        return m.read(phys, length);
    }
}
