package io.kho4j.preserve;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Selects a {@link MemoryMapCodec}.
 *
 * @param format the layout
 * @param pageSize the page size of both kernels
 * @param byteOrder the CPU's byte order: the kernel writes these structures CPU-native (kho-abi.md §1),
 *     little-endian on x86-64 and arm64
 * @param refusePreFix16K whether {@link MemoryMapFormat#RADIX_16K_PREFIX} with 16 KiB pages is refused
 *     outright, as kho-abi.md §9.3 advises, instead of being reproduced faithfully
 */
public record MemoryMapCodecConfig(MemoryMapFormat format, PageSize pageSize, ByteOrder byteOrder,
        boolean refusePreFix16K) {
    /** @throws NullPointerException for a null component */
    public MemoryMapCodecConfig {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(pageSize, "pageSize");
        Objects.requireNonNull(byteOrder, "byteOrder");
    }

    /** @param format layout @param pageSize page size @return little-endian, pre-fix layouts reproduced */
    public static MemoryMapCodecConfig of(MemoryMapFormat format, PageSize pageSize) {
        return new MemoryMapCodecConfig(format, pageSize, ByteOrder.LITTLE_ENDIAN, false);
    }

    /** @param order byte order @return a copy with that byte order */
    public MemoryMapCodecConfig withByteOrder(ByteOrder order) {
        return new MemoryMapCodecConfig(format, pageSize, order, refusePreFix16K);
    }

    /** @param refuse whether to refuse pre-fix 16 KiB radix trees @return a copy */
    public MemoryMapCodecConfig withRefusePreFix16K(boolean refuse) {
        return new MemoryMapCodecConfig(format, pageSize, byteOrder, refuse);
    }
}
