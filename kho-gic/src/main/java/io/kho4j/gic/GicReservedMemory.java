package io.kho4j.gic;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import io.kho4j.tree.TreeCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * GIC tables as device-tree {@code /reserved-memory} children with the GIC node's {@code memory-region} pointing at
 * them: the hand-off for a successor booted with a DTB and no EFI. Follows
 * Documentation/devicetree/bindings/reserved-memory/reserved-memory.yaml: one child per table, named
 * {@code <kind>@<address>}, with {@code reg} in the {@code #address-cells}/{@code #size-cells} of
 * {@code /reserved-memory} (big-endian cells, as DT requires) and a {@code phandle}. No {@code no-map}: the binding
 * reserves that for memory the OS must not map or access speculatively, while the GIC driver itself reads and writes
 * these tables through cacheable mappings.
 *
 * <p><b>kho4j's convention</b>: the upstream arm,gic-v3 driver does not read {@code memory-region} (it reserves
 * LPI tables through {@link EfiMemreserve}). The one proposal to do so, Pavel Tatashin's "[PATCH v1 5/6]
 * irqchip/gic-v3-its" (linux-arm-kernel, 2019-08-26, not merged), read {@code memory-region} index 0 of the GIC
 * node as one pool to allocate the LPI tables from; here every table gets its own node and phandle instead. Each child carries {@code compatible = "kho4j,gicv3-table"}
 * so that a later hand-off replaces the nodes of an earlier one instead of piling up (the repeated-kexec lesson
 * of kho-abi.md §8).
 */
public final class GicReservedMemory {
    /** The reserved-memory node under the root. */
    public static final String NODE = "reserved-memory";
    /** Marks the children this class writes. */
    public static final String COMPATIBLE = "kho4j,gicv3-table";

    /** Devicetree Specification 2.3.5: a node without {@code #address-cells}/{@code #size-cells} implies 2 and 1. */
    private static final int DEFAULT_ADDRESS_CELLS = 2;
    private static final int DEFAULT_SIZE_CELLS = 1;

    private GicReservedMemory() {
    }

    /**
     * Returns the DTB with the GIC tables reserved and wired to the GIC node.
     *
     * @param dtb the boot DTB
     * @param state the tables
     * @param gicPath full path of the GIC node, e.g. {@code /intc@8000000}
     * @return the new DTB (dtc layout; memory reservations kept)
     * @throws GicDeviceTreeException if the GIC node is missing, cells are not 1 or 2, {@code /reserved-memory}
     *     has a non-empty {@code ranges}, a table does not fit the cells, or the DTB cannot be written again
     */
    public static byte[] apply(ValidatedFdt dtb, GicState state, String gicPath) throws GicDeviceTreeException {
        FdtNode gic = dtb.find(gicPath).orElseThrow(() -> new GicDeviceTreeException(-1, "no GIC node " + gicPath));
        if (gic.depth() == 0) {
            throw new GicDeviceTreeException(gic.offset(), "the GIC node cannot be the root");
        }
        Optional<FdtProperty> oldRegion = gic.property("memory-region");
        if (oldRegion.isPresent() && oldRegion.get().length() % 4 != 0) {
            throw new GicDeviceTreeException(gic.offset(), gic.path() + ": memory-region is "
                    + oldRegion.get().length() + " bytes, not a list of u32 phandles");
        }
        Optional<FdtNode> existing = dtb.root().child(NODE);
        int ac = cells(dtb.root(), "#address-cells", DEFAULT_ADDRESS_CELLS);
        int sc = cells(dtb.root(), "#size-cells", DEFAULT_SIZE_CELLS);
        if (existing.isPresent()) {
            FdtNode rm = existing.get();
            ac = cells(rm, "#address-cells", ac);
            sc = cells(rm, "#size-cells", sc);
            Optional<FdtProperty> ranges = rm.property("ranges");
            if (ranges.isPresent() && ranges.get().length() != 0) {
                throw new GicDeviceTreeException(rm.offset(), "/" + NODE + " translates addresses (non-empty"
                        + " ranges); only an identity mapping is supported");
            }
        }
        KhoNode root = TreeCodec.decode(dtb);
        KhoNode old = root.child(NODE).orElse(KhoNode.builder(NODE)
                .property(Property.u32("#address-cells", ac, ByteOrder.BIG_ENDIAN))
                .property(Property.u32("#size-cells", sc, ByteOrder.BIG_ENDIAN))
                .property(Property.empty("ranges")).build());
        Set<Integer> stale = new HashSet<>();
        KhoNode.Builder rm = KhoNode.builder(NODE);
        old.properties().forEach(rm::property);
        for (KhoNode c : old.children()) {
            if (isOurs(c)) {
                phandle(c).ifPresent(stale::add);
            } else {
                rm.child(c);
            }
        }
        int next = maxPhandle(root) + 1;
        List<Integer> phandles = new ArrayList<>();
        for (GicRegion r : state.regions()) {
            int ph = next++;
            phandles.add(ph);
            rm.child(KhoNode.builder(r.kind() + "@" + Long.toHexString(r.range().start()))
                    .property(Property.strings("compatible", COMPATIBLE))
                    .property(Property.of("reg", reg(ac, sc, r, existing.map(FdtNode::offset).orElse(-1))))
                    .property(Property.u32("phandle", ph, ByteOrder.BIG_ENDIAN)).build());
        }
        KhoNode reserved = rm.build();
        KhoNode withReserved = replaceChild(root, NODE, n -> reserved, true);
        // the path as the validated tree spells it, so that the walk below meets the node find() met
        String[] segments = gic.path().substring(1).split("/");
        KhoNode wired = replaceAlong(withReserved, segments, 0, n -> withMemoryRegion(n, stale, phandles));
        try {
            return TreeCodec.encode(wired, dtb.memoryReservations(), FdtWriter.create());
        } catch (IllegalArgumentException e) {
            throw new GicDeviceTreeException(-1, "the DTB cannot be written again: " + e.getMessage());
        }
    }

