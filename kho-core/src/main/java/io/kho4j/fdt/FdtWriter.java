package io.kho4j.fdt;

import io.kho4j.fdt.internal.FdtLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 *
 * <p>The struct block is built in segments that are never copied to grow; {@link #finish} copies them once
 * into a blob of exactly the final size. Fresh memory is the main cost of a large blob on the JVM, and this
 * allocates about twice the blob's size where doubling one array allocates four to five times it. Names are
 * found in the strings table without encoding or allocating.
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

    private static final int FIRST_SEGMENT = 256;
    /** Segments double up to this size (a larger token gets a segment of its own size). */
    private static final int MAX_SEGMENT = 256 * 1024;

    private final Layout layout;
    private State state = State.RESERVATIONS;
    private final List<MemoryReservation> reservations = new ArrayList<>();
    private int bootCpuidPhys;
    /** Blob offset of the struct block, known once the reservation map is complete. */
    private int structOff;
    /** The segment being written: {@code seg[0]} is at blob offset {@code segBase}; a token never spans two. */
    private byte[] seg;
    private int segPos;
    private int segBase;
    private int nextSegment = FIRST_SEGMENT;
    /** Full segments, in order, and how many bytes of each are used. */
    private byte[][] full = new byte[8][];
    private int[] fullUsed = new int[8];
    private int fullCount;
    private final StringTable strings;
    /** Per open node: whether it already has a child (then properties are refused). */
    private boolean[] hasChild = new boolean[16];
    private int depth;
    private boolean rootClosed;
    private final List<Placeholder> placeholders = new ArrayList<>();

    private FdtWriter(Layout layout) {
        this.layout = layout;
        this.strings = new StringTable(layout == Layout.LIBFDT_SEQUENTIAL);
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
        requireLatin1(name, "node name");
        if (state == State.RESERVATIONS) {
            startStruct();
        }
        if (depth > 0) {
            hasChild[depth - 1] = true;
        }
        if (depth == hasChild.length) {
            hasChild = Arrays.copyOf(hasChild, depth * 2);
        }
        hasChild[depth++] = false;
        int n = name.length();
        ensure(FdtLayout.TAG_SIZE + n + FdtLayout.TAG_SIZE); // tag, name, NUL and padding
        putInt(FdtLayout.FDT_BEGIN_NODE);
        for (int i = 0; i < n; i++) {
            seg[segPos + i] = (byte) name.charAt(i);
        }
        segPos += n;
        seg[segPos++] = 0;
        pad();
        return this;
    }

    /** Closes the innermost open node. @return this writer */
    public FdtWriter endNode() {
        require(State.STRUCT, "endNode");
        if (depth == 0) {
            throw new IllegalStateException("endNode with no open node");
        }
        ensure(FdtLayout.TAG_SIZE);
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
        System.arraycopy(value, offset, seg, at, length);
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
        ByteBuffer.wrap(seg, at, 4).order(order).putInt(value);
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
        ByteBuffer.wrap(seg, at, 8).order(order).putLong(value);
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
            requireLatin1(values[i], "string value");
            enc[i] = values[i].getBytes(StandardCharsets.ISO_8859_1);
            len += enc[i].length + 1;
        }
        int at = propertyHeader(name, len);
        for (byte[] e : enc) {
            System.arraycopy(e, 0, seg, at, e.length);
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
        Placeholder p = new Placeholder(name, seg, at, length);
        placeholders.add(p);
        return p;
    }

    /** @return bytes written to the struct block so far */
    public int structSize() {
        return state == State.RESERVATIONS ? 0 : segBase + segPos - structOff;
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
        ensure(FdtLayout.TAG_SIZE);
        putInt(FdtLayout.FDT_END);
        state = State.DONE;
        int stringsOff = segBase + segPos;
        int total = Math.addExact(stringsOff, strings.size());
        byte[] out = new byte[total];
        int at = structOff;
        for (int i = 0; i < fullCount; i++) {
            System.arraycopy(full[i], 0, out, at, fullUsed[i]);
            at += fullUsed[i];
        }
        System.arraycopy(seg, 0, out, at, segPos);
        seg = null;
        full = null;
        strings.writeTo(out, stringsOff);
        int rsvOff = reservationMapOffset();
        putInt(out, FdtLayout.OFF_MAGIC, FdtLayout.MAGIC);
        putInt(out, FdtLayout.OFF_TOTALSIZE, total);
        putInt(out, FdtLayout.OFF_OFF_DT_STRUCT, structOff);
        putInt(out, FdtLayout.OFF_OFF_DT_STRINGS, stringsOff);
        putInt(out, FdtLayout.OFF_OFF_MEM_RSVMAP, rsvOff);
        putInt(out, FdtLayout.OFF_VERSION, FdtLayout.WRITE_VERSION);
        putInt(out, FdtLayout.OFF_LAST_COMP_VERSION, FdtLayout.WRITE_LAST_COMP_VERSION);
        putInt(out, FdtLayout.OFF_BOOT_CPUID_PHYS, bootCpuidPhys);
        putInt(out, FdtLayout.OFF_SIZE_DT_STRINGS, strings.size());
        putInt(out, FdtLayout.OFF_SIZE_DT_STRUCT, stringsOff - structOff);
        ByteBuffer rsv = ByteBuffer.wrap(out, rsvOff, structOff - rsvOff).order(ByteOrder.BIG_ENDIAN);
        for (MemoryReservation r : reservations) {
            rsv.putLong(r.address()).putLong(r.size());
        }
        rsv.putLong(0).putLong(0);
        return out;
    }

    /** dtc puts the map right after the 40-byte header; libfdt's fdt_create at FDT_ALIGN(40, 16). */
    private int reservationMapOffset() {
        return layout == Layout.DTC ? align(FdtLayout.V17_SIZE, 8)
                : align(FdtLayout.V17_SIZE, FdtLayout.RESERVE_ENTRY_SIZE);
    }

    /** The reservation map is complete once the first node begins: the struct block's offset is known. */
    private void startStruct() {
        structOff = reservationMapOffset() + (reservations.size() + 1) * FdtLayout.RESERVE_ENTRY_SIZE;
        seg = new byte[nextSegment];
        segBase = structOff;
        state = State.STRUCT;
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
        // A name already in the table was checked when it went in; only new names need the check.
        int nameOff = strings.find(name);
        if (nameOff == StringTable.ABSENT) {
            requireLatin1(name, "property name");
            nameOff = strings.add(name);
        }
        ensure(Math.addExact(FdtLayout.PROP_HEADER_SIZE + FdtLayout.TAG_SIZE, length)); // header, value, padding
        putInt(FdtLayout.FDT_PROP);
        putInt(length);
        strings.reference(segBase + segPos);
        putInt(nameOff);
        int at = segPos;
        segPos += length;
        pad();
        return at;
    }

    /** ISO-8859-1 (each char one byte, as the blob stores it) and no NUL, which would end the name early. */
    private static void requireLatin1(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0xff) {
                throw new IllegalArgumentException(what + " must be ISO-8859-1 without NUL: \"" + s + "\"");
            }
        }
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

    /**
     * Room for a whole token of at most {@code more} bytes in the current segment, else a new segment: the
     * old one is kept as it is, never copied.
     */
    private void ensure(int more) {
        Math.addExact(segBase + segPos, more); // the blob must stay addressable by int
        if (segPos + more > seg.length) {
            if (fullCount == full.length) {
                full = Arrays.copyOf(full, fullCount * 2);
                fullUsed = Arrays.copyOf(fullUsed, fullCount * 2);
            }
            full[fullCount] = seg;
            fullUsed[fullCount++] = segPos;
            segBase += segPos;
            nextSegment = Math.min(MAX_SEGMENT, nextSegment * 2);
            seg = new byte[Math.max(more, nextSegment)];
            segPos = 0;
        }
    }

    /** Appends a big-endian u32; the caller has ensured room. */
    private void putInt(int v) {
        putInt(seg, segPos, v);
        segPos += 4;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /**
     * Zero padding to the next tag boundary, inside the token's segment (segments start tag-aligned; the
     * bytes are zero already, so this only moves).
     */
    private void pad() {
        int aligned = align(segPos, FdtLayout.TAG_SIZE);
        while (segPos < aligned) {
            seg[segPos++] = 0;
        }
    }

    private static int align(int v, int a) {
        return (v + a - 1) & -a;
    }

    /** A property value reserved by {@link #placeholder}, filled later. */
    public final class Placeholder {
        private final String name;
        private final byte[] segment;
        private final int at;
        private final int length;
        private boolean filled;

        private Placeholder(String name, byte[] segment, int at, int length) {
            this.name = name;
            this.segment = segment;
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
            System.arraycopy(value, 0, segment, at, length);
            filled = true;
        }

        /** @param value the u64 @param order its byte order */
        public void fillU64(long value, ByteOrder order) {
            fill(ByteBuffer.allocate(8).order(order).putLong(value).array());
        }
    }

    /**
     * The strings block. Each distinct name is stored once; a name that is the tail of a stored one shares
     * its bytes (dtc {@code stringtable_insert}, libfdt {@code fdt_find_string_}). Every tail of every
     * stored name is indexed in an open-addressing table keyed by {@link String#hashCode()} (computed over
     * the bytes, which are the chars of an ISO-8859-1 name), so that a lookup by name neither encodes nor
     * allocates, and a hit needs no further validation: only checked names are stored.
     *
     * <p>dtc order ({@code prepend == false}): names appended in first-use order, the first (lowest)
     * occurrence of a tail wins, offsets are final at once. libfdt fdt_sw order ({@code prepend == true}):
     * each new name goes in front, so the newest occurrence of a tail wins; until {@link #writeTo} an offset
     * counts back from the table's end (negative, as libfdt stores it) and is patched in the struct block.
     */
    private static final class StringTable {
        static final int ABSENT = Integer.MIN_VALUE;
        private static final int EMPTY = -1;

        private final boolean prepend;
        /** Names in insertion order, each with its NUL. */
        private byte[] bytes = new byte[64];
        private int len;
        private int[] nameStart = new int[8];
        private int names;
        /** Per slot: where the tail starts in {@link #bytes} ({@link #EMPTY} if none), its hash, its offset. */
        private int[] slotPos;
        private int[] slotHash;
        private int[] slotOffset;
        private int used;
        /** Struct positions of name offsets to patch at the end (libfdt order only). */
        private int[] refPos = new int[16];
        private int refs;

        StringTable(boolean prepend) {
            this.prepend = prepend;
            allocateSlots(64);
        }

        /** @return the name's offset (raw, for libfdt order), or {@link #ABSENT} */
        int find(String name) {
            int h = name.hashCode();
            int mask = slotPos.length - 1;
            for (int i = mix(h) & mask; slotPos[i] != EMPTY; i = (i + 1) & mask) {
                if (slotHash[i] == h && tailEquals(slotPos[i], name)) {
                    return slotOffset[i];
                }
            }
            return ABSENT;
        }

        /** Stores a checked name that {@link #find} did not know. @return its offset (raw, for libfdt order) */
        int add(String name) {
            int n = name.length();
            if (len + n + 1 > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + n + 1));
            }
            int start = len;
            for (int i = 0; i < n; i++) {
                bytes[start + i] = (byte) name.charAt(i);
            }
            bytes[start + n] = 0;
            len += n + 1;
            if (names == nameStart.length) {
                nameStart = Arrays.copyOf(nameStart, names * 2);
            }
            nameStart[names++] = start;
            // Tail hashes from the shortest (the empty tail: hash 0) to the whole name, as String.hashCode.
            int h = 0;
            int power = 1;
            int base = prepend ? -len : start;
            for (int k = n; k >= 0; k--) {
                if (k < n) {
                    h += (bytes[start + k] & 0xff) * power;
                    power *= 31;
                }
                index(start + k, h, base + k);
            }
            return base;
        }

        /** Notes a struct position holding a name offset that {@link #writeTo} must make final. */
        void reference(int structPos) {
            if (!prepend) {
                return;
            }
            if (refs == refPos.length) {
                refPos = Arrays.copyOf(refPos, refs * 2);
            }
            refPos[refs++] = structPos;
        }

        /** @return the table's size in bytes */
        int size() {
            return len;
        }

        /** Writes the table at {@code at} and makes every name offset in the struct block final. */
        void writeTo(byte[] blob, int at) {
            if (!prepend) {
                System.arraycopy(bytes, 0, blob, at, len);
                return;
            }
            int out = at;
            for (int i = names - 1; i >= 0; i--) {
                int end = i + 1 < names ? nameStart[i + 1] : len;
                System.arraycopy(bytes, nameStart[i], blob, out, end - nameStart[i]);
                out += end - nameStart[i];
            }
            for (int i = 0; i < refs; i++) {
                putInt(blob, refPos[i], len + getInt(blob, refPos[i]));
            }
        }

        private void index(int tailPos, int h, int offset) {
            int mask = slotPos.length - 1;
            int i = mix(h) & mask;
            for (; slotPos[i] != EMPTY; i = (i + 1) & mask) {
                if (slotHash[i] == h && storedTailsEqual(slotPos[i], tailPos)) {
                    if (prepend) {
                        slotPos[i] = tailPos;
                        slotOffset[i] = offset;
                    }
                    return;
                }
            }
            slotPos[i] = tailPos;
            slotHash[i] = h;
            slotOffset[i] = offset;
            if (++used * 2 > slotPos.length) {
                rehash();
            }
        }

        private boolean tailEquals(int p, String name) {
            int n = name.length();
            for (int i = 0; i < n; i++) {
                int b = bytes[p + i] & 0xff;
                if (b == 0 || b != name.charAt(i)) {
                    return false;
                }
            }
            return bytes[p + n] == 0;
        }

        private boolean storedTailsEqual(int p, int q) {
            while (bytes[p] == bytes[q]) {
                if (bytes[p] == 0) {
                    return true;
                }
                p++;
                q++;
            }
            return false;
        }

        private void allocateSlots(int capacity) {
            slotPos = new int[capacity];
            slotHash = new int[capacity];
            slotOffset = new int[capacity];
            Arrays.fill(slotPos, EMPTY);
        }

        private void rehash() {
            int[] pos = slotPos;
            int[] hash = slotHash;
            int[] offset = slotOffset;
            allocateSlots(pos.length * 2);
            int mask = slotPos.length - 1;
            for (int s = 0; s < pos.length; s++) {
                if (pos[s] != EMPTY) {
                    int i = mix(hash[s]) & mask;
                    while (slotPos[i] != EMPTY) {
                        i = (i + 1) & mask;
                    }
                    slotPos[i] = pos[s];
                    slotHash[i] = hash[s];
                    slotOffset[i] = offset[s];
                }
            }
        }

        private static int mix(int h) {
            int x = h * 0x9E3779B9;
            return x ^ (x >>> 16);
        }
    }
}
