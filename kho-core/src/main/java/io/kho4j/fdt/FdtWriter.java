package io.kho4j.fdt;

import io.kho4j.fdt.internal.FdtLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a flattened device tree sequentially, like libfdt's {@code fdt_sw.c}.
 *
 * <p>States: RESERVATIONS (add memory reservations) → STRUCT (nodes and properties; the first
 * {@link #beginNode} ends the reservation map) → DONE ({@link #finish}). A call that does not fit the
 * state throws {@link IllegalStateException} naming the state. Properties must come before a node's
 * children (Devicetree Specification 5.4; the kernel's {@code kho_finalize} uses a placeholder for the
 * same reason). Output is version 17, last_comp_version 16.
 *
 * <p>Two byte layouts are offered, because the kernel's and dtc's blobs differ in bytes though not in
 * content; see {@link Layout}. Not thread-safe.
 */
public final class FdtWriter {

    /** Where the blocks go and how the strings table is ordered. */
    public enum Layout {
        /**
         * As {@code dtc -O dtb} and libfdt's {@code fdt_pack}: the reservation map right after the 40-byte
         * header, property names appended in first-use order, a name that is the tail of an earlier one
         * sharing its bytes (dtc {@code stringtable_insert}, libfdt {@code fdt_find_string_}).
         */
        DTC,
        /**
         * As libfdt's sequential-write API ({@code fdt_create} … {@code fdt_finish}), which the 6.16 kernel
         * uses for the KHO root: the reservation map at {@code FDT_ALIGN(40, 16)} = 48, and the strings table
         * growing downwards, so the newest name comes first and lookups find the newest match.
         */
        LIBFDT_SEQUENTIAL
    }

    private enum State { RESERVATIONS, STRUCT, DONE }

    private final Layout layout;
    private State state = State.RESERVATIONS;
    private final List<MemoryReservation> reservations = new ArrayList<>();
    private int bootCpuidPhys;
    private byte[] struct = new byte[256];
    private int structLen;
    private final StringTable strings;
    /** Per open node: whether it already has a child (then properties are refused). */
    private boolean[] hasChild = new boolean[16];
    private int depth;
    private boolean rootClosed;
    private final List<Placeholder> placeholders = new ArrayList<>();
    private final CharsetEncoder latin1 = StandardCharsets.ISO_8859_1.newEncoder();

    private FdtWriter(Layout layout) {
        this.layout = layout;
        this.strings = layout == Layout.DTC ? new AppendingStrings() : new PrependingStrings();
    }

    /** @return a writer with the {@link Layout#DTC} layout */
    public static FdtWriter create() {
        return new FdtWriter(Layout.DTC);
    }

    /** @param layout byte layout to produce @return a new writer */
    public static FdtWriter create(Layout layout) {
        return new FdtWriter(layout);
    }

    /** @return the layout this writer produces */
    public Layout layout() {
        return layout;
    }

    /** @param cpu the header's boot_cpuid_phys @return this writer */
    public FdtWriter bootCpuidPhys(int cpu) {
        requireNot(State.DONE, "bootCpuidPhys");
        this.bootCpuidPhys = cpu;
        return this;
    }

    /**
     * Adds a memory-reservation entry.
     *
     * @param address first physical address
     * @param size bytes, not 0
     * @return this writer
     */
    public FdtWriter addReservation(long address, long size) {
        require(State.RESERVATIONS, "addReservation");
        reservations.add(new MemoryReservation(address, size));
        return this;
    }

    /**
     * Opens a node. The first node is the root and must be named {@code ""}.
     *
     * @param name node name with unit address, no NUL
     * @return this writer
     */
    public FdtWriter beginNode(String name) {
        requireNot(State.DONE, "beginNode");
        if (rootClosed) {
            throw new IllegalStateException("beginNode(\"" + name + "\") after the root node was closed");
        }
        if (depth == 0 && !name.isEmpty()) {
            throw new IllegalArgumentException("the root node must be named \"\", not \"" + name + "\"");
        }
        if (depth > 0 && name.isEmpty()) {
            throw new IllegalArgumentException("only the root node may have an empty name");
        }
        byte[] n = encodeName(name, "node name");
        state = State.STRUCT;
        if (depth > 0) {
            hasChild[depth - 1] = true;
        }
        if (depth == hasChild.length) {
            hasChild = Arrays.copyOf(hasChild, depth * 2);
        }
        hasChild[depth++] = false;
        putInt(FdtLayout.FDT_BEGIN_NODE);
        putBytes(n, 0, n.length);
        putByte((byte) 0);
        pad();
        return this;
    }

    /** Closes the innermost open node. @return this writer */
    public FdtWriter endNode() {
        require(State.STRUCT, "endNode");
        if (depth == 0) {
            throw new IllegalStateException("endNode with no open node");
        }
        putInt(FdtLayout.FDT_END_NODE);
        if (--depth == 0) {
            rootClosed = true;
        }
        return this;
    }

    /**
     * Adds a property with raw bytes.
     *
     * @param name property name, no NUL
     * @param value value bytes (copied)
     * @return this writer
     */
    public FdtWriter property(String name, byte[] value) {
        return property(name, value, 0, value.length);
    }

    /**
     * Adds a property with part of an array.
     *
     * @param name property name
     * @param value source array
     * @param offset first byte
     * @param length number of bytes
     * @return this writer
     */
    public FdtWriter property(String name, byte[] value, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, value.length);
        int at = propertyHeader(name, length);
        System.arraycopy(value, offset, struct, at, length);
        return this;
    }

    /** @param name property name @return this writer, after adding an empty (boolean) property */
    public FdtWriter propertyEmpty(String name) {
        propertyHeader(name, 0);
        return this;
    }

    /**
     * @param name property name
     * @param value the u32
     * @param order big-endian for DT cells, little-endian for KHO values on x86-64/arm64
     * @return this writer
     */
    public FdtWriter propertyU32(String name, int value, ByteOrder order) {
        int at = propertyHeader(name, 4);
        ByteBuffer.wrap(struct, at, 4).order(order).putInt(value);
        return this;
    }

    /**
     * @param name property name
     * @param value the u64
     * @param order byte order of the value
     * @return this writer
     */
    public FdtWriter propertyU64(String name, long value, ByteOrder order) {
        int at = propertyHeader(name, 8);
        ByteBuffer.wrap(struct, at, 8).order(order).putLong(value);
        return this;
    }

    /**
     * @param name property name
     * @param values the strings, each written with its NUL ({@code fdt_property_string} for one)
     * @return this writer
     */
    public FdtWriter propertyStrings(String name, String... values) {
        int len = 0;
        byte[][] enc = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            enc[i] = encodeName(values[i], "string value");
            len += enc[i].length + 1;
        }
        int at = propertyHeader(name, len);
        for (byte[] e : enc) {
            System.arraycopy(e, 0, struct, at, e.length);
            at += e.length + 1;
        }
        return this;
    }

    /**
     * Reserves a zero-filled value to fill later, as {@code fdt_property_placeholder}: lets a property that
     * depends on later work (the KHO memory-map address) precede the child nodes.
     *
     * @param name property name
     * @param length value bytes
     * @return the handle to fill before {@link #finish}
     */
    public Placeholder placeholder(String name, int length) {
        int at = propertyHeader(name, length);
        Placeholder p = new Placeholder(name, at, length);
        placeholders.add(p);
        return p;
    }

    /** @return bytes written to the struct block so far */
    public int structSize() {
        return structLen;
    }

    /**
     * Ends the tree and returns the blob.
     *
     * @return the blob, exactly totalsize bytes
     * @throws IllegalStateException if a node is open, there is no root, or a placeholder was never filled
     */
    public byte[] finish() {
        require(State.STRUCT, "finish");
        if (!rootClosed) {
            throw new IllegalStateException(depth > 0 ? depth + " node(s) still open at finish" : "no root node");
        }
        for (Placeholder p : placeholders) {
            if (!p.filled) {
                throw new IllegalStateException("placeholder \"" + p.name + "\" was never filled");
            }
        }
        putInt(FdtLayout.FDT_END);
        state = State.DONE;
        int rsvOff = layout == Layout.DTC ? align(FdtLayout.V17_SIZE, 8)
                : align(FdtLayout.V17_SIZE, FdtLayout.RESERVE_ENTRY_SIZE);
        int structOff = rsvOff + (reservations.size() + 1) * FdtLayout.RESERVE_ENTRY_SIZE;
        byte[] table = strings.table();
        int stringsOff = structOff + structLen;
        int total = Math.addExact(stringsOff, table.length);
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
        out.putInt(FdtLayout.OFF_MAGIC, FdtLayout.MAGIC);
        out.putInt(FdtLayout.OFF_TOTALSIZE, total);
        out.putInt(FdtLayout.OFF_OFF_DT_STRUCT, structOff);
        out.putInt(FdtLayout.OFF_OFF_DT_STRINGS, stringsOff);
        out.putInt(FdtLayout.OFF_OFF_MEM_RSVMAP, rsvOff);
        out.putInt(FdtLayout.OFF_VERSION, FdtLayout.WRITE_VERSION);
        out.putInt(FdtLayout.OFF_LAST_COMP_VERSION, FdtLayout.WRITE_LAST_COMP_VERSION);
        out.putInt(FdtLayout.OFF_BOOT_CPUID_PHYS, bootCpuidPhys);
        out.putInt(FdtLayout.OFF_SIZE_DT_STRINGS, table.length);
        out.putInt(FdtLayout.OFF_SIZE_DT_STRUCT, structLen);
        out.position(rsvOff);
        for (MemoryReservation r : reservations) {
            out.putLong(r.address()).putLong(r.size());
        }
        out.putLong(0).putLong(0);
        strings.patchNameOffsets(struct);
        out.put(struct, 0, structLen);
        out.put(table);
        return out.array();
    }

    private int propertyHeader(String name, int length) {
        require(State.STRUCT, "property");
        if (depth == 0) {
            throw new IllegalStateException("property \"" + name + "\" outside any node");
        }
        if (hasChild[depth - 1]) {
            throw new IllegalStateException("property \"" + name + "\" after a child node; properties come first");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        byte[] n = encodeName(name, "property name");
        putInt(FdtLayout.FDT_PROP);
        putInt(length);
        strings.reference(n, structLen);
        putInt(0);
        int at = structLen;
        ensure(length + FdtLayout.TAG_SIZE);
        structLen += length;
        pad();
        return at;
    }

    private byte[] encodeName(String s, String what) {
        if (s.indexOf('\0') >= 0 || !latin1.canEncode(s)) {
            throw new IllegalArgumentException(what + " must be ISO-8859-1 without NUL: \"" + s + "\"");
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void require(State s, String call) {
        if (state != s) {
            throw new IllegalStateException(call + " is not allowed in state " + state);
        }
    }

    private void requireNot(State s, String call) {
        if (state == s) {
            throw new IllegalStateException(call + " is not allowed in state " + state);
        }
    }

    private void ensure(int more) {
        int need = Math.addExact(structLen, more);
        if (need > struct.length) {
            struct = Arrays.copyOf(struct, Math.max(need, Math.min(Integer.MAX_VALUE - 8, struct.length * 2)));
        }
    }

    private void putInt(int v) {
        ensure(4);
        struct[structLen] = (byte) (v >>> 24);
        struct[structLen + 1] = (byte) (v >>> 16);
        struct[structLen + 2] = (byte) (v >>> 8);
        struct[structLen + 3] = (byte) v;
        structLen += 4;
    }

    private void putByte(byte v) {
        ensure(1);
        struct[structLen++] = v;
    }

    private void putBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, struct, structLen, len);
        structLen += len;
    }

    /** Zero padding to the next tag boundary; the array may hold stale bytes after a resize. */
    private void pad() {
        int aligned = (int) FdtLayout.tagAlign(structLen);
        ensure(aligned - structLen);
        while (structLen < aligned) {
            struct[structLen++] = 0;
        }
    }

    private static int align(int v, int a) {
        return (v + a - 1) & -a;
    }

    /** A property value reserved by {@link #placeholder}, filled later. */
    public final class Placeholder {
        private final String name;
        private final int at;
        private final int length;
        private boolean filled;

        private Placeholder(String name, int at, int length) {
            this.name = name;
            this.at = at;
            this.length = length;
        }

        /** @param value exactly the reserved number of bytes */
        public void fill(byte[] value) {
            if (state == State.DONE) {
                throw new IllegalStateException("placeholder \"" + name + "\" filled after finish");
            }
            if (value.length != length) {
                throw new IllegalArgumentException("placeholder \"" + name + "\" holds " + length + " bytes, got "
                        + value.length);
            }
            System.arraycopy(value, 0, struct, at, length);
            filled = true;
        }

        /** @param value the u64 @param order its byte order */
        public void fillU64(long value, ByteOrder order) {
            fill(ByteBuffer.allocate(8).order(order).putLong(value).array());
        }
    }

    /** The strings block: where each name goes, and the final bytes. */
    private abstract static class StringTable {
        /** Struct positions of name offsets and the raw offsets to store there. */
        protected int[] refPos = new int[16];
        protected int[] refRaw = new int[16];
        protected int refs;
        protected final Map<String, Integer> suffixes = new HashMap<>();

        abstract int offsetOf(byte[] name);

        abstract byte[] table();

        abstract int finalOffset(int raw);

        final void reference(byte[] name, int structPos) {
            if (refs == refPos.length) {
                refPos = Arrays.copyOf(refPos, refs * 2);
                refRaw = Arrays.copyOf(refRaw, refs * 2);
            }
            refPos[refs] = structPos;
            refRaw[refs++] = offsetOf(name);
        }

        final void patchNameOffsets(byte[] struct) {
            for (int i = 0; i < refs; i++) {
                int v = finalOffset(refRaw[i]);
                int p = refPos[i];
                struct[p] = (byte) (v >>> 24);
                struct[p + 1] = (byte) (v >>> 16);
                struct[p + 2] = (byte) (v >>> 8);
                struct[p + 3] = (byte) v;
            }
        }

        static String key(byte[] name, int from) {
            return new String(name, from, name.length - from, StandardCharsets.ISO_8859_1);
        }
    }

    /** dtc order: append; the first (lowest) occurrence of a name or tail wins. */
    private static final class AppendingStrings extends StringTable {
        private byte[] bytes = new byte[64];
        private int len;

        @Override
        int offsetOf(byte[] name) {
            Integer known = suffixes.get(key(name, 0));
            if (known != null) {
                return known;
            }
            int at = len;
            if (len + name.length + 1 > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + name.length + 1));
            }
            System.arraycopy(name, 0, bytes, len, name.length);
            bytes[len + name.length] = 0;
            len += name.length + 1;
            for (int i = 0; i <= name.length; i++) {
                suffixes.putIfAbsent(key(name, i), at + i);
            }
            return at;
        }

        @Override
        byte[] table() {
            return Arrays.copyOf(bytes, len);
        }

        @Override
        int finalOffset(int raw) {
            return raw;
        }
    }

    /** libfdt fdt_sw order: each new name goes in front; offsets count back from the end until finish. */
    private static final class PrependingStrings extends StringTable {
        private final List<byte[]> names = new ArrayList<>();
        private int len;

        @Override
        int offsetOf(byte[] name) {
            Integer known = suffixes.get(key(name, 0));
            if (known != null) {
                return known;
            }
            names.add(name);
            len += name.length + 1;
            int start = -len;
            for (int i = 0; i <= name.length; i++) {
                suffixes.put(key(name, i), start + i); // newest string sits lowest: it wins
            }
            return start;
        }

        @Override
        byte[] table() {
            byte[] out = new byte[len];
            int at = 0;
            for (int i = names.size() - 1; i >= 0; i--) {
                byte[] n = names.get(i);
                System.arraycopy(n, 0, out, at, n.length);
                at += n.length + 1;
            }
            return out;
        }

        @Override
        int finalOffset(int raw) {
            return len + raw;
        }
    }
}
