package io.kho4j.fdt;

import io.kho4j.fdt.FdtFormatException.Kind;
import io.kho4j.fdt.internal.FdtLayout;
import io.kho4j.fdt.internal.FdtIndex;
import io.kho4j.internal.jna.LibFdtCheck;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an untrusted blob and returns a {@link ValidatedFdt}, the only way to read one.
 *
 * <p>The checks follow libfdt's {@code fdt_check_header} and {@code fdt_check_full} (dtc 1.6.1) in order:
 * header size, magic, version window, totalsize, block bounds (overflow-safe), then a full walk of the
 * token stream. We are deliberately stricter than libfdt where accepting the blob would let a reader see
 * something other than one tree; each such check is listed in docs/ERRORS.md:
 * <ul>
 *   <li>memory-reservation offset must be 8-byte aligned, struct offset 4-byte aligned;</li>
 *   <li>the reservation map must be terminated before the next block begins;</li>
 *   <li>the three blocks must not overlap;</li>
 *   <li>there must be exactly one root node, and no property outside it;</li>
 *   <li>nesting depth, node and property counts and total size are bounded by {@link DecodeLimits}.</li>
 * </ul>
 * Properties after child nodes are accepted, as libfdt does (the Devicetree Specification asks writers
 * to put properties first; {@link FdtWriter} does).
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
     * parses KHO trees with libfdt, so a blob we hand over must satisfy it too.
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
        ByteBuffer blob = b.slice(0, h.totalSize).order(ByteOrder.BIG_ENDIAN).asReadOnlyBuffer();
        List<MemoryReservation> reservations = checkReservations(blob, h);
        FdtIndex index = new StructWalk(blob, h, limits).run();
        checkNoOverlap(h, reservations.size(), index.structEnd());
        if (alsoLibfdt) {
            LibFdtCheck.checkFull(blob);
        }
        return new ValidatedFdt(blob, h.version, h.lastCompVersion, h.bootCpuidPhys, reservations, index);
    }

    /** The header fields that the walk needs, as validated. */
    static final class Header {
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
        int stringsSize;
        /** size_dt_strings only bounds string lookups from v17, as in libfdt's fdt_get_string. */
        boolean stringsSized;
    }

    private static long u32(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(b.getInt(off));
    }

    static Header checkHeader(ByteBuffer b, DecodeLimits limits) throws FdtFormatException {
        int avail = b.remaining();
        if (avail < FdtLayout.V1_SIZE) {
            throw new FdtFormatException(Kind.TRUNCATED, 0,
                    "blob is " + avail + " bytes, shorter than the smallest header (" + FdtLayout.V1_SIZE + ")");
        }
        Header h = new Header();
        h.version = u32(b, FdtLayout.OFF_VERSION);
        h.headerSize = FdtLayout.headerSize(h.version);
        if (avail < h.headerSize) {
            throw new FdtFormatException(Kind.TRUNCATED, 0, "blob is " + avail + " bytes, shorter than the "
                    + h.headerSize + "-byte header of version " + h.version);
        }
        int magic = b.getInt(FdtLayout.OFF_MAGIC);
        if (magic != FdtLayout.MAGIC) {
            throw new FdtFormatException(Kind.BAD_MAGIC, FdtLayout.OFF_MAGIC,
                    String.format("magic is 0x%08x, expected 0x%08x", magic, FdtLayout.MAGIC));
        }
        h.lastCompVersion = u32(b, FdtLayout.OFF_LAST_COMP_VERSION);
        if (h.version < FdtLayout.FIRST_SUPPORTED_VERSION || h.lastCompVersion > FdtLayout.LAST_SUPPORTED_VERSION) {
            throw new FdtFormatException(Kind.BAD_VERSION, FdtLayout.OFF_VERSION, "version " + h.version
                    + " / last_comp_version " + h.lastCompVersion + " outside the supported window "
                    + FdtLayout.FIRST_SUPPORTED_VERSION + ".." + FdtLayout.LAST_SUPPORTED_VERSION);
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
                    + " exceeds the limit " + limits.maxTotalSize() + " (DecodeLimits.withMaxTotalSize)");
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
            checkBlock(h.headerSize, total, structOff, structLimit, FdtLayout.OFF_OFF_DT_STRUCT, "struct");
        }
        long stringsOff = u32(b, FdtLayout.OFF_OFF_DT_STRINGS);
        // libfdt reads size_dt_strings for every version (fdt.h puts it in the v3 header; a v2 header
        // has none, and libfdt then reads past the header: we read 0 instead).
        long stringsSize = h.headerSize >= FdtLayout.V3_SIZE ? u32(b, FdtLayout.OFF_SIZE_DT_STRINGS) : 0;
        checkBlock(h.headerSize, total, stringsOff, stringsSize, FdtLayout.OFF_OFF_DT_STRINGS, "strings");
        if (avail < total) {
            throw new FdtFormatException(Kind.TRUNCATED, avail,
                    "blob is " + avail + " bytes but its header says totalsize " + total);
        }
        // Stricter than libfdt: the blocks' natural alignment (Devicetree Specification 5.1).
        if ((rsvOff & 7) != 0) {
            throw new FdtFormatException(Kind.BAD_ALIGNMENT, FdtLayout.OFF_OFF_MEM_RSVMAP,
                    "off_mem_rsvmap " + rsvOff + " is not 8-byte aligned");
        }
        if ((structOff & 3) != 0) {
            throw new FdtFormatException(Kind.BAD_ALIGNMENT, FdtLayout.OFF_OFF_DT_STRUCT,
                    "off_dt_struct " + structOff + " is not 4-byte aligned");
        }
        h.totalSize = (int) total;
        h.bootCpuidPhys = h.headerSize >= FdtLayout.V2_SIZE ? b.getInt(FdtLayout.OFF_BOOT_CPUID_PHYS) : 0;
        h.rsvOff = (int) rsvOff;
        h.structOff = (int) structOff;
        h.structLimit = (int) structLimit;
        h.stringsOff = (int) stringsOff;
        h.stringsSize = (int) stringsSize;
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
    private static void checkBlock(int headerSize, long total, long base, long size, int field, String name)
            throws FdtFormatException {
        checkOffset(headerSize, total, base, field, "off_dt_" + name);
        if (base + size > total) {
            throw new FdtFormatException(Kind.TRUNCATED, field, name + " block [" + base + ", " + (base + size)
                    + ") runs past totalsize " + total);
        }
    }

    private static List<MemoryReservation> checkReservations(ByteBuffer blob, Header h) throws FdtFormatException {
        // The reservation block has no size field: it ends where the next block starts (stricter than
        // libfdt's fdt_num_mem_rsv, which only stops at totalsize).
        int end = h.totalSize;
        if (h.structOff >= h.rsvOff && h.structOff < end) {
            end = h.structOff;
        }
        if (h.stringsOff >= h.rsvOff && h.stringsOff < end && h.stringsSize > 0) {
            end = h.stringsOff;
        }
        List<MemoryReservation> out = new ArrayList<>();
        for (long off = h.rsvOff; ; off += FdtLayout.RESERVE_ENTRY_SIZE) {
            if (off + FdtLayout.RESERVE_ENTRY_SIZE > end) {
                throw new FdtFormatException(Kind.TRUNCATED, off, "memory-reservation map has no terminating entry"
                        + " before offset " + end);
            }
            long address = blob.getLong((int) off);
            long size = blob.getLong((int) off + 8);
            if (size == 0) {
                return List.copyOf(out);
            }
            out.add(new MemoryReservation(address, size));
        }
    }

    private static void checkNoOverlap(Header h, int reservations, int structEnd) throws FdtFormatException {
        long rsvEnd = h.rsvOff + (long) (reservations + 1) * FdtLayout.RESERVE_ENTRY_SIZE;
        long structEndAbs = (long) h.structOff + structEnd;
        long stringsEnd = (long) h.stringsOff + h.stringsSize;
        overlap(h.rsvOff, rsvEnd, h.structOff, structEndAbs, "memory-reservation map", "struct block");
        overlap(h.rsvOff, rsvEnd, h.stringsOff, stringsEnd, "memory-reservation map", "strings block");
        overlap(h.structOff, structEndAbs, h.stringsOff, stringsEnd, "struct block", "strings block");
    }

    private static void overlap(long aStart, long aEnd, long bStart, long bEnd, String a, String b)
            throws FdtFormatException {
        if (aStart < aEnd && bStart < bEnd && aStart < bEnd && bStart < aEnd) {
            throw new FdtFormatException(Kind.BAD_LAYOUT, Math.max(aStart, bStart), a + " [" + aStart + ", " + aEnd
                    + ") overlaps " + b + " [" + bStart + ", " + bEnd + ")");
        }
    }

    /** The token walk of libfdt's fdt_check_full, building the node and property index as it goes. */
    private static final class StructWalk {
        private final ByteBuffer b;
        private final Header h;
        private final DecodeLimits limits;
        private final FdtIndex.Builder index;

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
                if (expectEnd && tag != FdtLayout.FDT_END) {
                    throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), String.format(
                            "token 0x%x after the root node closed; only FDT_END may follow (a second root?)", tag));
                }
                switch (tag) {
                    case FdtLayout.FDT_NOP:
                        pos += FdtLayout.TAG_SIZE;
                        break;
                    case FdtLayout.FDT_BEGIN_NODE:
                        pos = beginNode(pos, ++depth);
                        break;
                    case FdtLayout.FDT_END_NODE:
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
                        if (depth == 0) {
                            throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                                    "property outside any node (libfdt accepts this; a tree cannot hold it)");
                        }
                        pos = property(pos);
                        break;
                    case FdtLayout.FDT_END:
                        if (depth != 0) {
                            throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                                    "FDT_END with " + depth + " node(s) still open");
                        }
                        if (!expectEnd) {
                            throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                                    "FDT_END before any root node (libfdt accepts an empty tree; we need a root)");
                        }
                        return index.build((int) (pos + FdtLayout.TAG_SIZE));
                    default:
                        throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), String.format("unknown token 0x%08x", tag));
                }
            }
        }

        private long beginNode(long pos, int depth) throws FdtFormatException {
            if (depth > limits.maxDepth()) {
                throw new FdtFormatException(Kind.LIMIT_EXCEEDED, abs(pos), "node nesting deeper than "
                        + limits.maxDepth() + " (DecodeLimits.withMaxDepth)");
            }
            if (index.nodeCount() >= limits.maxNodes()) {
                throw new FdtFormatException(Kind.LIMIT_EXCEEDED, abs(pos), "more than " + limits.maxNodes()
                        + " nodes (DecodeLimits.withMaxNodes)");
            }
            long nameStart = pos + FdtLayout.TAG_SIZE;
            long nul = findNul(abs(nameStart), abs(h.structLimit));
            if (nul < 0) {
                throw new FdtFormatException(Kind.TRUNCATED, abs(nameStart),
                        "node name is not NUL-terminated inside the struct block");
            }
            int leafStart = (int) abs(nameStart);
            int leafLen = (int) (nul - abs(nameStart));
            if (h.version < 16) {
                // Before version 16 a node's name is its full path; libfdt's fdt_get_name keeps the leaf.
                int slash = lastSlash(leafStart, leafLen);
                if (slash >= 0) {
                    leafLen -= slash + 1 - leafStart;
                    leafStart = slash + 1;
                } else if (depth == 1) {
                    throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos),
                            "version " + h.version + " root node name has no '/'");
                }
            }
            if (depth == 1 && leafLen != 0) {
                throw new FdtFormatException(Kind.BAD_STRUCTURE, abs(pos), "root node has a name: \""
                        + new String(bytes(leafStart, Math.min(leafLen, 64)), StandardCharsets.ISO_8859_1) + "\"");
            }
            index.beginNode((int) abs(pos), leafStart, leafLen);
            return FdtLayout.tagAlign((int) (nul + 1 - h.structOff));
        }

        private long property(long pos) throws FdtFormatException {
            if (index.propertyCount() >= limits.maxProperties()) {
                throw new FdtFormatException(Kind.LIMIT_EXCEEDED, abs(pos), "more than " + limits.maxProperties()
                        + " properties (DecodeLimits.withMaxProperties)");
            }
            if (pos + FdtLayout.PROP_HEADER_SIZE > h.structLimit) {
                throw new FdtFormatException(Kind.TRUNCATED, abs(pos), "property header runs past the struct block");
            }
            long len = u32(b, (int) abs(pos + 4));
            long nameOff = u32(b, (int) abs(pos + 8));
            long valueStart = pos + FdtLayout.PROP_HEADER_SIZE;
            if (h.version < 16 && len >= 8 && (valueStart & 7) != 0) {
                valueStart += 4; // pre-v16 blobs align values of 8 bytes or more to 8 (libfdt fdt_next_tag)
            }
            if (valueStart + len > h.structLimit) {
                throw new FdtFormatException(Kind.TRUNCATED, abs(pos), "property value of " + len
                        + " bytes runs past the struct block");
            }
            int nameLen = checkString(pos, nameOff);
            index.property((int) abs(pos), h.stringsOff + (int) nameOff, nameLen, (int) abs(valueStart), (int) len);
            return FdtLayout.tagAlign((int) (valueStart + len));
        }

        /** libfdt's fdt_get_string: offset inside the strings block, NUL before its end. */
        private int checkString(long pos, long nameOff) throws FdtFormatException {
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
            long nul = findNul(absOff, end);
            if (nul < 0) {
                throw new FdtFormatException(Kind.TRUNCATED, abs(pos) + 8, "property name at strings offset "
                        + nameOff + " is not NUL-terminated inside the strings block");
            }
            int len = (int) (nul - absOff);
            index.cacheNameLength((int) absOff, len);
            return len;
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
