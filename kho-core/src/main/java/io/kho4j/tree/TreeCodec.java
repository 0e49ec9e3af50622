package io.kho4j.tree;

import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.MemoryReservation;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.fdt.internal.FdtLayout;
import io.kho4j.fdt.internal.FdtStrings;
import io.kho4j.fdt.internal.WriterAccess;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
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
     * Encodes a tree into one array of exactly the blob's size, computed first ({@link #encodedSize}), so
     * the result is written once and never copied.
     *
     * @param root the root node, named {@code ""}
     * @param reservations memory-reservation entries
     * @param writer a fresh writer from {@link FdtWriter#create}, which sets the layout
     * @return the blob
     */
    public static byte[] encode(KhoNode root, List<MemoryReservation> reservations, FdtWriter writer) {
        sizeAndWrite(root, reservations, writer);
        return writer.finish();
    }

    /**
     * Encodes a tree into a caller's buffer, which can be reused from call to call as libfdt's
     * {@code fdt_create(buf, bufsize)} is: no array is allocated for the blob.
     *
     * @param root the root node, named {@code ""}
     * @param reservations memory-reservation entries
     * @param writer a fresh writer from {@link FdtWriter#over}, which sets the layout and the buffer
     * @return the blob's size: the buffer holds it in {@code [0, size)}
     * @throws io.kho4j.fdt.FdtBufferTooSmallException before anything is written if the buffer is smaller
     *     than {@link #encodedSize}
     */
    public static int encodeInto(KhoNode root, List<MemoryReservation> reservations, FdtWriter writer) {
        sizeAndWrite(root, reservations, writer);
        return writer.finishInBuffer();
    }

    /**
     * The exact size of the blob that {@link #encode} writes for a tree: the struct block from the tokens,
     * the strings block from the names in document order (a name that is the tail of a stored one shares its
     * bytes, so the order matters).
     *
     * @param root the root node
     * @param reservations memory-reservation entries
     * @param layout the byte layout
     * @return the blob's size in bytes
     * @throws ArithmeticException if the blob would not be addressable by an int
     */
    public static int encodedSize(KhoNode root, List<MemoryReservation> reservations, FdtWriter.Layout layout) {
        return encodedSize(root, reservations, layout, new FdtStrings(layout == FdtWriter.Layout.LIBFDT_SEQUENTIAL));
    }

    /**
     * The exact size first, then the tokens into a buffer of that size; the writer takes over the strings
     * table the size pass built, so the second pass finds every name instead of storing it again.
     */
    private static void sizeAndWrite(KhoNode root, List<MemoryReservation> reservations, FdtWriter writer) {
        FdtStrings strings = new FdtStrings(writer.layout() == FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        writer.ensureCapacity(encodedSize(root, reservations, writer.layout(), strings));
        WriterAccess.adoptStrings(writer, strings);
        write(root, reservations, writer);
    }

    /** @param strings an empty table of the layout's order, which ends up holding every name of the tree */
    private static int encodedSize(KhoNode root, List<MemoryReservation> reservations, FdtWriter.Layout layout,
            FdtStrings strings) {
        long struct = FdtLayout.TAG_SIZE; // FDT_END
        Deque<KhoNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            KhoNode node = pending.pop();
            // FDT_BEGIN_NODE, the name with its NUL, padding; FDT_END_NODE
            struct += FdtLayout.TAG_SIZE + FdtLayout.tagAlign(node.name().length() + 1L) + FdtLayout.TAG_SIZE;
            List<Property> properties = node.properties();
            for (int i = 0; i < properties.size(); i++) { // indexed: no iterator per node
                Property p = properties.get(i);
                struct += FdtLayout.PROP_HEADER_SIZE + FdtLayout.tagAlign(p.valueUnsafe().length);
                strings.findOrAdd(p.name());
            }
            List<KhoNode> children = node.children();
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }
        long structOff = FdtLayout.reservationMapOffset(layout == FdtWriter.Layout.DTC)
                + (reservations.size() + 1L) * FdtLayout.RESERVE_ENTRY_SIZE;
        return Math.toIntExact(structOff + struct + strings.size());
    }

    private static void write(KhoNode root, List<MemoryReservation> reservations, FdtWriter writer) {
        for (MemoryReservation r : reservations) {
            writer.addReservation(r.address(), r.size());
        }
        // The open nodes and the index of each one's next child: no iterator object per node.
        KhoNode[] open = new KhoNode[16];
        int[] nextChild = new int[16];
        int depth = 0;
        open[0] = root;
        open(writer, root);
        while (depth >= 0) {
            List<KhoNode> children = open[depth].children();
            if (nextChild[depth] < children.size()) {
                KhoNode child = children.get(nextChild[depth]++);
                open(writer, child);
                if (++depth == open.length) {
                    open = Arrays.copyOf(open, depth * 2);
                    nextChild = Arrays.copyOf(nextChild, depth * 2);
                }
                open[depth] = child;
                nextChild[depth] = 0;
            } else {
                writer.endNode();
                open[depth--] = null;
            }
        }
    }

    private static void open(FdtWriter writer, KhoNode node) {
        writer.beginNode(node.name());
        List<Property> properties = node.properties();
        for (int i = 0; i < properties.size(); i++) {
            byte[] v = properties.get(i).valueUnsafe();
            writer.property(properties.get(i).name(), v, 0, v.length);
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
