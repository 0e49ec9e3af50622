package io.kho4j.ftrace;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.ftrace.internal.Nodes;
import io.kho4j.ftrace.internal.Ranges;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import io.kho4j.spi.WriteContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ftrace ring-buffer handover as Alexander Graf's KHO series proposed it (v2/v3, Dec 2023 – Jan 2024, never
 * merged; kho-abi.md §6). The subtree named {@code ftrace} is Graf's {@code /ftrace} node, hung off the KHO root
 * like every subtree of the generation (kho-abi.md §1):
 * <pre>
 *   / { compatible = "ftrace-v1"; events = &lt;crc type crc type ...&gt;;            u32 pairs
 *       global_trace { compatible = "ftrace,array-v1"; trace_flags = &lt;u32&gt;;        one node per trace array
 *           [buffer {]                                                           {@link NodeLayout}
 *               cpu0 { compatible = "ftrace,cpu-v1"; cpu = &lt;u32&gt;;
 *                      mem = &lt;bpage phys, bpage len, page phys, page len, ...&gt;; };   u64 each
 *           [};]
 *       };
 *   };
 * </pre>
 * All values CPU-native (little-endian): the {@code <... ULL>} cells of Graf's example are dtc syntax.
 *
 * <p><b>Versions.</b> {@code ftrace-v1}/{@code ftrace,array-v1}/{@code ftrace,cpu-v1} are Graf's. {@link #FTRACE_V2}
 * and {@link #ARRAY_V2} are <em>this library's own</em>, not upstream: the v1 layout with the v2 review applied
 * (Krzysztof Kozlowski: no underscores, so {@code trace-flags}; {@code additionalProperties: false}, so a v2 reader
 * refuses unknown properties and child nodes). The CPU node's string is not tied to these: it names the
 * {@link BufferPageLayout} (Graf: a changed {@code struct buffer_page} means {@code "ftrace,cpu-v2"}, kho-abi.md §5),
 * so a v2 tree of the v1 struct still says {@code ftrace,cpu-v1}. The default written version is {@code ftrace-v1}.
 *
 * <p><b>Preservation.</b> Every data page is preserved; each {@code struct buffer_page} is a sub-page slab object,
 * and KHO preserves whole pages only ({@code kho_preserve_pages}; ranges "must be page aligned", kho-abi.md §2), so
 * the page containing it is preserved. Graf's generic {@code mem} property could name the 0x38-byte range itself
 * (kho-abi.md §6); a page-granular memory map cannot. Adjacent pages are preserved as one range.
 */
public final class FtraceSubsystem implements SubsystemSerializer<FtraceState>, Restorer<FtraceState> {
    /** The subtree name: Graf's {@code /ftrace} node. */
    public static final String NAME = "ftrace";
    /** The {@code ftrace} node, Graf v2 bindings (kho-abi.md §6). */
    public static final CompatibleString FTRACE_V1 = CompatibleString.of("ftrace-v1");
    /** A trace array node, Graf v2 bindings (kho-abi.md §6). */
    public static final CompatibleString ARRAY_V1 = CompatibleString.of("ftrace,array-v1");
    /** kho4j's own, not upstream: {@link #FTRACE_V1} with the review fixes (kho-abi.md §6). */
    public static final CompatibleString FTRACE_V2 = CompatibleString.of("ftrace-v2");
    /** kho4j's own, not upstream: a trace array with {@code trace-flags} (kho-abi.md §6 review). */
    public static final CompatibleString ARRAY_V2 = CompatibleString.of("ftrace,array-v2");
    /**
     * The reader's bound on CPU numbers: x86's largest {@code CONFIG_NR_CPUS} (MAXSMP). A sanity bound on hostile
     * input, not ABI.
     */
    public static final int MAX_CPUS = 8192;

    private static final String EVENTS = "events";
    private static final String MEM = "mem";
    private static final String CPU = "cpu";
    private static final String COMPATIBLE = "compatible";
    private static final Pattern CPU_NODE = Pattern.compile("cpu[0-9a-f]+");
    /** {@code mem} holds {u64 phys, u64 len} elements, two per page (kho-abi.md §6). */
    private static final int ELEMENT_BYTES = 16;
    private static final int PAGE_ENTRY_BYTES = 2 * ELEMENT_BYTES;
    private static final int PAGE_WORDS = PAGE_ENTRY_BYTES / Long.BYTES;

    private final CompatibleString preferred;
    private final NodeLayout nodes;
    private final BufferPageLayout bufferPage;
    private final int pageSize;
    private final Nodes read = new Nodes(NAME);

    /** Writes {@code ftrace-v1} in the {@link NodeLayout#V3_READER_PATH} layout with {@link BufferPageLayout#V1}. */
    public FtraceSubsystem() {
        this(FTRACE_V1, NodeLayout.V3_READER_PATH, BufferPageLayout.V1, 4096);
    }

    /**
     * @param preferred the version written by default ({@link #versionFor}): {@link #FTRACE_V1} or {@link #FTRACE_V2}
     * @param nodes where CPU nodes are written (a reader accepts both layouts)
     * @param bufferPage the old kernel's {@code struct buffer_page}; CPU nodes must carry its compatible string
     * @param pageSize the data page size the reader requires (the writer takes its page size from the context)
     * @throws IllegalArgumentException for another preferred version or a page size other than 4, 16 or 64 KiB
     */
    public FtraceSubsystem(CompatibleString preferred, NodeLayout nodes, BufferPageLayout bufferPage, int pageSize) {
        if (!FTRACE_V1.equals(preferred) && !FTRACE_V2.equals(preferred)) {
            throw new IllegalArgumentException("ftrace writes " + FTRACE_V1 + " or " + FTRACE_V2 + ", not "
                    + preferred);
        }
        if (pageSize != 4096 && pageSize != 16384 && pageSize != 65536) {
            throw new IllegalArgumentException("page size must be 4, 16 or 64 KiB, not " + pageSize);
        }
        this.preferred = preferred;
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.bufferPage = Objects.requireNonNull(bufferPage, "bufferPage");
        this.pageSize = pageSize;
    }

    /** @return the {@code struct buffer_page} layout this instance writes and reads */
    public BufferPageLayout bufferPage() {
        return bufferPage;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CompatibleString> writes() {
        return List.of(FTRACE_V1, FTRACE_V2);
    }

    @Override
    public List<CompatibleString> reads() {
        return List.of(FTRACE_V1, FTRACE_V2);
    }

    /** @return the preferred version for every generation: the format does not depend on the KHO root's */
    @Override
    public Optional<CompatibleString> versionFor(AbiGeneration generation) {
        return Optional.of(preferred);
    }

    @Override
    public List<StructLayout> layouts(CompatibleString version, WriteContext context) {
        return List.of(bufferPage.structLayout());
    }

    @Override
    public List<FtraceState> abiSamples() {
        return List.of(FtraceSamples.grafExample(bufferPage), new FtraceState(List.of(), List.of()));
    }

    /**
     * @throws IllegalArgumentException if a buffer_page range is not {@link BufferPageLayout#size()} bytes inside
     *     one page, or a data page is not one aligned page of the context's size
     */
    @Override
    public void write(FtraceState state, SubtreeWriter out) {
        boolean v2 = out.version().equals(FTRACE_V2);
        int page = out.context().pageSize();
        for (TraceArray a : state.arrays()) {
            for (CpuBuffer c : a.cpus()) {
                long[] mem = c.mem();
                for (int i = 0; i < mem.length; i += PAGE_WORDS) {
                    String problem = pageProblem(mem[i], mem[i + 1], mem[i + 2], mem[i + 3], page);
                    if (problem != null) {
                        throw new IllegalArgumentException(a.name() + "/" + c.nodeName() + ": " + problem);
                    }
                }
            }
        }
        out.compatible();
        int[] events = new int[2 * state.events().size()];
        for (int i = 0; i < state.events().size(); i++) {
            events[2 * i] = state.events().get(i).crc();
            events[2 * i + 1] = state.events().get(i).type();
        }
        out.u32s(EVENTS, events);
        for (TraceArray a : state.arrays()) {
            out.beginNode(a.name()).strings(COMPATIBLE, (v2 ? ARRAY_V2 : ARRAY_V1).toString())
                    .u32(flagsProperty(v2), a.traceFlags());
            if (nodes == NodeLayout.V3_READER_PATH) {
                out.beginNode(TraceArray.BUFFER);
            }
            for (CpuBuffer c : a.cpus()) {
                // the buffer's own words: the writer copies a value, it never keeps or changes the array
                out.beginNode(c.nodeName()).strings(COMPATIBLE, bufferPage.cpuCompatible().toString())
                        .u32(CPU, c.cpu()).u64s(MEM, c.mem()).endNode();
            }
            if (nodes == NodeLayout.V3_READER_PATH) {
                out.endNode();
            }
            out.endNode();
        }
        preservePages(state, out, page);
    }

    private static String flagsProperty(boolean v2) {
        return v2 ? "trace-flags" : "trace_flags";
    }

    /** @return what is wrong with one {@code mem} pair for this layout and page size, or null */
    private String pageProblem(long bpage, long bpageLen, long data, long dataLen, int page) {
        if (bpageLen != bufferPage.size()) {
            return String.format("struct buffer_page at 0x%x has length 0x%x, the layout of %s says 0x%x", bpage,
                    bpageLen, bufferPage.cpuCompatible(), bufferPage.size());
        }
        // page is 4, 16 or 64 KiB (the constructor and WriteContext check): shifts and masks instead of a long
        // division per page, which was most of the cost of a quarter of a million pages
        int shift = Integer.numberOfTrailingZeros(page);
        if (bpage < 0 || bpage > Long.MAX_VALUE - bpageLen || bpage >>> shift != (bpage + bpageLen - 1) >>> shift) {
            return String.format("struct buffer_page at 0x%x (0x%x bytes) crosses a page boundary", bpage, bpageLen);
        }
        if (dataLen != page) {
            return String.format("data page at 0x%x has length 0x%x, not the page size 0x%x", data, dataLen, page);
        }
        if (data < 0 || (data & (page - 1)) != 0 || data > Long.MAX_VALUE - page) {
            return String.format("data page at 0x%x is not aligned to 0x%x", data, page);
        }
        return null;
    }

    private static void preservePages(FtraceState state, SubtreeWriter out, int page) {
        for (PhysRange run : Ranges.pageRuns(FtraceState.mems(state.arrays()), page)) {
            out.preserve(run);
        }
    }

    @Override
    public FtraceState restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        boolean v2 = version.equals(FTRACE_V2);
        FdtNode root = in.fdt().root();
        if (v2) {
            read.onlyProperties(root, List.of(COMPATIBLE, EVENTS));
        }
        List<TraceEvent> events = events(read.require(root, EVENTS));
        List<TraceArray> arrays = new ArrayList<>();
        for (FdtNode array : root.children()) {
            arrays.add(array(array, v2));
        }
        try {
            return new FtraceState(events, arrays);
        } catch (IllegalArgumentException e) {
            throw read.at(root, e.getMessage());
        }
    }

    private List<TraceEvent> events(FdtProperty p) throws RestoreException {
        if (p.length() % 8 != 0) {
            throw read.at(p, p.valueOffset(), "length " + p.length() + " is not a whole number of {u32 crc, u32 type}"
                    + " pairs");
        }
        ByteBuffer b = read.value(p);
        List<TraceEvent> events = new ArrayList<>(p.length() / 8);
        for (int i = 0; i < p.length(); i += 8) {
            events.add(new TraceEvent(b.getInt(i), b.getInt(i + 4)));
        }
        return events;
    }

    private TraceArray array(FdtNode array, boolean v2) throws RestoreException {
        read.requireCompatible(array, (v2 ? ARRAY_V2 : ARRAY_V1).toString());
        String flags = flagsProperty(v2);
        if (v2) {
            read.onlyProperties(array, List.of(COMPATIBLE, flags));
        }
        int traceFlags = read.u32(array, flags);
        Optional<FdtNode> buffer = array.child(TraceArray.BUFFER);
        FdtNode container = buffer.orElse(array);
        if (buffer.isPresent()) {
            for (FdtNode other : array.children()) {
                if (!other.equals(buffer.get()) && (v2 || CPU_NODE.matcher(other.name()).matches())) {
                    throw read.at(other, "beside the 'buffer' node: CPU nodes belong either directly under the array"
                            + " or under 'buffer', not both");
                }
            }
            if (v2) {
                read.onlyProperties(buffer.get(), List.of());
            }
        }
        List<CpuBuffer> cpus = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (FdtNode node : container.children()) {
            if (!CPU_NODE.matcher(node.name()).matches()) {
                if (v2) {
                    throw read.at(node, "not a cpu%x node");
                }
                continue;
            }
            CpuBuffer c = cpu(node, v2);
            if (!seen.add(c.cpu())) {
                throw read.at(node, "CPU " + c.cpu() + " appears twice");
            }
            cpus.add(c);
        }
        try {
            return new TraceArray(array.name(), traceFlags, cpus);
        } catch (IllegalArgumentException e) {
            throw read.at(array, e.getMessage());
        }
    }

    private CpuBuffer cpu(FdtNode node, boolean v2) throws RestoreException {
        FdtProperty compatible = read.require(node, COMPATIBLE);
        List<String> found;
        try {
            found = compatible.strings();
        } catch (FdtFormatException e) {
            throw read.at(compatible, compatible.valueOffset(), "not a string list: " + e.getMessage());
        }
        if (!found.contains(bufferPage.cpuCompatible().toString())) {
            throw read.at(node, "compatible " + found + " is not the struct buffer_page layout this reader copies ("
                    + bufferPage.cpuCompatible() + "): a changed layout bumps ftrace,cpu-vN (kho-abi.md §5)");
        }
        if (v2) {
            read.onlyProperties(node, List.of(COMPATIBLE, CPU, MEM));
        }
        int cpu = read.u32(node, CPU);
        if (cpu < 0 || cpu >= MAX_CPUS) {
            throw read.at(node.property(CPU).orElseThrow(), node.property(CPU).orElseThrow().valueOffset(),
                    "CPU " + Integer.toUnsignedString(cpu) + " is beyond the bound of " + MAX_CPUS);
        }
        if (!node.name().equals("cpu" + Integer.toHexString(cpu))) {
            throw read.at(node, "the name does not match cpu = " + cpu + " (expected cpu"
                    + Integer.toHexString(cpu) + ", the kernel's \"cpu%x\")");
        }
        FdtProperty mem = read.require(node, MEM);
        if (mem.length() % ELEMENT_BYTES != 0) {
            throw read.at(mem, mem.valueOffset(), "length " + mem.length() + " is not a whole number of {u64 phys,"
                    + " u64 len} elements");
        }
        if (mem.length() % PAGE_ENTRY_BYTES != 0) {
            throw read.at(mem, mem.valueOffset(), "odd number of elements (" + mem.length() / ELEMENT_BYTES
                    + "): each page is a buffer_page element followed by a data page element");
        }
        long[] words;
        try {
            words = mem.u64Array(Nodes.NATIVE);
        } catch (FdtFormatException e) {
            throw read.at(mem, mem.valueOffset(), e.getMessage());
        }
        for (int i = 0; i < words.length; i += PAGE_WORDS) {
            String problem = pageProblem(words[i], words[i + 1], words[i + 2], words[i + 3], pageSize);
            if (problem != null) {
                throw read.at(mem, (long) mem.valueOffset() + (long) i * Long.BYTES, "page " + i / PAGE_WORDS + ": "
                        + problem);
            }
        }
        // pageProblem leaves every pair a valid PhysRange
        return new CpuBuffer(cpu, MemPages.trusted(words));
    }

    /**
     * The successor's half of the v3 restore: reads each old {@code struct buffer_page} from the inbound memory
     * and takes over {@code write}, {@code entries} and {@code real_end} (kho-abi.md §6).
     *
     * @param buffer a restored CPU buffer
     * @param memory the memory the handover came from
     * @return one entry per page, in {@code mem} order
     * @throws RestoreException naming the address if a struct is not in RAM, or {@code write} or {@code real_end}
     *     lies outside its data page, or {@code entries} is negative
     */
    public List<RestoredPage> restorePages(CpuBuffer buffer, PhysicalMemory memory) throws RestoreException {
        List<RestoredPage> out = new ArrayList<>(buffer.pages().size());
        for (BufferPage p : buffer.pages()) {
            long at = p.bpage().start();
            if (p.bpage().size() != bufferPage.size()) {
                throw new RestoreException(NAME, String.format("cpu %d: struct buffer_page at 0x%x has length 0x%x,"
                        + " the layout says 0x%x", buffer.cpu(), at, p.bpage().size(), bufferPage.size()), null);
            }
            byte[] struct;
            try {
                struct = memory.read(at, bufferPage.size());
            } catch (PhysicalMemoryException e) {
                throw new RestoreException(NAME, String.format("cpu %d: struct buffer_page at 0x%x: %s", buffer.cpu(),
                        at, e.getMessage()), e);
            }
            long[] f = bufferPage.fields(struct);
            long limit = p.data().size();
            if (f[0] < 0 || f[0] > limit || f[2] < 0 || f[2] > limit || f[1] < 0) {
                throw new RestoreException(NAME, String.format("cpu %d: struct buffer_page at 0x%x has write=0x%x"
                        + " entries=%d real_end=0x%x, outside its 0x%x-byte data page at 0x%x", buffer.cpu(), at, f[0],
                        f[1], f[2], limit, p.data().start()), null);
            }
            out.add(new RestoredPage(p, f[0], f[1], f[2]));
        }
        return out;
    }
}
