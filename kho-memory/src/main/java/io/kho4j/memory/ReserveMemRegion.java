package io.kho4j.memory;

import io.kho4j.preserve.PhysRange;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One named {@code reserve_mem=} region as memblock hands it over: a {@code reserve-mem-v1} child of the
 * {@code memblock} subtree (kho-abi.md §6).
 *
 * @param name the region's name from the command line, 1 to 15 bytes ({@code RESERVE_MEM_NAME_SIZE} is 16 with
 *     the NUL); it is the FDT node name, so it may not contain {@code '/'}
 * @param start first physical address
 * @param size size in bytes, at least 1
 */
public record ReserveMemRegion(String name, long start, long size) {
    /** {@code RESERVE_MEM_NAME_SIZE} in mm/memblock.c, including the NUL. */
    public static final int NAME_SIZE = 16;

    /** @throws IllegalArgumentException for a name the kernel or the FDT cannot carry, or an empty range */
    public ReserveMemRegion {
        checkName(name);
        if (size <= 0 || start < 0 || start > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException(String.format("reserve_mem '%s': invalid range start=0x%x size=0x%x",
                    name, start, size));
        }
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        int len = name.getBytes(StandardCharsets.UTF_8).length;
        if (len == 0 || len >= NAME_SIZE || name.indexOf('\0') >= 0 || name.indexOf('/') >= 0 || name.isBlank()) {
            throw new IllegalArgumentException("reserve_mem name '" + name + "' must be 1 to " + (NAME_SIZE - 1)
                    + " bytes with some non-space text and no '/' or NUL");
        }
    }

    /** @return the region as a physical range */
    public PhysRange range() {
        return new PhysRange(start, size);
    }
}
