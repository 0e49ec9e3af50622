package io.kho4j.fdt;

/**
 * One entry of the memory-reservation block ({@code struct fdt_reserve_entry}: big-endian u64 address
 * and size, libfdt/fdt.h).
 *
 * @param address first reserved physical address
 * @param size number of reserved bytes, never 0 (a zero size terminates the block)
 */
public record MemoryReservation(long address, long size) {
    /** @throws IllegalArgumentException if {@code size} is 0, which would read back as the terminator */
    public MemoryReservation {
        if (size == 0) {
            throw new IllegalArgumentException("a reservation of size 0 terminates the block and cannot be stored");
        }
    }

    @Override
    public String toString() {
        return String.format("0x%016x 0x%016x", address, size);
    }
}
