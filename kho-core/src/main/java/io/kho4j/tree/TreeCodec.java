package io.kho4j.tree;

import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.MemoryReservation;
import io.kho4j.fdt.ValidatedFdt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/** Converts between the {@link KhoNode} model and FDT blobs. Neither direction recurses. */
public final class TreeCodec {
    private TreeCodec() {
    }

    /**
     * Encodes a tree with the {@link FdtWriter.Layout#DTC} layout and no reservations.
     *
     * @param root the root node, named {@code ""}
     * @return the blob
     */
    public static byte[] encode(KhoNode root) {
        return encode(root, List.of(), FdtWriter.create());
    }

    /**
     * Encodes a tree.
     *
     * @param root the root node, named {@code ""}
     * @param reservations memory-reservation entries
     * @param writer a fresh writer, which sets the layout
     * @return the blob
     */
    public static byte[] encode(KhoNode root, List<MemoryReservation> reservations, FdtWriter writer) {
        for (MemoryReservation r : reservations) {
            writer.addReservation(r.address(), r.size());
        }
        Deque<Iterator<KhoNode>> stack = new ArrayDeque<>();
        open(writer, root);
        stack.push(root.children().iterator());
        while (!stack.isEmpty()) {
            Iterator<KhoNode> it = stack.peek();
            if (it.hasNext()) {
                KhoNode child = it.next();
                open(writer, child);
                stack.push(child.children().iterator());
            } else {
                writer.endNode();
                stack.pop();
            }
        }
        return writer.finish();
    }

    private static void open(FdtWriter writer, KhoNode node) {
        writer.beginNode(node.name());
        for (Property p : node.properties()) {
            byte[] v = p.valueUnsafe();
            writer.property(p.name(), v, 0, v.length);
        }
    }

    /**
     * Copies a validated blob into the model (reservations are not part of the model: read them from
     * {@link ValidatedFdt#memoryReservations()}).
     *
     * @param fdt a validated blob
     * @return its root node
     */
    public static KhoNode decode(ValidatedFdt fdt) {
        List<FdtNode> nodes = fdt.nodes();
        // Build bottom-up: nodes are in document order, so every child comes after its parent.
        List<List<KhoNode>> childrenOf = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            childrenOf.add(new ArrayList<>());
        }
        java.util.Map<FdtNode, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            ids.put(nodes.get(i), i);
        }
        KhoNode[] built = new KhoNode[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            FdtNode n = nodes.get(i);
            KhoNode.Builder b = KhoNode.builder(n.name());
            for (FdtProperty p : n.properties()) {
                b.property(Property.of(p.name(), p.bytes()));
            }
            List<KhoNode> kids = childrenOf.get(i);
            for (int k = kids.size() - 1; k >= 0; k--) {
                b.child(kids.get(k));
            }
            built[i] = b.build();
            n.parent().ifPresent(p -> childrenOf.get(ids.get(p)).add(built[ids.get(n)]));
        }
        return built[0];
    }
}
