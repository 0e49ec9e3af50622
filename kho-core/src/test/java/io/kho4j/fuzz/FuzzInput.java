package io.kho4j.fuzz;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A fuzz input read as a few little-endian header fields and then a payload. Reading past the end gives zeros,
 * so every byte string is some valid input; seeds are written with {@link java.nio.ByteBuffer} in the same
 * order. Jazzer's FuzzedDataProvider would do, but its layout (numbers taken from the end) makes hand-written
 * seeds awkward.
 */
final class FuzzInput {
    private final byte[] data;
    private int at;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    int u8() {
        return at < data.length ? data[at++] & 0xff : 0;
    }

    int u16() {
        return u8() | u8() << 8;
    }

    long u32() {
        return u16() | (long) u16() << 16;
    }

    long u64() {
        return u32() | u32() << 32;
    }

    /** @return the next {@code n} bytes, fewer if the input ends */
    byte[] bytes(int n) {
        int end = (int) Math.min(data.length, (long) at + n);
        byte[] out = Arrays.copyOfRange(data, Math.min(at, end), end);
        at = end;
        return out;
    }

    /**
     * Reads the rest as patches of zero-filled RAM: each is a u32 offset (modulo the RAM size), a u16 length and
     * that many bytes, clipped at the end of RAM. Memory-map and hand-off structures are a few words scattered
     * over pages, so patches keep inputs small where a flat image would be mostly zeros.
     *
     * @param memory RAM of {@code size} bytes from {@code base}
     */
    void patch(PhysicalMemory memory, long base, int size) throws PhysicalMemoryException {
        while (at < data.length) {
            int offset = (int) (u32() % size);
            byte[] b = bytes(u16());
            memory.write(base + offset, b, 0, Math.min(b.length, size - offset));
        }
    }

    /** @return the patches {@link #patch} reads to rebuild {@code image}: one per run of non-zero 8-byte words */
    static byte[] patches(byte[] image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < image.length; i += 8) {
            int end = i;
            while (end < image.length && !zeroWord(image, end)) {
                end += 8;
            }
            if (end > i) {
                int len = Math.min(end, image.length) - i;
                for (int v : new int[] {i, i >>> 8, i >>> 16, i >>> 24, len, len >>> 8}) {
                    out.write(v);
                }
                out.write(image, i, len);
                i = end;
            }
        }
        return out.toByteArray();
    }

    private static boolean zeroWord(byte[] b, int at) {
        for (int i = at; i < Math.min(at + 8, b.length); i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return everything not read yet */
    byte[] rest() {
        return bytes(Integer.MAX_VALUE);
    }
}
