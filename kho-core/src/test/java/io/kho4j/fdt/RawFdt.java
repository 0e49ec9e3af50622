package io.kho4j.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Assembles FDT blobs byte by byte for hostile-input tests, from the format's definition rather than from
 * our writer: {@code struct fdt_header} is ten big-endian u32s (magic @0, totalsize @4, off_dt_struct @8,
 * off_dt_strings @12, off_mem_rsvmap @16, version @20, last_comp_version @24, boot_cpuid_phys @28 from v2,
 * size_dt_strings @32 from v3, size_dt_struct @36 from v17: libfdt/fdt.h), reservation entries are two
 * big-endian u64s, tokens are BEGIN_NODE=1, END_NODE=2, PROP=3, NOP=4, END=9. Nothing here checks
 * anything: it writes what it is told.
 */
final class RawFdt {
    static final int MAGIC = 0xd00dfeed;
    static final int BEGIN_NODE = 1;
    static final int END_NODE = 2;
    static final int PROP = 3;
    static final int NOP = 4;
    static final int END = 9;

    /** Header field offsets, for patching. */
    static final int TOTALSIZE = 4;
    static final int OFF_STRUCT = 8;
    static final int OFF_STRINGS = 12;
    static final int OFF_RSVMAP = 16;
    static final int VERSION = 20;
    static final int LAST_COMP = 24;
    static final int BOOT_CPU = 28;
    static final int SIZE_STRINGS = 32;
    static final int SIZE_STRUCT = 36;

    private RawFdt() {
    }

    /** @return the header size a version has: 28 (v1), 32 (v2), 36 (v3..v16), 40 (v17+) */
    static int headerSize(int version) {
        return version <= 1 ? 28 : version == 2 ? 32 : version <= 16 ? 36 : 40;
    }

    /** A struct block, token by token. Offsets are relative to the block's start. */
    static final class Struct {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        /** Before version 16, values of 8 bytes or more start 8-byte aligned (within the struct block). */
        private final boolean alignLongValues;

        Struct(int version) {
            this(version < 16);
        }

        Struct(boolean alignLongValues) {
            this.alignLongValues = alignLongValues;
        }

        Struct() {
            this(17);
        }

        int size() {
            return out.size();
        }

        Struct u32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Struct raw(byte... bytes) {
            out.write(bytes, 0, bytes.length);
            return this;
        }

        Struct pad() {
            while (out.size() % 4 != 0) {
                out.write(0);
            }
            return this;
        }

        Struct begin(String name) {
            return u32(BEGIN_NODE).raw(name.getBytes(StandardCharsets.ISO_8859_1)).raw((byte) 0).pad();
        }

        Struct end() {
            return u32(END_NODE);
        }

        Struct nop() {
            return u32(NOP);
        }

        Struct finish() {
            return u32(END);
        }

        /** A property whose len field is the value's length. */
        Struct prop(int nameOff, byte[] value) {
            return prop(value.length, nameOff, value);
        }

        /** A property with any len field, followed by {@code value} (which may be shorter or longer). */
        Struct prop(int len, int nameOff, byte[] value) {
            u32(PROP).u32(len).u32(nameOff);
            if (alignLongValues && Integer.toUnsignedLong(len) >= 8 && out.size() % 8 != 0) {
                u32(0);
            }
            return raw(value).pad();
        }

