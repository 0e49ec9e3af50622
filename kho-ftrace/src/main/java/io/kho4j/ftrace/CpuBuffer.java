package io.kho4j.ftrace;

import java.util.List;

/**
 * One CPU's ring buffer of a trace array: the {@code cpu%x} node ({@code compatible "ftrace,cpu-v1"}, u32
 * {@code cpu}, {@code mem}; kho-abi.md §6).
 *
 * @param cpu the CPU number; the node is named {@code "cpu" + Integer.toHexString(cpu)}, as the kernel's
 *     {@code "cpu%x"}
 * @param pages the buffer's pages in {@code mem} order: an immutable list that holds the {@code mem} words and
 *     makes each {@link BufferPage} on access
 */
public record CpuBuffer(int cpu, List<BufferPage> pages) {
    /** @throws IllegalArgumentException for a negative CPU number */
    public CpuBuffer {
        if (cpu < 0) {
            throw new IllegalArgumentException("negative CPU number " + cpu);
        }
        pages = MemPages.copyOf(pages);
    }

    /**
     * A buffer from its {@code mem} words, without a {@link BufferPage} per page.
     *
     * @param cpu the CPU number
     * @param mem {bpage phys, bpage len, data phys, data len} per page, as the {@code mem} property holds them
     *     (copied)
     * @return the buffer
     * @throws IllegalArgumentException for a negative CPU number, a length that is not a multiple of 4, or a
     *     {phys, len} pair that is not a valid {@link io.kho4j.preserve.PhysRange}
     */
    public static CpuBuffer of(int cpu, long[] mem) {
        return new CpuBuffer(cpu, MemPages.checked(mem.clone()));
    }

    /** @return the node name, {@code "cpu%x"} */
    public String nodeName() {
        return "cpu" + Integer.toHexString(cpu);
    }

    /** @return the {@code mem} words, not copied: read only */
    long[] mem() {
        return ((MemPages) pages).words();
    }
}
