package io.kho4j.ftrace;

import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.SampleMachine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Ready-made ftrace states: Graf's binding example (made page-aligned) for tests and the ABI lock, and ring buffers
 * of any size on a {@link SampleMachine} for the demo and benchmarks.
 */
public final class FtraceSamples {
    /** {@code trace_flags} of Graf's example (kho-abi.md §6). */
    public static final int EXAMPLE_TRACE_FLAGS = 0x3354601;
    /** Bytes of the data page header ({@code u64 time_stamp; local_t commit}) that the sample text follows. */
    private static final int DATA_HEADER = 16;
    private static final List<String> EVENT_NAMES = List.of("sched:sched_switch", "sched:sched_wakeup",
            "irq:irq_handler_entry", "kho4j:sample");

    private FtraceSamples() {
    }

    /**
     * Graf's example (kho-abi.md §6) with one change: the example's first data page, 0x101000100, is not page
     * aligned, which no page allocation is and which the reader refuses, so it moves to 0x101001000. Two pages on
     * CPU 0 of {@code global_trace}, whose buffer_page structs share the page at 0x101000000.
     *
     * @param layout gives the buffer_page length
     * @return the state
     */
    public static FtraceState grafExample(BufferPageLayout layout) {
        List<TraceEvent> events = List.of(new TraceEvent(1, 1), new TraceEvent(2, 2), new TraceEvent(3, 3));
        CpuBuffer cpu0 = new CpuBuffer(0, List.of(
                BufferPage.of(0x1_0100_0000L, layout, 0x1_0100_1000L, 0x1000),
                BufferPage.of(0x1_0100_0000L + layout.size(), layout, 0x1_0100_2000L, 0x1000)));
        return new FtraceState(events, List.of(new TraceArray(TraceArray.GLOBAL, EXAMPLE_TRACE_FLAGS, List.of(cpu0))));
    }

    /** @return a small events table: CRC32 of a few event names (a sample, not the kernel's format checksum) */
    public static List<TraceEvent> sampleEvents() {
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENT_NAMES.size(); i++) {
            CRC32 crc = new CRC32();
            crc.update(EVENT_NAMES.get(i).getBytes(StandardCharsets.US_ASCII));
            events.add(new TraceEvent((int) crc.getValue(), i + 1));
        }
        return events;
    }

    /**
     * Allocates and fills one trace array's ring buffers on a machine: per CPU, {@code pagesPerCpu} data pages
     * (one allocation per CPU) and their {@code struct buffer_page}s packed into shared pages, each struct written
     * with {@code write}, {@code entries} and {@code real_end} so that {@link FtraceSubsystem#restorePages} has
     * something to check.
     *
     * @param machine where to allocate
     * @param layout the buffer_page layout
     * @param name the array's name
     * @param cpus CPUs 0 .. cpus-1
     * @param pagesPerCpu pages per CPU, at least 1
     * @param writeText whether each data page also gets a line of recognisable text after its header (not ring
     *     buffer event records); without it only the buffer_page structs are written, which keeps a 256-CPU,
     *     1 GiB state cheap
     * @return the array
     * @throws PhysicalMemoryException if the machine has no room
     * @throws IllegalArgumentException for no CPUs, more than {@link FtraceSubsystem#MAX_CPUS}, or no pages
     */
    public static TraceArray ringBuffers(SampleMachine machine, BufferPageLayout layout, String name, int cpus,
            int pagesPerCpu, boolean writeText) throws PhysicalMemoryException {
        if (cpus < 1 || cpus > FtraceSubsystem.MAX_CPUS || pagesPerCpu < 1) {
            throw new IllegalArgumentException(cpus + " CPUs x " + pagesPerCpu + " pages");
        }
        int page = machine.context().pageSize();
        long pages = Math.multiplyExact((long) cpus, pagesPerCpu);
        PhysRange structs = machine.allocate(Math.multiplyExact(pages, layout.size()));
        int perPage = page / layout.size();
        byte[] emptyStruct = layout.encode(0, 0, 0); // the struct of every page without text: built once
        // the structs of one page go to memory in one write, not one write per struct
        byte[] structPage = new byte[perPage * layout.size()];
        List<CpuBuffer> out = new ArrayList<>(cpus);
        long index = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            PhysRange data = machine.allocate(Math.multiplyExact((long) pagesPerCpu, page));
            long[] mem = new long[Math.multiplyExact(MemPages.WORDS, pagesPerCpu)];
            for (int i = 0; i < pagesPerCpu; i++, index++) {
                // structs never straddle a page: a slab object does not (kho-abi.md §2 preserves whole pages)
                int slot = (int) (index % perPage);
                long bpage = structs.start() + (index / perPage) * page + (long) slot * layout.size();
                byte[] struct = emptyStruct;
                long dataPage = data.start() + (long) i * page;
                if (writeText) {
                    byte[] text = (name + " cpu " + cpu + " page " + i + ": kho4j ftrace sample\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    long used = text.length;
                    struct = layout.encode(used, 1, used);
                    ByteBuffer head = ByteBuffer.allocate(DATA_HEADER + text.length).order(ByteOrder.LITTLE_ENDIAN);
                    head.putLong(0, index + 1).putLong(8, used).put(DATA_HEADER, text);
                    machine.memory().write(dataPage, head.array(), 0, head.capacity());
                }
                System.arraycopy(struct, 0, structPage, slot * layout.size(), layout.size());
                if (slot == perPage - 1 || index == pages - 1) {
                    machine.memory().write(bpage - (long) slot * layout.size(), structPage, 0,
                            (slot + 1) * layout.size());
                }
                int w = MemPages.WORDS * i;
                mem[w] = bpage;
                mem[w + 1] = layout.size();
                mem[w + 2] = dataPage;
                mem[w + 3] = page;
            }
            out.add(new CpuBuffer(cpu, MemPages.checked(mem)));
        }
        return new TraceArray(name, EXAMPLE_TRACE_FLAGS, out);
    }
}
