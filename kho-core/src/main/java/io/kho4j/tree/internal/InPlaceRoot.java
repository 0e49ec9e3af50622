package io.kho4j.tree.internal;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.tree.SubtreeRef;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The root FDT of 6.19+ kernels as libfdt's read-write functions leave it after the kernel's calls
 * ({@link io.kho4j.abi.RootLayout#EDITED_IN_PLACE}). Rather than moving bytes around like libfdt, it keeps what
 * those calls determine (children in document order, property order, the strings table, whether any edit packed
 * the blob) and writes the bytes in one go.
 */
public final class InPlaceRoot {
    /** {@code FDT_ALIGN(sizeof(struct fdt_header), 8)}: where {@code fdt_pack} puts the reservation map. */
    private static final int PACKED_RSVMAP = 40;
    private static final int PACKED_STRUCT = PACKED_RSVMAP + 16;
    private static final int FDT_MAGIC = 0xd00dfeed;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int END = 9;

    private final AbiGeneration generation;
    private final ByteOrder order;
    /** Children in document order; each holds its properties in document order. */
    private final List<Child> children = new ArrayList<>();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private boolean edited;

    /** A child node: name and its properties (name, 8-byte value) in document order. */
    private record Child(String name, long address, long size, List<String> propNames, List<Long> values) {
    }

    /** @param generation the root's generation @param order native byte order of values */
    public InPlaceRoot(AbiGeneration generation, ByteOrder order) {
        this.generation = generation;
        this.order = order;
        // kho_out_fdt_setup: the sequential writer stores the newest name first.
        byte[] initial = (AbiGeneration.MEMORY_MAP_PROPERTY + "\0compatible\0").getBytes(StandardCharsets.ISO_8859_1);
        strings.write(initial, 0, initial.length);
    }

    /**
     * Models {@code kho_add_subtree}: {@code fdt_add_subnode} puts the child first among the root's children,
     * each {@code fdt_setprop} puts its property first in the child. Name collisions are the caller's check.
     *
     * @param name child name
     * @param address blob address
     * @param size blob size, written only from kho-v3
     */
    public void add(String name, long address, long size) {
        edited = true;
        List<String> names = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        setprop(names, values, generation.subtreeProperty(), address);
        generation.sizeProperty().ifPresent(p -> setprop(names, values, p, size));
        children.add(0, new Child(name, address, size, names, values));
    }

    /** @return an independent copy, to try an edit without committing it */
    public InPlaceRoot copy() {
        InPlaceRoot c = new InPlaceRoot(generation, order);
        c.strings.reset();
        c.strings.writeBytes(strings.toByteArray());
        c.children.addAll(children);
        c.edited = edited;
        return c;
    }

    /**
     * Models {@code kho_remove_subtree}: deletes the first child in document order whose pointer equals
     * {@code address}; the strings table keeps its names ({@code fdt_del_node} does not touch it).
     *
     * @param address blob address
     * @return whether a child was removed
     */
    public boolean remove(long address) {
        edited = true;
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).address() == address) {
                children.remove(i);
                return true;
            }
        }
        return false;
    }

    /** Models a failed {@code kho_add_subtree}: its {@code fdt_open_into}/{@code fdt_pack} still repack the blob. */
    public void touch() {
        edited = true;
    }

    /** @return child names in document order */
    public List<String> names() {
        return children.stream().map(Child::name).toList();
    }

    /** @return the children in document order */
    public List<SubtreeRef> refs() {
        return children.stream().map(c -> new SubtreeRef(c.name(), c.address(), generation.sizeProperty().isPresent()
                ? OptionalLong.of(c.size()) : OptionalLong.empty())).toList();
    }

    private void setprop(List<String> names, List<Long> values, String prop, long value) {
        if (find(prop) < 0) {
            byte[] b = (prop + "\0").getBytes(StandardCharsets.ISO_8859_1);
            strings.write(b, 0, b.length);
        }
        names.add(0, prop);
        values.add(0, value);
    }

    /** libfdt's {@code fdt_find_string_}: the first place the name and its NUL occur, possibly as a tail. */
    private int find(String name) {
        byte[] table = strings.toByteArray();
        byte[] want = (name + "\0").getBytes(StandardCharsets.ISO_8859_1);
        for (int p = 0; p + want.length <= table.length; p++) {
            if (Arrays.equals(table, p, p + want.length, want, 0, want.length)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * @param memoryMap the {@code preserved-memory-map} value
     * @return the root's bytes, exactly totalsize long
     */
    public byte[] encode(long memoryMap) {
        if (!edited) {
            // kho_out_fdt_setup alone: fdt_create .. fdt_finish, no fdt_pack yet.
            FdtWriter w = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
            w.beginNode("").propertyStrings("compatible", generation.rootCompatible().toString())
                    .propertyU64(AbiGeneration.MEMORY_MAP_PROPERTY, memoryMap, order).endNode();
            return w.finish();
        }
        ByteBuffer st = ByteBuffer.allocate(structSize()).order(ByteOrder.BIG_ENDIAN);
        st.putInt(BEGIN_NODE).putInt(0);
        byte[] compat = (generation.rootCompatible() + "\0").getBytes(StandardCharsets.ISO_8859_1);
        putProp(st, "compatible", compat);
        putProp(st, AbiGeneration.MEMORY_MAP_PROPERTY, u64(memoryMap));
        for (Child c : children) {
            st.putInt(BEGIN_NODE);
            byte[] n = c.name().getBytes(StandardCharsets.ISO_8859_1);
            st.put(n).put((byte) 0).put(new byte[pad(n.length + 1)]);
            for (int i = 0; i < c.propNames().size(); i++) {
                putProp(st, c.propNames().get(i), u64(c.values().get(i)));
            }
            st.putInt(END_NODE);
        }
        st.putInt(END_NODE).putInt(END);
        byte[] table = strings.toByteArray();
        int stringsOff = PACKED_STRUCT + st.capacity();
        int total = stringsOff + table.length;
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
        out.putInt(FDT_MAGIC).putInt(total).putInt(PACKED_STRUCT).putInt(stringsOff).putInt(PACKED_RSVMAP)
                .putInt(17).putInt(16).putInt(0).putInt(table.length).putInt(st.capacity());
        out.position(PACKED_STRUCT);
        out.put(st.array()).put(table);
        return out.array();
    }

    private int structSize() {
        int size = 8 + propSize(generation.rootCompatible().toString().length() + 1) + propSize(8) + 8;
        for (Child c : children) {
            size += 4 + c.name().length() + 1 + pad(c.name().length() + 1) + c.propNames().size() * propSize(8) + 4;
        }
        return size;
    }

    private static int propSize(int len) {
        return 12 + len + pad(len);
    }

    private static int pad(int len) {
        return (4 - (len & 3)) & 3;
    }

    private void putProp(ByteBuffer st, String name, byte[] value) {
        st.putInt(PROP).putInt(value.length).putInt(find(name)).put(value).put(new byte[pad(value.length)]);
    }

    private byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(order).putLong(v).array();
    }
}
