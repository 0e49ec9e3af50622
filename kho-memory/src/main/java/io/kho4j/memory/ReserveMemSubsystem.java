package io.kho4j.memory;

import io.kho4j.abi.CompatibleString;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.memory.Revival.Outcome;
import io.kho4j.memory.internal.Inbound;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * memblock's {@code reserve_mem=} handover (6.16+, every generation; kho-abi.md §6, mm/memblock.c
 * {@code prepare_kho_fdt}, include/linux/kho/abi/memblock.h): a one-page FDT named {@code memblock}
 * <pre>
 *   / { compatible = "memblock-v1";
 *       &lt;name&gt; { compatible = "reserve-mem-v1"; start = &lt;u64&gt;; size = &lt;u64&gt;; };  one per region
 *   };
 * </pre>
 * with {@code start} and {@code size} CPU-native. Each region is preserved as a page range, which is why only
 * page-aligned regions can be handed over ({@code kho_preserve_phys} / {@code kho_preserve_pages} refuse others).
 *
 * <p>Reading keeps every child the kernel could revive and records the others ({@link ReserveMem#unusable()}):
 * the kernel checks each name on its own when {@code reserve_mem=} asks for it ({@link ReserveMem#revive}).
 */
public final class ReserveMemSubsystem implements SubsystemSerializer<ReserveMem>, Restorer<ReserveMem> {
    /** {@code MEMBLOCK_KHO_FDT}: the subtree name. */
    public static final String NAME = "memblock";
    /** {@code MEMBLOCK_KHO_NODE_COMPATIBLE} (kho-abi.md §6). */
    public static final CompatibleString MEMBLOCK_V1 = CompatibleString.of("memblock-v1");
    /** {@code RESERVE_MEM_KHO_NODE_COMPATIBLE}: each region's node (kho-abi.md §6). */
    public static final String RESERVE_MEM_V1 = "reserve-mem-v1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CompatibleString> writes() {
        return List.of(MEMBLOCK_V1);
    }

    @Override
    public List<CompatibleString> reads() {
        return List.of(MEMBLOCK_V1);
    }

    /** @throws IllegalArgumentException for more than {@link ReserveMemRequest#MAX_ENTRIES} or unaligned regions */
    @Override
    public void write(ReserveMem state, SubtreeWriter out) {
        if (state.regions().size() > ReserveMemRequest.MAX_ENTRIES) {
            throw new IllegalArgumentException(state.regions().size() + " reserve_mem regions; the kernel keeps at most "
                    + ReserveMemRequest.MAX_ENTRIES);
        }
        out.compatible();
        for (ReserveMemRegion r : state.regions()) {
            out.beginNode(r.name()).strings("compatible", RESERVE_MEM_V1).u64("start", r.start()).u64("size", r.size())
                    .endNode();
            out.preserve(r.range());
        }
    }

    @Override
    public List<ReserveMem> abiSamples() {
        return List.of(MemorySamples.reserveMemExample(), ReserveMem.of(List.of()));
    }

    @Override
    public ReserveMem restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        List<ReserveMemRegion> regions = new ArrayList<>();
        List<ReserveMem.Unusable> unusable = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (FdtNode child : in.fdt().root().children()) {
            String name = child.name();
            String at = "node '" + name + "' at offset " + child.offset();
            if (!seen.add(name)) {
                unusable.add(new ReserveMem.Unusable(name, Outcome.SHADOWED, at + " repeats a name; the kernel finds"
                        + " only the first"));
                continue;
            }
            if (!Inbound.isCompatible(child, RESERVE_MEM_V1)) {
                unusable.add(new ReserveMem.Unusable(name, Outcome.INCOMPATIBLE, "Node '" + name + "' is incompatible"
                        + " with '" + RESERVE_MEM_V1 + "' (" + at + ", compatible " + Inbound.compatibles(child) + ")"));
                continue;
            }
            Optional<FdtProperty> start = child.property("start");
            Optional<FdtProperty> size = child.property("size");
            if (start.isEmpty() || size.isEmpty() || start.get().length() != 8 || size.get().length() != 8) {
                unusable.add(new ReserveMem.Unusable(name, Outcome.BAD_PROPERTIES, at + ": start and size must both be"
                        + " 8 bytes"));
                continue;
            }
            long s = Inbound.u64(NAME, child, "start");
            long z = Inbound.u64(NAME, child, "size");
            try {
                regions.add(new ReserveMemRegion(name, s, z));
            } catch (IllegalArgumentException e) {
                unusable.add(new ReserveMem.Unusable(name, Outcome.BAD_PROPERTIES, at + ": " + e.getMessage()));
            }
        }
        return new ReserveMem(regions, unusable);
    }
}