        Struct prop(int nameOff, String value) {
            return prop(nameOff, (value + "\0").getBytes(StandardCharsets.ISO_8859_1));
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A strings block: names appended with their NUL, no sharing. */
    static final class Strings {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        int add(String name) {
            int at = out.size();
            byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
            out.write(b, 0, b.length);
            out.write(0);
            return at;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /**
     * Lays out header, reservation map (at the header size rounded up to 8), struct and strings, in that
     * order and contiguous, with every header field the version has.
     */
    static final class Blob {
        int version = 17;
        int lastCompVersion = 16;
        int bootCpuidPhys;
        final List<long[]> reservations = new ArrayList<>();
        byte[] struct = new byte[0];
        byte[] strings = new byte[0];
        /** Bytes appended after the strings block, inside totalsize. */
        int tailPadding;
        /** Extra bytes between the header (rounded up to 8) and the reservation map. */
        int rsvGap;
        /** Extra bytes between the reservation map and the struct block. */
        int structGap;
        /** Whether the reservation map ends with its all-zero entry. */
        boolean rsvTerminator = true;
        /** Where build() put things. */
        int rsvOff;
        int structOff;
        int stringsOff;

        Blob version(int v, int lastComp) {
            version = v;
            lastCompVersion = lastComp;
            return this;
        }

        Blob reserve(long address, long size) {
            reservations.add(new long[] {address, size});
            return this;
        }

        Blob struct(Struct s) {
            struct = s.bytes();
            return this;
        }

        Blob strings(Strings s) {
            strings = s.bytes();
            return this;
        }

        byte[] build() {
            int header = headerSize(version);
            rsvOff = ((header + 7) & ~7) + rsvGap;
            structOff = rsvOff + (reservations.size() + (rsvTerminator ? 1 : 0)) * 16 + structGap;
            stringsOff = structOff + struct.length;
            int total = stringsOff + strings.length + tailPadding;
            byte[] b = new byte[total];
            put32(b, 0, MAGIC);
            put32(b, TOTALSIZE, total);
            put32(b, OFF_STRUCT, structOff);
            put32(b, OFF_STRINGS, stringsOff);
            put32(b, OFF_RSVMAP, rsvOff);
            put32(b, VERSION, version);
            put32(b, LAST_COMP, lastCompVersion);
            if (version >= 2) {
                put32(b, BOOT_CPU, bootCpuidPhys);
            }
            if (version >= 3) {
                put32(b, SIZE_STRINGS, strings.length);
            }
            if (version >= 17) {
                put32(b, SIZE_STRUCT, struct.length);
            }
            int at = rsvOff;
            for (long[] r : reservations) {
                put64(b, at, r[0]);
                put64(b, at + 8, r[1]);
                at += 16;
            }
            System.arraycopy(struct, 0, b, structOff, struct.length);
            System.arraycopy(strings, 0, b, stringsOff, strings.length);
            return b;
        }
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void put64(byte[] b, int off, long v) {
        put32(b, off, (int) (v >>> 32));
        put32(b, off + 4, (int) v);
    }

    static int get32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    /** @return a copy with one header field replaced */
    static byte[] patch32(byte[] blob, int off, int v) {
        byte[] b = Arrays.copyOf(blob, blob.length);
        put32(b, off, v);
        return b;
    }

    /** Little-endian u64, as KHO property values are on x86-64 and arm64 (kho-abi.md §1). */
    static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static byte[] be32(int... cells) {
        byte[] b = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            put32(b, 4 * i, cells[i]);
        }
        return b;
    }

    /**
     * The valid version-17 blob the mutation tests start from: a KHO root (kho-abi.md §1, 6.16 layout) with
     * two reservations, a NOP, a memblock subtree, string lists, an empty property and a property that a
     * later name shares by suffix.
     */
    static Blob khoRoot(int version) {
        return khoRoot(version, version < 16);
    }

    /** {@link #khoRoot(int)}, choosing whether long values get the pre-v16 alignment padding. */
    static Blob khoRoot(int version, boolean alignLongValues) {
        Strings s = new Strings();
        int compatible = s.add("compatible");
        int pmm = s.add("preserved-memory-map");
        int fdt = s.add("fdt");
        int start = s.add("start");
        int size = s.add("size");
        int empty = s.add("empty");
        int names = s.add("names");
        Struct t = new Struct(alignLongValues);
        String rootName = version < 16 ? "/" : "";
        t.begin(rootName).prop(compatible, "kho-v1").prop(pmm, le64(0x1_16be_4000L)).nop()
                .begin(path(version, "/memblock", "memblock")).prop(fdt, le64(0x1_1517_0000L))
                .prop(compatible, "memblock-v1")
                .begin(path(version, "/memblock/n1", "n1")).prop(compatible, "reserve-mem-v1")
                .prop(start, le64(0x4_6bc0_0000L)).prop(size, le64(0x400_0000L)).end()
                .begin(path(version, "/memblock/n2@4", "n2@4")).prop(empty, new byte[0])
                .prop(compatible + 3, "x").end()
                .end()
                .begin(path(version, "/ftrace", "ftrace")).prop(names, be32(4)).prop(names + 1, "a\0bc")
                .nop().end()
                .end().finish();
        return new Blob().version(version, version >= 17 ? 16 : version).reserve(0x8000_0000L, 0x10_0000L)
                .reserve(0x1_0000_0000L, 0x2000).struct(t).strings(s);
    }

    /** Before version 16 a node's name is its full path. */
    private static String path(int version, String full, String leaf) {
        return version < 16 ? full : leaf;
    }
}
