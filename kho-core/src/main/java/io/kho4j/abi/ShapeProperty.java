package io.kho4j.abi;

import java.util.Objects;

/**
 * What a serializer wrote for one property: its name, how the value is typed and ordered, and its length.
 * Values themselves are not part of the shape.
 *
 * @param name property name
 * @param type how the value was written
 * @param order byte order of multi-byte values
 * @param length value length in bytes
 */
public record ShapeProperty(String name, ValueType type, Endianness order, int length) {

    /** How a value was written. */
    public enum ValueType {
        /** One or more NUL-terminated strings. */
        STRINGS,
        /** One u32. */
        U32,
        /** One u64. */
        U64,
        /** A u32 array. */
        U32_ARRAY,
        /** A u64 array. */
        U64_ARRAY,
        /** Raw bytes (a packed structure, say). */
        BYTES,
        /** No value (a boolean property). */
        EMPTY
    }

    /** Byte order of a value, as the ABI defines it (not as one machine happens to store it). */
    public enum Endianness {
        /** CPU-native, like every KHO value (kho-abi.md §1). */
        NATIVE,
        /** Big-endian device-tree cells. */
        BIG_ENDIAN,
        /** Not a multi-byte number. */
        NONE
    }

    /** @throws IllegalArgumentException for a negative length */
    public ShapeProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(order, "order");
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
    }

    @Override
    public String toString() {
        return name + " " + type.name().toLowerCase(java.util.Locale.ROOT) + " "
                + order.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " len=" + length;
    }
}
