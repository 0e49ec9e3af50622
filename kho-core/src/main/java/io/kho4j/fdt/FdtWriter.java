package io.kho4j.fdt;

import io.kho4j.fdt.internal.FdtLayout;
import io.kho4j.fdt.internal.FdtStrings;
import io.kho4j.fdt.internal.WriterAccess;
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
 * <p>Where the bytes go: {@link #over} writes into a caller's buffer, as libfdt's {@code fdt_create(buf,
 * bufsize)} does, and {@link #finishInBuffer} returns the blob's size; a caller that reuses one buffer pays
 * no fresh memory at all, which is the main cost of a large blob on the JVM. {@link #create} grows by itself
 * and {@link #finish} returns a new array of exactly the blob's size. Its first array holds the blob at its
 * final offsets: after {@link #ensureCapacity} with the exact size (as {@code TreeCodec} computes it) that
 * array is the result, written once and never copied. Beyond it the struct block continues in segments that
 * are never copied to grow, and {@link #finish} copies them once into the result. Names are found in the
 * strings table without encoding or allocating.
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

    /** Struct bytes in the first array of a writer without {@link #ensureCapacity}. */
    private static final int FIRST_SEGMENT = 256;
    /** Segments double up to this size (a larger token gets a segment of its own size). */
    private static final int MAX_SEGMENT = 256 * 1024;

    private final Layout layout;
    private State state = State.RESERVATIONS;
    private final List<MemoryReservation> reservations = new ArrayList<>();
    private int bootCpuidPhys;
    /** Blob offset of the struct block, known once the reservation map is complete. */
    private int structOff;
    /** The caller's buffer of {@link #over}, which never grows; null for {@link #create}. */
    private final byte[] callerBuffer;
    /**
     * The segment being written: {@code seg[i]} is at blob offset {@code segBase + i}; a token never spans
     * two. The first segment is blob-positioned ({@code segBase} 0, struct bytes from {@link #structOff}).
     */
    private byte[] seg;
    private int segPos;
    private int segBase;
    private int nextSegment = FIRST_SEGMENT;
    /** Full segments, in order, and how many bytes of each are used (the first one's count from 0). */
    private byte[][] full = new byte[8][];
    private int[] fullUsed = new int[8];
    private int fullCount;
    private FdtStrings strings;

    static {
        WriterAccess.install(FdtWriter::adoptStrings);
    }
    /** Per open node: whether it already has a child (then properties are refused). */
    private boolean[] hasChild = new boolean[16];
    private int depth;
    private boolean rootClosed;
    private final List<Placeholder> placeholders = new ArrayList<>();

    private FdtWriter(Layout layout, byte[] callerBuffer) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.callerBuffer = callerBuffer;
        this.seg = callerBuffer;
        this.strings = new FdtStrings(layout == Layout.LIBFDT_SEQUENTIAL);
    }

    /** @return a writer with the {@link Layout#DTC} layout */
    public static FdtWriter create() {
        return new FdtWriter(Layout.DTC, null);
    }

    /** @param layout byte layout to produce @return a new writer that returns a new array from {@link #finish} */
    public static FdtWriter create(Layout layout) {
        return new FdtWriter(layout, null);
    }

    /**
     * A writer that builds the blob in {@code buffer} from index 0, as libfdt's {@code fdt_create(buf,
     * bufsize)}: no array is allocated for the blob, so a caller that reuses the buffer pays no fresh memory.
     * The buffer's old contents do not matter; bytes after the blob are left as they were. Finish with
     * {@link #finishInBuffer}. A call whose bytes do not fit throws {@link FdtBufferTooSmallException} and
     * leaves the writer finished (unusable), as the blob in the buffer is then incomplete.
     *
     * @param layout byte layout to produce
     * @param buffer where the blob goes; not copied, written until {@link #finishInBuffer}
     * @return a new writer
     */
    public static FdtWriter over(Layout layout, byte[] buffer) {
        return new FdtWriter(layout, Objects.requireNonNull(buffer, "buffer"));
    }

    /**
     * Prepares for a blob of {@code totalSize} bytes before the first node: a {@link #create} writer then
     * writes into one array of that size, which {@link #finish} returns without a copy if the size was exact
     * (a wrong size is only slower); a writer {@link #over} a buffer checks that the buffer holds it.
     *
     * @param totalSize the expected blob size in bytes
     * @return this writer
     * @throws FdtBufferTooSmallException if the caller's buffer is smaller
     */
    public FdtWriter ensureCapacity(int totalSize) {
        require(State.RESERVATIONS, "ensureCapacity");
        if (totalSize < 0) {
            throw new IllegalArgumentException("negative size " + totalSize);
        }
        if (callerBuffer != null) {
            requireRoom(totalSize);
        } else if (seg == null || seg.length < totalSize) {
            seg = new byte[totalSize];
        }
        return this;
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
        FdtStrings.requireLatin1(name, "node name");
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
     * An array of u64 values written straight into the blob: no intermediate byte array (ftrace's {@code mem} is
     * 32 KB per CPU, 8 MB on a 256-CPU host).
     *
     * @param name property name
     * @param values the u64 values, in order
     * @param order byte order of each value
     * @return this writer
     */
    public FdtWriter propertyU64s(String name, long[] values, ByteOrder order) {
        int length = Math.multiplyExact(values.length, Long.BYTES);
        int at = propertyHeader(name, length);
        ByteBuffer.wrap(seg, at, length).order(order).asLongBuffer().put(values);
        return this;
    }

    /**
     * An array of u32 values written straight into the blob, as {@link #propertyU64s}: no intermediate byte array.
     *
     * @param name property name
     * @param values the u32 values, in order
     * @param order byte order of each value
     * @return this writer
     */
    public FdtWriter propertyU32s(String name, int[] values, ByteOrder order) {
        int length = Math.multiplyExact(values.length, Integer.BYTES);
        int at = propertyHeader(name, length);
        ByteBuffer.wrap(seg, at, length).order(order).asIntBuffer().put(values);
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
            FdtStrings.requireLatin1(values[i], "string value");
            enc[i] = values[i].getBytes(StandardCharsets.ISO_8859_1);
            len += enc[i].length + 1;
        }
        int at = propertyHeader(name, len);
        for (byte[] e : enc) {
            System.arraycopy(e, 0, seg, at, e.length);
            at += e.length;
            seg[at++] = 0;
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
        Arrays.fill(seg, at, at + length, (byte) 0); // a caller's buffer holds old bytes
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
     * @throws IllegalStateException if a node is open, there is no root, a placeholder was never filled, or
     *     this writer writes {@link #over} a caller's buffer (use {@link #finishInBuffer})
     */
    public byte[] finish() {
        if (callerBuffer != null) {
            throw new IllegalStateException("finish() on a writer over a caller's buffer: use finishInBuffer()");
        }
        int stringsOff = endStruct();
        int total = Math.addExact(stringsOff, strings.size());
        byte[] out;
        if (fullCount == 0) {
            // The first array holds the blob at its final offsets: exactly sized, it is the blob.
            out = seg.length == total ? seg : Arrays.copyOf(seg, total);
        } else {
            // The first segment is blob-positioned too: copying it to the result's length skips zeroing.
            out = Arrays.copyOf(full[0], total);
            int at = fullUsed[0];
            for (int i = 1; i < fullCount; i++) {
                System.arraycopy(full[i], 0, out, at, fullUsed[i]);
                at += fullUsed[i];
            }
            System.arraycopy(seg, 0, out, at, segPos);
        }
        seg = null;
        full = null;
        writeHeaderAndStrings(out, stringsOff, total);
        return out;
    }

    /**
     * Ends the tree of a writer {@link #over} a caller's buffer, as libfdt's {@code fdt_finish}.
     *
     * @return the blob's size: the buffer holds the blob in {@code [0, size)}
     * @throws FdtBufferTooSmallException if the strings block does not fit behind the struct block
     * @throws IllegalStateException as {@link #finish}, or if this writer was made by {@link #create}
     */
    public int finishInBuffer() {
        if (callerBuffer == null) {
            throw new IllegalStateException("finishInBuffer() on a writer without a caller's buffer: use finish()");
        }
        int stringsOff = endStruct();
        int total = Math.addExact(stringsOff, strings.size());
        requireRoom(total);
        seg = null;
        writeHeaderAndStrings(callerBuffer, stringsOff, total);
        return total;
    }

    /** Checks that the tree is complete and writes FDT_END. @return the strings block's offset */
    private int endStruct() {
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
        return segBase + segPos;
    }

    /** Everything outside the struct block: header, the gap before the reservation map, map, strings. */
    private void writeHeaderAndStrings(byte[] out, int stringsOff, int total) {
        strings.writeTo(out, structOff, stringsOff);
        int rsvOff = reservationMapOffset();
        FdtLayout.putU32(out, FdtLayout.OFF_MAGIC, FdtLayout.MAGIC);
        FdtLayout.putU32(out, FdtLayout.OFF_TOTALSIZE, total);
        FdtLayout.putU32(out, FdtLayout.OFF_OFF_DT_STRUCT, structOff);
        FdtLayout.putU32(out, FdtLayout.OFF_OFF_DT_STRINGS, stringsOff);
        FdtLayout.putU32(out, FdtLayout.OFF_OFF_MEM_RSVMAP, rsvOff);
        FdtLayout.putU32(out, FdtLayout.OFF_VERSION, FdtLayout.WRITE_VERSION);
        FdtLayout.putU32(out, FdtLayout.OFF_LAST_COMP_VERSION, FdtLayout.WRITE_LAST_COMP_VERSION);
        FdtLayout.putU32(out, FdtLayout.OFF_BOOT_CPUID_PHYS, bootCpuidPhys);
        FdtLayout.putU32(out, FdtLayout.OFF_SIZE_DT_STRINGS, strings.size());
        FdtLayout.putU32(out, FdtLayout.OFF_SIZE_DT_STRUCT, stringsOff - structOff);
        Arrays.fill(out, FdtLayout.V17_SIZE, rsvOff, (byte) 0); // libfdt's alignment gap; a caller's buffer is not zero
        ByteBuffer rsv = ByteBuffer.wrap(out, rsvOff, structOff - rsvOff).order(ByteOrder.BIG_ENDIAN);
        for (MemoryReservation r : reservations) {
            rsv.putLong(r.address()).putLong(r.size());
        }
        rsv.putLong(0).putLong(0);
    }

    /** Throws if the caller's buffer is smaller than {@code size}; the writer is finished then. */
    private void requireRoom(long size) {
        if (size > callerBuffer.length) {
            state = State.DONE;
            throw new FdtBufferTooSmallException(callerBuffer.length, size);
        }
    }

    /** dtc puts the map right after the 40-byte header; libfdt's fdt_create at FDT_ALIGN(40, 16). */
    private int reservationMapOffset() {
        return FdtLayout.reservationMapOffset(layout == Layout.DTC);
    }

    /**
     * The reservation map is complete once the first node begins: the struct block's offset is known. The
     * first array is blob-positioned, so that an exactly sized one is the blob.
     */
    private void startStruct() {
        structOff = reservationMapOffset() + (reservations.size() + 1) * FdtLayout.RESERVE_ENTRY_SIZE;
        if (callerBuffer != null) {
            requireRoom(structOff);
        } else if (seg == null || seg.length < structOff) {
            seg = new byte[structOff + FIRST_SEGMENT];
        }
        segBase = 0;
        segPos = structOff;
        state = State.STRUCT;
    }

    /**
     * Takes over a strings table built by a first pass over the very names this writer will be given, in
     * the same order ({@code TreeCodec}): each lookup then hits, and no name is stored twice. Only before the
     * first property, for a table of this writer's order whose handed-out offsets are final.
     */
    private boolean adoptStrings(FdtStrings table) {
        if (state == State.DONE || strings.size() != 0 || table.prepend() != (layout == Layout.LIBFDT_SEQUENTIAL)
                || !table.handedOutOffsetsFinal()) {
            return false;
        }
        strings = table;
        return true;
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
        // A name already in the table was checked when it went in; add checks new names.
        int nameOff = strings.findOrAdd(name);
        ensure(Math.addExact(FdtLayout.PROP_HEADER_SIZE + FdtLayout.TAG_SIZE, length)); // header, value, padding
        putInt(FdtLayout.FDT_PROP);
        putInt(length);
        putInt(nameOff);
        int at = segPos;
        segPos += length;
        pad();
        return at;
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
     * old one is kept as it is, never copied. A caller's buffer must also keep room for the strings so far.
     */
    private void ensure(int more) {
        int end = Math.addExact(segBase + segPos, more); // the blob must stay addressable by int
        if (callerBuffer != null) {
            requireRoom((long) end + strings.size());
        } else if (segPos + more > seg.length) {
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
        FdtLayout.putU32(seg, segPos, v);
        segPos += 4;
    }

    /** Zero padding to the next tag boundary, inside the token's segment (segments start tag-aligned). */
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
}
