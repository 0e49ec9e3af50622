package io.kho4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.BumpPageAllocator;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapCodecConfig;
import io.kho4j.preserve.MemoryMapFormat;
import io.kho4j.preserve.MemoryMapFormatException;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.preserve.PreservedMemoryMap;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Each preserved-memory-map decoder over a hostile memory image. Input: format, page size, flags (bit 0
 * big-endian, bit 1 refuse pre-fix 16 KiB trees, bit 2 root 0), RAM size in pages, the root as an offset from
 * {@link #BASE} (u32), then patches of
 * zeroed RAM ({@link FuzzInput#patch}). Contract: only
 * {@link MemoryMapFormatException}; allocation bounded by the pages a decoder may read; an accepted map
 * re-encodes and decodes to itself.
 */
class MemoryMapFuzzTest {
    /** RAM starts here, so 0 and small numbers are not RAM. */
    static final long BASE = 0x4000_0000L;
    /** RAM a decode may see: small enough for many runs a second, big enough for chunk lists of a few pages. */
    private static final int MAX_RAM = 256 << 10;
    private static final PageSize[] PAGE_SIZES = {PageSize.KIB_4, PageSize.KIB_16, PageSize.KIB_64};

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] data) throws PhysicalMemoryException {
        FuzzInput in = new FuzzInput(data);
        MemoryMapFormat format = MemoryMapFormat.values()[in.u8() % MemoryMapFormat.values().length];
        PageSize pageSize = PAGE_SIZES[in.u8() % PAGE_SIZES.length];
        int flags = in.u8();
        int pages = 1 + in.u8() % Math.max(1, MAX_RAM / pageSize.bytes());
        long root = (flags & 4) != 0 ? 0 : BASE + in.u32();
        MemoryMapCodecConfig config = MemoryMapCodecConfig.of(format, pageSize)
                .withByteOrder((flags & 1) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .withRefusePreFix16K((flags & 2) != 0);
        int ramBytes = pages * pageSize.bytes();
        PhysicalMemory memory = PhysicalMemory.ofHeap(BASE, ramBytes);
        in.patch(memory, BASE, ramBytes);
        MemoryMapCodec codec = MemoryMapCodec.of(config);
        PreservedMemoryMap[] decoded = new PreservedMemoryMap[1];
        // Each chunk page names at most 255 bitmaps (possibly the same one again, at another phys_start) and each
        // bitmap adds at most a page of windows: output stays within a few hundred times the RAM it was read from.
        FuzzBudget.check(format + " decode", (4 << 20) + 1024L * ramBytes, () -> {
            try {
                decoded[0] = codec.decode(memory, root);
            } catch (MemoryMapFormatException e) {
                decoded[0] = null;
            }
        });
        if (decoded[0] != null) {
            roundTrip(codec, decoded[0]);
        }
    }

    /** Encodes into fresh memory above the decoded blocks and decodes again; refusals must be the documented one. */
    private static void roundTrip(MemoryMapCodec codec, PreservedMemoryMap map) {
        long scratch = BASE + MAX_RAM + (64L << 20);
        PhysicalMemory out = PhysicalMemory.sparse(List.of(new PhysRange(BASE, MAX_RAM),
                new PhysRange(scratch, 64L << 20)));
        try {
            long root = codec.encode(map, out, BumpPageAllocator.over(map.pageSize(), scratch, scratch + (64L << 20)));
            PreservedMemoryMap again = codec.decode(out, root);
            if (!again.equals(map)) {
                throw new AssertionError("decode(encode(map)) differs from the map " + codec.config());
            }
        } catch (MemoryMapFormatException e) {
            if (e.kind() != MemoryMapFormatException.Kind.UNREPRESENTABLE
                    && e.kind() != MemoryMapFormatException.Kind.REFUSED_LAYOUT) {
                throw new AssertionError("re-encoding an accepted map failed", e);
            }
        } catch (PhysicalMemoryException e) {
            throw new AssertionError("re-encoding an accepted map ran out of memory", e);
        }
    }
}
