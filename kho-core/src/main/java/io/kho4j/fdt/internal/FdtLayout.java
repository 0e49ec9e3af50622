package io.kho4j.fdt.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte layout of a flattened device tree. Values are from libfdt's {@code libfdt/fdt.h} and
 * {@code libfdt/libfdt.h} (dtc 1.6.1, as shipped in Debian's libfdt1) and the Devicetree Specification
 * v0.4, chapter 5. Every header field is a big-endian u32.
 */
public final class FdtLayout {
    /** {@code FDT_MAGIC} (fdt.h). */
    public static final int MAGIC = 0xd00dfeed;

    /** Header field offsets ({@code struct fdt_header}, fdt.h). */
    public static final int OFF_MAGIC = 0;
    public static final int OFF_TOTALSIZE = 4;
    public static final int OFF_OFF_DT_STRUCT = 8;
    public static final int OFF_OFF_DT_STRINGS = 12;
    public static final int OFF_OFF_MEM_RSVMAP = 16;
    public static final int OFF_VERSION = 20;
    public static final int OFF_LAST_COMP_VERSION = 24;
    /** Present from version 2. */
    public static final int OFF_BOOT_CPUID_PHYS = 28;
    /** Present from version 3. */
    public static final int OFF_SIZE_DT_STRINGS = 32;
    /** Present from version 17. */
    public static final int OFF_SIZE_DT_STRUCT = 36;

    /** {@code FDT_V1_SIZE} .. {@code FDT_V17_SIZE} (fdt.h). */
    public static final int V1_SIZE = 28;
    public static final int V2_SIZE = 32;
    public static final int V3_SIZE = 36;
    public static final int V17_SIZE = 40;

    /** {@code FDT_FIRST_SUPPORTED_VERSION} / {@code FDT_LAST_SUPPORTED_VERSION} (libfdt_internal.h). */
    public static final int FIRST_SUPPORTED_VERSION = 0x02;
    public static final int LAST_SUPPORTED_VERSION = 0x11;
    /** What we write: version 17, last compatible 16 (dtc and the kernel's fdt_create do the same). */
    public static final int WRITE_VERSION = 17;
    public static final int WRITE_LAST_COMP_VERSION = 16;

    /** Structure block tokens (fdt.h). */
    public static final int FDT_BEGIN_NODE = 0x1;
    public static final int FDT_END_NODE = 0x2;
    public static final int FDT_PROP = 0x3;
    public static final int FDT_NOP = 0x4;
    public static final int FDT_END = 0x9;

    /** {@code FDT_TAGSIZE}; the struct block is 4-byte aligned ({@code FDT_TAGALIGN}). */
    public static final int TAG_SIZE = 4;
    /** {@code struct fdt_reserve_entry}: be64 address, be64 size. */
    public static final int RESERVE_ENTRY_SIZE = 16;
    /** {@code struct fdt_property} before the value: tag, be32 len, be32 nameoff. */
    public static final int PROP_HEADER_SIZE = 12;

    private FdtLayout() {
    }

    /** @return the header size for a version, as libfdt's {@code fdt_header_size_()} */
    public static int headerSize(long version) {
        if (version <= 1) {
            return V1_SIZE;
        } else if (version <= 2) {
            return V2_SIZE;
        } else if (version <= 16) {
            return V3_SIZE;
        }
        return V17_SIZE;
    }

    /** @return {@code off} rounded up to the 4-byte tag alignment */
    public static long tagAlign(long off) {
        return (off + TAG_SIZE - 1) & -TAG_SIZE;
    }

    /** A big-endian int view of a byte array: one load or store instead of four. */
    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Stores a big-endian u32 at {@code at} (every FDT header field and token is one). */
    public static void putU32(byte[] b, int at, int v) {
        BE_INT.set(b, at, v);
    }

    /** @return the big-endian u32 at {@code at}, as an int */
    public static int getU32(byte[] b, int at) {
        return (int) BE_INT.get(b, at);
    }

    /**
     * @param dtcLayout dtc's layout rather than libfdt fdt_sw's
     * @return where the reservation map starts: dtc right after the 40-byte header, libfdt's
     *     {@code fdt_create} at {@code FDT_ALIGN(40, 16)} = 48
     */
    public static int reservationMapOffset(boolean dtcLayout) {
        return dtcLayout ? V17_SIZE : (V17_SIZE + RESERVE_ENTRY_SIZE - 1) & -RESERVE_ENTRY_SIZE;
    }
}