    private static KhoNode withMemoryRegion(KhoNode gic, Set<Integer> stale, List<Integer> added) {
        List<Integer> keep = new ArrayList<>();
        Optional<Property> existing = gic.property("memory-region");
        if (existing.isPresent()) {
            ByteBuffer b = existing.get().buffer();
            while (b.remaining() >= 4) {
                int ph = b.getInt();
                if (!stale.contains(ph)) {
                    keep.add(ph);
                }
            }
        }
        keep.addAll(added);
        ByteBuffer v = ByteBuffer.allocate(4 * keep.size());
        keep.forEach(v::putInt);
        Property region = Property.of("memory-region", v.array());
        KhoNode.Builder b = KhoNode.builder(gic.name());
        boolean replaced = false;
        for (Property p : gic.properties()) {
            if (p.name().equals("memory-region")) {
                if (!replaced) {
                    b.property(region);
                    replaced = true;
                }
            } else {
                b.property(p);
            }
        }
        if (!replaced) {
            b.property(region);
        }
        gic.children().forEach(b::child);
        return b.build();
    }

    /** Depth is bounded by the path's segments, which the validated DTB's depth limit bounds. */
    private static KhoNode replaceAlong(KhoNode node, String[] segments, int i, UnaryOperator<KhoNode> change) {
        if (i == segments.length) {
            return change.apply(node);
        }
        return replaceChild(node, segments[i], c -> replaceAlong(c, segments, i + 1, change), false);
    }

    private static KhoNode replaceChild(KhoNode parent, String name, UnaryOperator<KhoNode> change, boolean append) {
        KhoNode.Builder b = KhoNode.builder(parent.name());
        parent.properties().forEach(b::property);
        boolean done = false;
        for (KhoNode c : parent.children()) {
            if (!done && c.name().equals(name)) {
                b.child(change.apply(c));
                done = true;
            } else {
                b.child(c);
            }
        }
        if (!done && append) {
            b.child(change.apply(null));
        }
        return b.build();
    }

    private static boolean isOurs(KhoNode node) {
        Optional<Property> c = node.property("compatible");
        if (c.isEmpty()) {
            return false;
        }
        for (String s : new String(c.get().value(), StandardCharsets.ISO_8859_1).split("\0")) {
            if (s.equals(COMPATIBLE)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Integer> phandle(KhoNode node) {
        for (String name : List.of("phandle", "linux,phandle")) {
            Optional<Property> p = node.property(name);
            if (p.isPresent() && p.get().length() == 4) {
                return Optional.of(p.get().buffer().getInt());
            }
        }
        return Optional.empty();
    }

    /** Iterative: a DTB's depth is bounded, but there is no need to recurse to find its largest phandle. */
    private static int maxPhandle(KhoNode root) throws GicDeviceTreeException {
        int max = 0;
        Deque<KhoNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            KhoNode n = todo.pop();
            Optional<Integer> ph = phandle(n);
            if (ph.isPresent() && Integer.compareUnsigned(ph.get(), max) > 0) {
                max = ph.get();
            }
            n.children().forEach(todo::push);
        }
        // 0 and 0xffffffff are not valid phandles (Devicetree Specification 2.3.3)
        if (Integer.compareUnsigned(max, 0xfffffffe - 64) > 0) {
            throw new GicDeviceTreeException(-1, String.format("phandle 0x%x leaves no room for new ones", max));
        }
        return max;
    }

    private static byte[] reg(int ac, int sc, GicRegion r, int offset) throws GicDeviceTreeException {
        ByteBuffer b = ByteBuffer.allocate(4 * (ac + sc));
        put(b, ac, r.range().start(), r, offset);
        put(b, sc, r.range().size(), r, offset);
        return b.array();
    }

    private static void put(ByteBuffer b, int cells, long value, GicRegion r, int offset)
            throws GicDeviceTreeException {
        if (cells == 1) {
            if (value >>> 32 != 0) {
                throw new GicDeviceTreeException(offset, r.kind() + " " + r.range() + " does not fit one cell");
            }
            b.putInt((int) value);
        } else {
            b.putLong(value);
        }
    }

    private static int cells(FdtNode node, String name, int fallback) throws GicDeviceTreeException {
        Optional<FdtProperty> p = node.property(name);
        if (p.isEmpty()) {
            return fallback;
        }
        int v;
        try {
            v = p.get().u32(ByteOrder.BIG_ENDIAN);
        } catch (FdtFormatException e) {
            throw new GicDeviceTreeException(node.offset(), node.path() + ": " + e.getMessage());
        }
        if (v != 1 && v != 2) {
            throw new GicDeviceTreeException(node.offset(), node.path() + ": " + name + " = " + v + "; only 1 or 2"
                    + " cells are supported");
        }
        return v;
    }
}
