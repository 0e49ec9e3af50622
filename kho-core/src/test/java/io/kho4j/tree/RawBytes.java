package io.kho4j.tree;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A plain byte appender for golden blobs assembled by hand: it knows nothing about FDTs (no offsets, no strings
 * table, no padding rules), so every number in a golden test is the test author's.
 */
final class RawBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RawBytes be32(int... values) {
        for (int v : values) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(v).array());
        }
        return this;
    }

    RawBytes le64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        return this;
    }

    RawBytes ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    RawBytes zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
