package io.kho4j.gic;

import io.kho4j.abi.CompatibleString;
import io.kho4j.fdt.FdtNode;
import io.kho4j.gic.internal.PageRanges;
import io.kho4j.gic.internal.Props;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * GICv3 LPI and ITS tables as a KHO subtree named {@code gic}. <b>This is kho4j's own format</b>: upstream Linux has
 * no KHO format for the GIC (kho-abi.md §6, "NOT FOUND: any upstream use of KHO for GICv3 ITS"); the kernel
 * carries the LPI tables across kexec in the EFI {@code LINUX_EFI_MEMRESERVE} list instead ({@link EfiMemreserve}).
 * The compatible strings therefore live in the {@code kho4j,} vendor namespace, and no kernel reads them.
 * <pre>
 *   / { compatible = "kho4j,gicv3-v1";
 *       lpi-id-bits = &lt;u32&gt;;                   GICR_PROPBASER.IDbits + 1
 *       lpi-prop-table = &lt;u64&gt;;                property table address (size follows from the id bits)
 *       rdist@&lt;cpu&gt; { cpu = &lt;u32&gt;; lpi-pend-table = &lt;u64 address, u64 size&gt;; };   one per CPU
 *       its@&lt;frame&gt; { frame = &lt;u64&gt;;          the ITS register frame
 *           baser@&lt;n&gt; { baser = &lt;u32&gt;; type = &lt;u32&gt;; entry-size = &lt;u32&gt;; page-size = &lt;u32&gt;;
 *                       table = &lt;u64 address, u64 size&gt;;
 *                       indirect;  level2-tables = &lt;u64 ...&gt;;   two-level tables only
 *           };
 *       };
 *   };
 * </pre>
 * Values are CPU-native like every KHO value (kho-abi.md §1). Every table is preserved (rounded out to whole pages,
 * each page once); node names carry unit addresses for readers, but the restorer reads only properties.
 */
public final class GicSubsystem implements SubsystemSerializer<GicState>, Restorer<GicState> {
    /** The subtree name. */
    public static final String NAME = "gic";
    /** kho4j's own compatible: no upstream format exists (kho-abi.md §6). */
    public static final CompatibleString GICV3_V1 = CompatibleString.of("kho4j,gicv3-v1");

    private static final String RDIST = "rdist@";
    private static final String ITS = "its@";
    private static final String BASER = "baser@";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CompatibleString> writes() {
        return List.of(GICV3_V1);
    }

    @Override
    public List<CompatibleString> reads() {
        return List.of(GICV3_V1);
    }

    @Override
    public List<GicState> abiSamples() {
        return List.of(GicSamples.example());
    }

    @Override
    public void write(GicState state, SubtreeWriter out) {
        out.compatible();
        out.u32("lpi-id-bits", state.propertyTable().idBits());
        out.u64("lpi-prop-table", state.propertyTable().address());
        for (LpiPendingTable p : state.pendingTables()) {
            out.beginNode(RDIST + Integer.toHexString(p.cpu())).u32("cpu", p.cpu())
                    .u64s("lpi-pend-table", p.address(), p.size()).endNode();
        }
        for (Its its : state.its()) {
            out.beginNode(ITS + Long.toHexString(its.base())).u64("frame", its.base());
            for (ItsTable t : its.tables()) {
                out.beginNode(BASER + t.baser()).u32("baser", t.baser()).u32("type", t.type().code())
                        .u32("entry-size", t.entrySize()).u32("page-size", t.pageSize())
                        .u64s("table", t.address(), t.size());
                if (t.indirect()) {
                    out.empty("indirect");
                    if (!t.level2Tables().isEmpty()) {
                        out.u64s("level2-tables", t.level2Tables().stream().mapToLong(Long::longValue).toArray());
                    }
                }
                out.endNode();
            }
            out.endNode();
        }
        List<PhysRange> ranges = state.regions().stream().map(GicRegion::range).toList();
        PageRanges.cover(ranges, out.context().pageSize()).forEach(out::preserve);
    }

    @Override
    public GicState restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        Props props = new Props(NAME);
        FdtNode root = in.fdt().root();
        int idBits = props.u32(root, "lpi-id-bits");
        long propAddress = props.u64(root, "lpi-prop-table");
        LpiPropertyTable prop = build(props, root, () -> new LpiPropertyTable(propAddress, idBits));
        List<LpiPendingTable> pending = new ArrayList<>();
        List<Its> its = new ArrayList<>();
        for (FdtNode child : root.children()) {
            if (child.name().startsWith(RDIST)) {
                int cpu = props.u32(child, "cpu");
                long[] table = props.u64s(child, "lpi-pend-table", 2);
                pending.add(build(props, child, () -> new LpiPendingTable(cpu, table[0], table[1])));
            } else if (child.name().startsWith(ITS)) {
                its.add(readIts(props, child));
            } else {
                throw props.error(child, "unexpected node in a " + GICV3_V1 + " subtree");
            }
        }
        GicState state = build(props, root, () -> new GicState(prop, pending, its));
        Optional<PhysicalMemory> memory = in.memory();
        if (memory.isPresent()) {
            for (GicRegion r : state.regions()) {
                if (!memory.get().isRam(r.range().start(), r.range().size())) {
                    throw new RestoreException(NAME, r.kind() + " table " + r.range() + " is not in RAM", null);
                }
            }
        }
        return state;
    }

    private static Its readIts(Props props, FdtNode node) throws RestoreException {
        long frame = props.u64(node, "frame");
        List<ItsTable> tables = new ArrayList<>();
        for (FdtNode b : node.children()) {
            if (!b.name().startsWith(BASER)) {
                throw props.error(b, "unexpected node in an ITS");
            }
            int baser = props.u32(b, "baser");
            int code = props.u32(b, "type");
            ItsTableType type = ItsTableType.of(code).orElseThrow(() -> props.error(b, "GITS_BASER type " + code
                    + " is none or reserved"));
            int entrySize = props.u32(b, "entry-size");
            int pageSize = props.u32(b, "page-size");
            long[] table = props.u64s(b, "table", 2);
            boolean indirect = b.property("indirect").isPresent();
            List<Long> level2 = new ArrayList<>();
            if (b.property("level2-tables").isPresent()) {
                for (long a : props.u64s(b, "level2-tables")) {
                    level2.add(a);
                }
            }
            tables.add(build(props, b, () -> new ItsTable(baser, type, entrySize, pageSize, indirect, table[0],
                    table[1], level2)));
        }
        return build(props, node, () -> new Its(frame, tables));
    }

    /** The records validate; their refusal of an inbound value becomes a RestoreException at the node. */
    private static <T> T build(Props props, FdtNode node, Supplier<T> factory)
            throws RestoreException {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw props.error(node, e.getMessage());
        }
    }
}
