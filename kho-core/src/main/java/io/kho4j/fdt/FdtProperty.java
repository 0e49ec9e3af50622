package io.kho4j.fdt;

import io.kho4j.fdt.FdtFormatException.Kind;
import io.kho4j.fdt.internal.FdtIndex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A property of a {@link ValidatedFdt}. Typed reads check the exact size, as the kernel does
 * ({@code if (!val || len != sizeof(*val))}, kernel/liveupdate/kexec_handover.c), and never assume
 * alignment: FDT values are only 4-byte aligned ({@code get_unaligned} in the same file).
 */
public final class FdtProperty {
    private final ValidatedFdt fdt;
    private final int id;

    FdtProperty(ValidatedFdt fdt, int id) {
        this.fdt = fdt;
        this.id = id;
    }

    /** @return the property name */
    public String name() {
        return fdt.propertyName(id);
    }

    /** @return the value's length in bytes */
    public int length() {
        return fdt.index().propertyLength(id);
    }

    /** @return the byte offset of this property's FDT_PROP token in the blob */
    public int offset() {
        return fdt.index().propertyTag(id);
    }

    /** @return the byte offset of the value in the blob */
    public int valueOffset() {
        return fdt.index().propertyValue(id);
    }

    /** @return the node holding this property */
    public FdtNode node() {
        return new FdtNode(fdt, fdt.index().propertyOwner(id));
    }

    /** @return a read-only view of the value, position 0, big-endian order (set your own) */
    public ByteBuffer value() {
        return fdt.blob().slice(valueOffset(), length()).order(ByteOrder.BIG_ENDIAN);
    }

    /** @return a copy of the value */
    public byte[] bytes() {
        byte[] out = new byte[length()];
        fdt.blob().get(valueOffset(), out);
        return out;
    }

    /**
     * @param order byte order of the value: big-endian for DT cells, native for KHO values
     * @return the value as a u32 (an int holding the unsigned bits)
     * @throws FdtFormatException {@link Kind#BAD_VALUE} unless the value is exactly 4 bytes
     */
    public int u32(ByteOrder order) throws FdtFormatException {
        requireLength(4, "a u32");
        return value().order(order).getInt(0);
    }

    /**
     * @param order byte order of the value
     * @return the value as a u64 (a long holding the unsigned bits)
     * @throws FdtFormatException {@link Kind#BAD_VALUE} unless the value is exactly 8 bytes
     */
    public long u64(ByteOrder order) throws FdtFormatException {
        requireLength(8, "a u64");
        return value().order(order).getLong(0);
    }

    /**
     * @param order byte order of each element
     * @return the value as u32 elements
     * @throws FdtFormatException {@link Kind#BAD_VALUE} unless the length is a multiple of 4
     */
    public int[] u32Array(ByteOrder order) throws FdtFormatException {
        if (length() % 4 != 0) {
            throw bad("is " + length() + " bytes, not a whole number of u32 cells");
        }
        int[] out = new int[length() / 4];
        value().order(order).asIntBuffer().get(out);
        return out;
    }

    /**
     * @param order byte order of each element
     * @return the value as u64 elements
     * @throws FdtFormatException {@link Kind#BAD_VALUE} unless the length is a multiple of 8
     */
    public long[] u64Array(ByteOrder order) throws FdtFormatException {
        if (length() % 8 != 0) {
            throw bad("is " + length() + " bytes, not a whole number of u64 values");
        }
        long[] out = new long[length() / 8];
        value().order(order).asLongBuffer().get(out);
        return out;
    }

    /**
     * @return the value as one NUL-terminated string
     * @throws FdtFormatException {@link Kind#BAD_VALUE} unless the value is one string with exactly one
     *     NUL, at its end
     */
    public String string() throws FdtFormatException {
        List<String> all = strings();
        if (all.size() != 1) {
            throw bad("holds " + all.size() + " strings, expected exactly one");
        }
        return all.get(0);
    }

    /**
     * @return the value as a string list ({@code compatible = "a", "b"})
     * @throws FdtFormatException {@link Kind#BAD_VALUE} unless the value ends with NUL (an empty value is an
     *     empty list)
     */
    public List<String> strings() throws FdtFormatException {
        byte[] v = bytes();
        if (v.length == 0) {
            return List.of();
        }
        if (v[v.length - 1] != 0) {
            throw bad("is not NUL-terminated");
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) {
                out.add(new String(v, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return Collections.unmodifiableList(out);
    }

    private void requireLength(int expected, String what) throws FdtFormatException {
        if (length() != expected) {
            throw bad("is " + length() + " bytes, expected " + expected + " for " + what);
        }
    }

    private FdtFormatException bad(String what) {
        return new FdtFormatException(Kind.BAD_VALUE, offset(),
                "property \"" + name() + "\" of " + node().path() + " " + what);
    }

    @Override
    public String toString() {
        return node().path() + ":" + name() + "[" + length() + "]";
    }
}
