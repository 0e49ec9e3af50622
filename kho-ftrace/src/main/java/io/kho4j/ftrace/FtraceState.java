package io.kho4j.ftrace;

import io.kho4j.ftrace.internal.Ranges;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ftrace ring-buffer state handed over in the {@code ftrace} subtree (Graf v2/v3, never merged; kho-abi.md §6):
 * the event table and every trace array with its per-CPU buffers. Immutable.
 *
 * @param events the {@code events} table, in order
 * @param arrays the trace arrays, names unique, in node order
 */
public record FtraceState(List<TraceEvent> events, List<TraceArray> arrays) {
    /**
     * @throws IllegalArgumentException if two arrays share a name, or two of the described ranges (buffer_page
     *     structs and data pages of every array and CPU) overlap: each is one kernel object
     */
    public FtraceState {
        events = List.copyOf(events);
        arrays = List.copyOf(arrays);
        Set<String> names = new HashSet<>();
        for (TraceArray a : arrays) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("trace array '" + a.name() + "' appears twice");
            }
        }
        long overlap = Ranges.firstOverlap(mems(arrays));
        if (overlap >= 0) {
            throw new IllegalArgumentException(String.format("two buffer ranges (buffer_page structs or data pages)"
                    + " overlap at 0x%x", overlap));
        }
    }

    /** @return every CPU buffer's {@code mem} words, arrays and CPUs in node order */
    static List<long[]> mems(List<TraceArray> arrays) {
        List<long[]> mems = new ArrayList<>();
        for (TraceArray a : arrays) {
            for (CpuBuffer c : a.cpus()) {
                mems.add(c.mem());
            }
        }
        return mems;
    }

    /** @return the number of buffer pages over all arrays and CPUs */
    public long pageCount() {
        long n = 0;
        for (TraceArray a : arrays) {
            for (CpuBuffer c : a.cpus()) {
                n += c.pages().size();
            }
        }
        return n;
    }
}
