package io.kho4j.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A plain byte appender for golden bytes written out by hand from struct definitions and the FDT format: it knows
 * no layout, so every offset and size in a golden test is worked out in the test's comments.
 */
public final class GoldenBytes {
    /** FDT tokens (Devicetree Specification 5.4.1). */
    public static final int FDT_MAGIC = 0xd00dfeed;
    public static final int BEGIN_NODE = 1;
    public static final int END_NODE = 2;
    public static final int PROP = 3;
    public static final int END = 9;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public GoldenBytes be32(int... values) {
        for (int v : values) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(v).array());
        }
        return this;
    }

    public GoldenBytes le16(int v) {
        out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array());
        return this;
    }

    public GoldenBytes le32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        return this;
    }

    public GoldenBytes le64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        return this;
    }

    public GoldenBytes ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    /** A fixed {@code char[n]} field: the text, then NULs up to {@code n}. */
    public GoldenBytes chars(String s, int n) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(b);
        return zeros(n - b.length);
    }

    public GoldenBytes zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
