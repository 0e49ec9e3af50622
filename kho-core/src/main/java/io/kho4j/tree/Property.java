package io.kho4j.tree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable property of a {@link KhoNode}: a name and raw value bytes. The factories encode values the
 * two ways KHO needs: CPU-native integers for KHO properties (little-endian on x86-64 and arm64, kho-abi.md
 * §1), big-endian cells for ordinary device-tree properties.
 */
public final class Property {
    private final String name;
    private final byte[] value;

    private Property(String name, byte[] value) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("property name contains NUL: " + name);
        }
        this.name = name;
        this.value = value;
    }

    /** @param name property name @param value raw bytes (copied) @return the property */
    public static Property of(String name, byte[] value) {
        return new Property(name, value.clone());
    }

    /** @param name property name @return a property with an empty value */
    public static Property empty(String name) {
        return new Property(name, new byte[0]);
    }

    /** @param name property name @param value u32 @param order byte order @return the property */
    public static Property u32(String name, int value, ByteOrder order) {
        return new Property(name, ByteBuffer.allocate(4).order(order).putInt(value).array());
    }

    /** @param name property name @param value u64 @param order byte order @return the property */
    public static Property u64(String name, long value, ByteOrder order) {
        return new Property(name, ByteBuffer.allocate(8).order(order).putLong(value).array());
    }

    /** @param name property name @param values u64 values @param order byte order @return the property */
    public static Property u64s(String name, ByteOrder order, long... values) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(order);
        for (long v : values) {
            b.putLong(v);
        }
        return new Property(name, b.array());
    }

    /**
     * @param name property name
     * @param values strings, each stored with a terminating NUL
     * @return the property ({@code compatible = "a", "b"})
     */
    public static Property strings(String name, String... values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            if (v.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("string contains NUL: " + v);
            }
            sb.append(v).append('\0');
        }
        return new Property(name, sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return a copy of the value */
    public byte[] value() {
        return value.clone();
    }

    /** @return the value length in bytes */
    public int length() {
        return value.length;
    }

    /** @return a read-only view of the value */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(value).asReadOnlyBuffer();
    }

    byte[] valueUnsafe() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Property p && p.name.equals(name) && Arrays.equals(p.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=" + HexFormat.of().formatHex(value);
    }
}
