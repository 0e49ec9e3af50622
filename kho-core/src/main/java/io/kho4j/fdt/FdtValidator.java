package io.kho4j.fdt;

import io.kho4j.fdt.FdtFormatException.Kind;
import io.kho4j.fdt.internal.FdtIndex;
import io.kho4j.fdt.internal.FdtLayout;
import io.kho4j.internal.jna.LibFdtCheck;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Checks an untrusted blob and returns a {@link ValidatedFdt}, the only way to read one.
 *
 * <p>The checks are libfdt's {@code fdt_check_header} and {@code fdt_check_full} (dtc 1.6.1, Debian's
 * libfdt1), in libfdt's order and with libfdt's error codes as {@link FdtFormatException.Kind}: header
 * size, magic, version window, totalsize, block bounds (overflow-safe), reservation map terminated inside
 * totalsize, then a walk of the token stream. A blob libfdt rejects is rejected here with the same kind
 * (a {@link DecodeLimits} bound, checked as the walk goes, may come first).
 *
 * <p>After those pass we are deliberately stricter than libfdt where accepting the blob would let a reader
 * see something other than one tree; such failures have {@link FdtFormatException#isStricterThanLibfdt()}
 * and are listed in docs/ERRORS.md:
 * <ul>
 *   <li>the memory-reservation offset must be 8-byte aligned and the struct offset 4-byte aligned;</li>
 *   <li>the reservation map, struct and strings blocks must not overlap;</li>
 *   <li>there must be a root node, and no property outside it;</li>
 *   <li>a node's properties must come before its children: libfdt's {@code fdt_check_full} accepts a
 *       property after a child node, but {@code fdt_getprop} and {@code fdt_first_property_offset} stop at
 *       the first child, so the kernel would never see it (the Devicetree Specification 5.4 also puts
 *       properties first);</li>
 *   <li>before version 16, every node name must hold a '/' (libfdt's {@code fdt_get_name} fails otherwise);</li>
 *   <li>a property length must not overflow libfdt's 32-bit offset arithmetic (libfdt 1.6.1 then loops
 *       forever or reads the property header as tokens);</li>
 *   <li>nesting depth, node and property counts and total size are bounded by {@link DecodeLimits}.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FdtValidator {
    private static final FdtValidator DEFAULT = new FdtValidator(DecodeLimits.defaults(), false);

    private final DecodeLimits limits;
    private final boolean alsoLibfdt;

    private FdtValidator(DecodeLimits limits, boolean alsoLibfdt) {
        this.limits = limits;
        this.alsoLibfdt = alsoLibfdt;
    }

    /** @return a validator with {@link DecodeLimits#defaults()} and no native check */
    public static FdtValidator standard() {
        return DEFAULT;
    }

    /** @param limits bounds to apply @return a copy that applies them */
    public FdtValidator withLimits(DecodeLimits limits) {
        return new FdtValidator(limits, alsoLibfdt);
    }

    /**
     * Adds libfdt's own {@code fdt_check_full} (Debian's libfdt1, through JNA) after our checks: the kernel
     * parses KHO trees with libfdt, so a blob we hand over must satisfy it too. libfdt only ever sees blobs
     * our checks accepted, which matters: libfdt 1.6.1 loops forever or crashes on some hostile blobs.
     *
     * @return a copy that also runs libfdt
     * @throws io.kho4j.host.KhoUnavailableException if libfdt cannot be loaded
     */
    public FdtValidator withLibfdt() {
        LibFdtCheck.ensureAvailable();
        return new FdtValidator(limits, true);
    }

    /** @return the limits this validator applies */
    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Validates the blob in {@code bytes}; the array may be longer than the blob's totalsize.
     *
     * @param bytes the blob
     * @return a read-only view of the validated blob (it keeps a reference to {@code bytes})
     * @throws FdtFormatException if the blob is malformed or exceeds the limits
     */
    public ValidatedFdt validate(byte[] bytes) throws FdtFormatException {
        return validate(ByteBuffer.wrap(bytes));
    }

    /**
     * Validates the blob between the buffer's position and limit. The buffer is not modified; heap, direct
     * and memory-mapped buffers are all read in place.
     *
     * @param buffer the blob, starting at {@code buffer.position()}
     * @return a read-only view of the validated blob
     * @throws FdtFormatException if the blob is malformed or exceeds the limits
     */
    public ValidatedFdt validate(ByteBuffer buffer) throws FdtFormatException {
        ByteBuffer b = buffer.slice().order(ByteOrder.BIG_ENDIAN);
        Header h = checkHeader(b, limits);
        ByteBuffer blob = b.slice(0, h.totalSize).asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
        List<MemoryReservation> reservations = readReservations(blob, h);
        FdtIndex index = new StructWalk(blob, h, limits).run();
        checkLayout(h, reservations.size(), index.structEnd());
        if (alsoLibfdt) {
            LibFdtCheck.checkFull(blob);
        }
        return new ValidatedFdt(blob, h.version, h.lastCompVersion, h.bootCpuidPhys, reservations, index);
    }

    /** The header fields that the walk needs, as validated. */
    private static final class Header {
        int totalSize;
        long version;
        long lastCompVersion;
        int bootCpuidPhys;
        int headerSize;
        int rsvOff;
        int structOff;
        /** Struct bytes available to the walk: size_dt_struct from v17, else up to totalsize. */
        int structLimit;
        int stringsOff;
        /** size_dt_strings where the header has that field (v3+), else 0: the block's extent is unknown. */
        int stringsSize;
        /** size_dt_strings only bounds string lookups from v17, as in libfdt's fdt_get_string. */
        boolean stringsSized;
    }

    private static long u32(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(b.getInt(off));
    }

    private static Header checkHeader(ByteBuffer b, DecodeLimits limits) throws FdtFormatException {
        int avail = b.remaining();
        if (avail < FdtLayout.V1_SIZE) {
            throw new FdtFormatException(Kind.TRUNCATED, avail,
                    "blob is " + avail + " bytes, shorter than the smallest header (" + FdtLayout.V1_SIZE + ")");
        }
        Header h = new Header();
        h.version = u32(b, FdtLayout.OFF_VERSION);
        h.headerSize = FdtLayout.headerSize(h.version);
        if (avail < h.headerSize) {
            throw new FdtFormatException(Kind.TRUNCATED, avail, "blob is " + avail + " bytes, shorter than the "
                    + h.headerSize + "-byte header of version " + h.version);
        }
        int magic = b.getInt(FdtLayout.OFF_MAGIC);
        if (magic != FdtLayout.MAGIC) {
            throw new FdtFormatException(Kind.BAD_MAGIC, FdtLayout.OFF_MAGIC,
                    String.format("magic is 0x%08x, expected 0x%08x", magic, FdtLayout.MAGIC));
        }
        h.lastCompVersion = u32(b, FdtLayout.OFF_LAST_COMP_VERSION);
        if (h.version < FdtLayout.FIRST_SUPPORTED_VERSION) {
            throw new FdtFormatException(Kind.BAD_VERSION, FdtLayout.OFF_VERSION, "version " + h.version
                    + " is older than the oldest supported, " + FdtLayout.FIRST_SUPPORTED_VERSION);
        }
        if (h.lastCompVersion > FdtLayout.LAST_SUPPORTED_VERSION) {
            throw new FdtFormatException(Kind.BAD_VERSION, FdtLayout.OFF_LAST_COMP_VERSION, "last_comp_version "
                    + h.lastCompVersion + " is newer than the newest supported, " + FdtLayout.LAST_SUPPORTED_VERSION);
        }
        if (h.version < h.lastCompVersion) {
            throw new FdtFormatException(Kind.BAD_VERSION, FdtLayout.OFF_VERSION,
                    "version " + h.version + " is older than last_comp_version " + h.lastCompVersion);
        }
        long total = u32(b, FdtLayout.OFF_TOTALSIZE);
        if (total < h.headerSize || total > Integer.MAX_VALUE) {
            throw new FdtFormatException(Kind.TRUNCATED, FdtLayout.OFF_TOTALSIZE,
                    "totalsize " + total + " is outside " + h.headerSize + ".." + Integer.MAX_VALUE);
        }
        if (total > limits.maxTotalSize()) {
            throw new FdtFormatException(Kind.LIMIT_EXCEEDED, FdtLayout.OFF_TOTALSIZE, "totalsize " + total
                    + " exceeds the limit " + limits.maxTotalSize() + " (DecodeLimits.withMaxTotalSize)", true);
        }
        long rsvOff = u32(b, FdtLayout.OFF_OFF_MEM_RSVMAP);
        checkOffset(h.headerSize, total, rsvOff, FdtLayout.OFF_OFF_MEM_RSVMAP, "off_mem_rsvmap");
        long structOff = u32(b, FdtLayout.OFF_OFF_DT_STRUCT);
        long structLimit;
        if (h.version < 17) {
            checkOffset(h.headerSize, total, structOff, FdtLayout.OFF_OFF_DT_STRUCT, "off_dt_struct");
            structLimit = total - structOff;
        } else {
            structLimit = u32(b, FdtLayout.OFF_SIZE_DT_STRUCT);
            checkBlock(h.headerSize, total, structOff, structLimit, FdtLayout.OFF_OFF_DT_STRUCT,
                    FdtLayout.OFF_SIZE_DT_STRUCT, "struct");
        }
        long stringsOff = u32(b, FdtLayout.OFF_OFF_DT_STRINGS);
        // size_dt_strings exists from version 3 (fdt.h), but libfdt checks the field for every version: for
        // a version-2 header it reads the 4 bytes after the header. We read the same bytes to reach libfdt's
        // verdict, and otherwise treat a version-2 strings block's extent as unknown.
        long stringsSize = avail >= FdtLayout.V3_SIZE ? u32(b, FdtLayout.OFF_SIZE_DT_STRINGS) : 0;
        checkBlock(h.headerSize, total, stringsOff, stringsSize, FdtLayout.OFF_OFF_DT_STRINGS,
                FdtLayout.OFF_SIZE_DT_STRINGS, "strings");
        if (avail < total) {
            throw new FdtFormatException(Kind.TRUNCATED, avail,
                    "blob is " + avail + " bytes but its header says totalsize " + total);
        }
        h.totalSize = (int) total;
        h.bootCpuidPhys = h.headerSize >= FdtLayout.V2_SIZE ? b.getInt(FdtLayout.OFF_BOOT_CPUID_PHYS) : 0;
        h.rsvOff = (int) rsvOff;
        h.structOff = (int) structOff;
        h.structLimit = (int) structLimit;
        h.stringsOff = (int) stringsOff;
        h.stringsSize = h.headerSize >= FdtLayout.V3_SIZE ? (int) stringsSize : 0;
        h.stringsSized = h.version >= 17;
        return h;
    }

    /** libfdt's {@code check_off_}: the offset lies between the header's end and totalsize. */
    private static void checkOffset(int headerSize, long total, long off, int field, String name)
            throws FdtFormatException {
        if (off < headerSize || off > total) {
            throw new FdtFormatException(Kind.TRUNCATED, field,
                    name + " " + off + " is outside the blob (" + headerSize + ".." + total + ")");
        }
    }

    /** libfdt's {@code check_block_}; all arithmetic in long, so no wrap-around. */
    private static void checkBlock(int headerSize, long total, long base, long size, int offField, int sizeField,
            String name) throws FdtFormatException {
        checkOffset(headerSize, total, base, offField, "off_dt_" + name);
        if (base + size > total) {
            throw new FdtFormatException(Kind.TRUNCATED, sizeField, name + " block [" + base + ", " + (base + size)
                    + ") runs past totalsize " + total);
        }
    }

    /**
     * libfdt's {@code fdt_num_mem_rsv}: entries up to the first with size 0, which must lie inside totalsize.
     * The terminator is found before anything is allocated.
     */
    private static List<MemoryReservation> readReservations(ByteBuffer blob, Header h) throws FdtFormatException {
        long end = h.rsvOff;
        while (end + FdtLayout.RESERVE_ENTRY_SIZE <= h.totalSize && blob.getLong((int) end + 8) != 0) {
            end += FdtLayout.RESERVE_ENTRY_SIZE;
        }
        if (end + FdtLayout.RESERVE_ENTRY_SIZE > h.totalSize) {
            throw new FdtFormatException(Kind.TRUNCATED, end, "memory-reservation map starting at " + h.rsvOff
                    + " has no terminating entry (size 0) before totalsize " + h.totalSize);
        }
        MemoryReservation[] out = new MemoryReservation[(int) ((end - h.rsvOff) / FdtLayout.RESERVE_ENTRY_SIZE)];
        for (int i = 0; i < out.length; i++) {
            int at = h.rsvOff + i * FdtLayout.RESERVE_ENTRY_SIZE;
            out[i] = new MemoryReservation(blob.getLong(at), blob.getLong(at + 8));
        }
        return List.of(out);
    }

    /** The checks libfdt does not make: alignment and overlapping blocks (Devicetree Specification 5.1). */
    private static void checkLayout(Header h, int reservations, int structUsed) throws FdtFormatException {
        if ((h.rsvOff & 7) != 0) {
            throw new FdtFormatException(Kind.BAD_ALIGNMENT, FdtLayout.OFF_OFF_MEM_RSVMAP,
                    "off_mem_rsvmap " + h.rsvOff + " is not 8-byte aligned", true);
        }
        if ((h.structOff & 3) != 0) {
            throw new FdtFormatException(Kind.BAD_ALIGNMENT, FdtLayout.OFF_OFF_DT_STRUCT,
                    "off_dt_struct " + h.structOff + " is not 4-byte aligned", true);
        }
        long rsvEnd = h.rsvOff + (long) (reservations + 1) * FdtLayout.RESERVE_ENTRY_SIZE;
        long structEnd = (long) h.structOff + structUsed;
        long stringsEnd = (long) h.stringsOff + h.stringsSize;
        overlap(h.rsvOff, rsvEnd, h.structOff, structEnd, "memory-reservation map", "struct block");
        overlap(h.rsvOff, rsvEnd, h.stringsOff, stringsEnd, "memory-reservation map", "strings block");
        overlap(h.structOff, structEnd, h.stringsOff, stringsEnd, "struct block", "strings block");
    }

    private static void overlap(long aStart, long aEnd, long bStart, long bEnd, String a, String b)
            throws FdtFormatException {
        if (aStart < aEnd && bStart < bEnd && aStart < bEnd && bStart < aEnd) {
            throw new FdtFormatException(Kind.BAD_LAYOUT, Math.max(aStart, bStart), a + " [" + aStart + ", " + aEnd
                    + ") overlaps " + b + " [" + bStart + ", " + bEnd + ")", true);
        }
    }

    /**
     * The token walk of libfdt's {@code fdt_check_full} with {@code fdt_next_tag}'s bounds, building the node
     * and property index as it goes. Offsets are relative to the struct block unless named {@code abs}.
     */
    private static final class StructWalk {
        private final ByteBuffer b;
        private final Header h;
        private final DecodeLimits limits;
        private final FdtIndex.Builder index;
        /** The first stricter-than-libfdt problem seen, thrown only if libfdt's own checks all pass. */
        private FdtFormatException deferred;
        /** Bytes that name scans have read so far; past the name region's size, some were read twice. */
        private long nameBytesScanned;
        /**
         * Every NUL of the name region in order, built once name scans have read more bytes than the region
         * holds: then each lookup is a binary search instead of a scan. Hostile nameoffs pointing at ever
         * later bytes of one long string would otherwise cost the string's length each, quadratic in total.
         */
        private int[] regionNuls;
        private int regionNulCount;

        StructWalk(ByteBuffer b, Header h, DecodeLimits limits) {
            this.b = b;
            this.h = h;
            this.limits = limits;
            this.index = new FdtIndex.Builder(h.structLimit);
        }

        private long abs(long rel) {
            return h.structOff + rel;
        }

        FdtIndex run() throws FdtFormatException {
            int depth = 0;
            boolean expectEnd = false;
            long pos = 0;
            while (true) {
                if (pos + FdtLayout.TAG_SIZE > h.structLimit) {
                    throw new FdtFormatException(Kind.TRUNCATED, abs(pos),
                            "struct block ends without FDT_END (block is " + h.structLimit + " bytes)");
                }
                int tag = b.getInt((int) abs(pos));
                switch (tag) {
                    case FdtLayout.FDT_NOP:
                        afterRoot(expectEnd, pos, "FDT_NOP");
                        pos += FdtLayout.TAG_SIZE;
                        break;
                    case FdtLayout.FDT_BEGIN_NODE:
                        long nul = nameEnd(pos);
                        afterRoot(expectEnd, pos, "FDT_BEGIN_NODE (a second root)");
                        beginNode(pos, nul, ++depth);
                        pos = FdtLayout.tagAlign(nul + 1 - h.structOff);
                        break;
                    case FdtLayout.FDT_END_NODE:
                        afterRoot(expectEnd, pos, "FDT_END_NODE");
                        if (depth == 0) {
                            throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "FDT_END_NODE with no open node");
                        }
                        index.endNode();
                        if (--depth == 0) {
                            expectEnd = true;
                        }
                        pos += FdtLayout.TAG_SIZE;
                        break;
                    case FdtLayout.FDT_PROP:
                        pos = property(pos, depth, expectEnd);
                        break;
                    case FdtLayout.FDT_END:
                        return end(pos, depth, expectEnd);
                    default:
                        throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                                String.format("unknown token 0x%08x", tag));
                }
            }
        }

        private void defer(FdtFormatException e) {
            if (deferred == null) {
                deferred = e;
            }
        }

        /** libfdt's {@code expect_end}: once the root has closed, only FDT_END may follow. */
        private void afterRoot(boolean expectEnd, long pos, String what) throws FdtFormatException {
            if (expectEnd) {
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                        what + " after the root node closed; only FDT_END may follow");
            }
        }

        private FdtIndex end(long pos, int depth, boolean expectEnd) throws FdtFormatException {
            if (depth != 0) {
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "FDT_END with " + depth
                        + " node(s) still open");
            }
            if (deferred != null) {
                throw deferred;
            }
            if (!expectEnd) {
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                        "FDT_END before any root node (libfdt accepts an empty tree; we need a root)", true);
            }
            return index.build((int) (pos + FdtLayout.TAG_SIZE), nameBytesScanned);
        }

        /** @return the absolute offset of the NUL ending the node's name, which libfdt's fdt_next_tag requires */
        private long nameEnd(long pos) throws FdtFormatException {
            long nul = findNul(abs(pos + FdtLayout.TAG_SIZE), abs(h.structLimit));
            if (nul < 0) {
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                        "node name is not NUL-terminated inside the struct block");
            }
            return nul;
        }

        private void beginNode(long pos, long nul, int depth) throws FdtFormatException {
            int nameStart = (int) abs(pos + FdtLayout.TAG_SIZE);
            int nameLen = (int) (nul - nameStart);
            int leafStart = nameStart;
            int leafLen = nameLen;
            if (h.version < 16) {
                // Before version 16 a node's name is its full path; libfdt's fdt_get_name keeps the leaf.
                int slash = lastSlash(nameStart, nameLen);
                if (slash >= 0) {
                    leafStart = slash + 1;
                    leafLen = nameStart + nameLen - leafStart;
                } else if (depth == 1) {
                    // libfdt's fdt_get_name fails here (and 1.6.1's fdt_check_full then dereferences NULL).
                    throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                            "version " + h.version + " root node name has no '/'");
                } else {
                    // fdt_check_full does not look at non-root names, but every libfdt lookup fails on it.
                    defer(new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "version " + h.version
                            + " node name has no '/' (libfdt's fdt_get_name fails on it)", true));
                }
            }
            if (depth == 1 && leafLen != 0) {
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "root node has a name: \""
                        + new String(bytes(leafStart, Math.min(leafLen, 64)), StandardCharsets.ISO_8859_1) + "\"");
            }
            if (depth > limits.maxDepth()) {
                throw new FdtFormatException(Kind.LIMIT_EXCEEDED, abs(pos), "node nesting deeper than "
                        + limits.maxDepth() + " (DecodeLimits.withMaxDepth)", true);
            }
            if (index.nodeCount() >= limits.maxNodes()) {
                throw new FdtFormatException(Kind.LIMIT_EXCEEDED, abs(pos), "more than " + limits.maxNodes()
                        + " nodes (DecodeLimits.withMaxNodes)", true);
            }
            index.beginNode((int) abs(pos), leafStart, leafLen);
        }

        private long property(long pos, int depth, boolean expectEnd) throws FdtFormatException {
            if (pos + FdtLayout.PROP_HEADER_SIZE > h.structLimit) {
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "property header runs past the struct block");
            }
            long len = u32(b, (int) abs(pos + 4));
            long nameOff = u32(b, (int) abs(pos + 8));
            long valueStart = pos + FdtLayout.PROP_HEADER_SIZE;
            if (h.version < 16 && len >= 8 && (valueStart & 7) != 0) {
                valueStart += 4; // pre-v16 blobs align values of 8 bytes or more to 8 (libfdt fdt_next_tag)
            }
            if (valueStart - pos + len >= 1L << 32) {
                // libfdt adds this extent to a 32-bit offset, which wraps back to (or just past) the token:
                // 1.6.1 then loops forever or reads the property header as tokens, instead of failing.
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "property length " + len
                        + " wraps libfdt's 32-bit offset arithmetic", true);
            }
            if (valueStart + len > h.structLimit) {
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "property value of " + len
                        + " bytes runs past the struct block");
            }
            afterRoot(expectEnd, pos, "FDT_PROP");
            int nameLen = checkName(pos, nameOff);
            if (depth == 0) {
                defer(new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                        "property outside any node (libfdt accepts this; a tree cannot hold it)", true));
            } else {
                if (index.openNodeHasChild()) {
                    defer(new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "property after a child node:"
                            + " libfdt's property lookups stop at the first child, so the kernel would not see it",
                            true));
                }
                if (index.propertyCount() >= limits.maxProperties()) {
                    throw new FdtFormatException(Kind.LIMIT_EXCEEDED, abs(pos), "more than " + limits.maxProperties()
                            + " properties (DecodeLimits.withMaxProperties)", true);
                }
                index.property((int) abs(pos), h.stringsOff + (int) nameOff, nameLen, (int) abs(valueStart), (int) len);
            }
            return FdtLayout.tagAlign(valueStart + len);
        }

        /** libfdt's {@code fdt_get_string}: offset inside the strings block, NUL before its end. */
        private int checkName(long pos, long nameOff) throws FdtFormatException {
            long absOff = h.stringsOff + nameOff;
            long end = h.totalSize;
            if (h.stringsSized) {
                if (nameOff >= h.stringsSize) {
                    throw new FdtFormatException(Kind.BAD_OFFSET, abs(pos) + 8, "property name offset " + nameOff
                            + " is outside the " + h.stringsSize + "-byte strings block");
                }
                end = h.stringsOff + (long) h.stringsSize;
            } else if (absOff >= end) {
                throw new FdtFormatException(Kind.BAD_OFFSET, abs(pos) + 8, "property name offset " + nameOff
                        + " is past the end of the blob");
            }
            int cached = index.cachedNameLength((int) absOff);
            if (cached >= 0) {
                return cached;
            }
            long nul = nameNul(absOff, end);
            if (nul < 0) {
                throw new FdtFormatException(Kind.TRUNCATED, abs(pos) + 8, "property name at strings offset "
                        + nameOff + " is not NUL-terminated inside the strings block");
            }
            int len = (int) (nul - absOff);
            index.cacheNameLength((int) absOff, len);
            return len;
        }

        /**
         * The first NUL in {@code [from, end)}, or -1; {@code end} is the same for every name of the blob (the
         * strings block's end, or totalsize before version 17), so the name region is {@code [stringsOff, end)}.
         */
        private long nameNul(long from, long end) {
            if (regionNuls == null) {
                long nul = findNul(from, end);
                nameBytesScanned += (nul < 0 ? end : nul + 1) - from;
                if (nameBytesScanned > end - h.stringsOff) {
                    indexRegionNuls(end);
                }
                return nul;
            }
            int lo = 0;
            int hi = regionNulCount;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (regionNuls[mid] < from) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < regionNulCount ? regionNuls[lo] : -1;
        }

        /** One pass over the name region; the array holds at most one int per region byte. */
        private void indexRegionNuls(long end) {
            regionNuls = new int[16];
            for (long nul = findNul(h.stringsOff, end); nul >= 0; nul = findNul(nul + 1, end)) {
                if (regionNulCount == regionNuls.length) {
                    regionNuls = Arrays.copyOf(regionNuls, regionNulCount * 2);
                }
                regionNuls[regionNulCount++] = (int) nul;
            }
            nameBytesScanned += end - h.stringsOff;
        }

        private long findNul(long from, long end) {
            // Eight bytes at a time: t has the top bit of each zero byte set, exactly (no borrow between
            // bytes); the buffer's byte order says which end of the load is first in memory. Offsets < 2^31.
            int i = (int) from;
            int e = (int) end;
            boolean bigEndian = b.order() == ByteOrder.BIG_ENDIAN;
            for (; e - i >= 8; i += 8) {
                long v = b.getLong(i);
                long t = ~(((v & 0x7f7f7f7f7f7f7f7fL) + 0x7f7f7f7f7f7f7f7fL) | v | 0x7f7f7f7f7f7f7f7fL);
                if (t != 0) {
                    return i + ((bigEndian ? Long.numberOfLeadingZeros(t) : Long.numberOfTrailingZeros(t)) >>> 3);
                }
            }
            for (; i < e; i++) {
                if (b.get(i) == 0) {
                    return i;
                }
            }
            return -1;
        }

        private int lastSlash(int start, int len) {
            for (int i = start + len - 1; i >= start; i--) {
                if (b.get(i) == '/') {
                    return i;
                }
            }
            return -1;
        }

        private byte[] bytes(int start, int len) {
            byte[] out = new byte[len];
            b.get(start, out);
            return out;
        }
    }
}
