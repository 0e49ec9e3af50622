package io.kho4j.preserve;

/**
 * A range of physical addresses {@code [start, start + size)}. Addresses are unsigned in the kernel but
 * no machine has 2^63 bytes: both ends must lie in {@code [0, Long.MAX_VALUE]}, which rules out wrap-around.
 *
 * @param start first address
 * @param size length in bytes, at least 1
 */
public record PhysRange(long start, long size) implements Comparable<PhysRange> {
    /** @throws IllegalArgumentException for a negative start, a size below 1, or an end past 2^63 - 1 */
    public PhysRange {
        if (start < 0 || size <= 0 || start > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException(String.format("invalid physical range start=0x%x size=0x%x", start, size));
        }
    }

    /** @param start first address @param end one past the last address @return the range */
    public static PhysRange ofEnd(long start, long end) {
        return new PhysRange(start, end - start);
    }

    /** @return one past the last address */
    public long end() {
        return start + size;
    }

    /** @param phys an address @return whether it lies in this range */
    public boolean contains(long phys) {
        return phys >= start && phys < end();
    }

    /** @param other a range @return whether it lies entirely in this range */
    public boolean contains(PhysRange other) {
        return other.start >= start && other.end() <= end();
    }

    /** @param other a range @return whether the two share at least one byte */
    public boolean overlaps(PhysRange other) {
        return start < other.end() && other.start < end();
    }

    /** @param alignment a power of two @return whether start and size are multiples of it */
    public boolean isAligned(long alignment) {
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        return ((start | size) & (alignment - 1)) == 0;
    }

    @Override
    public int compareTo(PhysRange o) {
        int c = Long.compare(start, o.start);
        return c != 0 ? c : Long.compare(size, o.size);
    }

    @Override
    public String toString() {
        return String.format("[0x%x, 0x%x)", start, end());
    }
}
