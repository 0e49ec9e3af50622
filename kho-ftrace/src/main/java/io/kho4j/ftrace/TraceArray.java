package io.kho4j.ftrace;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One trace array (the kernel's {@code struct trace_array}): {@code global_trace} or a named instance of
 * {@code /sys/kernel/tracing/instances}. It becomes a child of the {@code ftrace} node named after the array
 * ({@code compatible "ftrace,array-v1"}, u32 {@code trace_flags}; kho-abi.md §6).
 *
 * @param name the node name: {@value #GLOBAL} or the instance name
 * @param traceFlags the array's {@code trace_flags} bits, handed over verbatim
 * @param cpus the per-CPU buffers, CPU numbers unique, in node order
 */
public record TraceArray(String name, int traceFlags, List<CpuBuffer> cpus) {
    /** The top-level array's node name in Graf's example (kho-abi.md §6). */
    public static final String GLOBAL = "global_trace";
    /** The node name the v3 reader path puts between an array and its CPUs ({@code "/ftrace/%s/buffer/cpu%x"}). */
    static final String BUFFER = "buffer";

    /** @throws IllegalArgumentException for a name that is not one FDT node name, or a repeated CPU */
    public TraceArray {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 255 || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("trace array name '" + name + "' is not a node name (1..255 bytes, no"
                    + " '/' or NUL)");
        }
        cpus = List.copyOf(cpus);
        Set<Integer> seen = new HashSet<>();
        for (CpuBuffer c : cpus) {
            if (!seen.add(c.cpu())) {
                throw new IllegalArgumentException("trace array '" + name + "' has CPU " + c.cpu() + " twice");
            }
        }
    }
}
