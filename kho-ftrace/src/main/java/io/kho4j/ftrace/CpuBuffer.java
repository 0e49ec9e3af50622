package io.kho4j.ftrace;

import java.util.List;

/**
 * One CPU's ring buffer of a trace array: the {@code cpu%x} node ({@code compatible "ftrace,cpu-v1"}, u32
 * {@code cpu}, {@code mem}; kho-abi.md §6).
 *
 * @param cpu the CPU number; the node is named {@code "cpu" + Integer.toHexString(cpu)}, as the kernel's
 *     {@code "cpu%x"}
 * @param pages the buffer's pages in {@code mem} order
 */
public record CpuBuffer(int cpu, List<BufferPage> pages) {
    /** @throws IllegalArgumentException for a negative CPU number */
    public CpuBuffer {
        if (cpu < 0) {
            throw new IllegalArgumentException("negative CPU number " + cpu);
        }
        pages = List.copyOf(pages);
    }

    /** @return the node name, {@code "cpu%x"} */
    public String nodeName() {
        return "cpu" + Integer.toHexString(cpu);
    }
}
