package io.kho4j.spi;

import io.kho4j.abi.AbiGeneration;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * What a serializer writes for: the target generation, the CPU's byte order for native values, and the page size.
 *
 * @param generation the KHO generation of the handover
 * @param nativeOrder byte order of CPU-native values: little-endian on x86-64 and arm64 (kho-abi.md §1)
 * @param pageSize the kernel's PAGE_SIZE in bytes (4096, 16384 or 65536)
 */
public record WriteContext(AbiGeneration generation, ByteOrder nativeOrder, int pageSize) {
    /** @throws IllegalArgumentException for a page size that is not 4, 16 or 64 KiB */
    public WriteContext {
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(nativeOrder, "nativeOrder");
        if (pageSize != 4096 && pageSize != 16384 && pageSize != 65536) {
            throw new IllegalArgumentException("page size must be 4, 16 or 64 KiB, not " + pageSize);
        }
    }

    /** @param generation the generation @return a context for a little-endian machine with 4 KiB pages */
    public static WriteContext of(AbiGeneration generation) {
        return new WriteContext(generation, ByteOrder.LITTLE_ENDIAN, 4096);
    }
}
