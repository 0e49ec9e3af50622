package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.MemoryMapFormatException.Kind;
import io.kho4j.testsupport.Allocations;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decoders pre-size each order's windows from the counts a map claims (chunk {@code num_elms}, radix
 * leaves), so that an honest decode never grows its arrays; a hostile count must not buy more room than the
 * bitmaps it points at in RAM, nor more than a map of all of RAM could need.
 */
class PresizeBoundsTest {
    private static final PageSize P4K = PageSize.KIB_4;

    /**
     * 1 GiB of RAM holds 262,144 pages: 64 windows of order 0, one of order 9; no claim buys more than those
     * plus the 8 windows of one page-sized bitmap (reserved whole even where its tail lies beyond RAM).
     */
    @Test
    void presizeIsCappedByTheWindowsRamCanHold() {
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(new PhysRange(0, 1L << 30)));
        MapReader reader = new MapReader(memory, P4K, ByteOrder.LITTLE_ENDIAN);
        assertEquals(64, reader.ramWindows(0));
        assertEquals(1, reader.ramWindows(9));
        reader.presize(0, Long.MAX_VALUE);
        reader.presize(9, 1L << 40);
        assertEquals(64 + 8, reader.capacity(0));
        assertEquals(1 + 8, reader.capacity(9));
    }

    /**
     * A chunk claiming the 255 bitmaps it can hold, each pointing outside RAM: an unchecked count would pre-size
     * their windows before the first entry is refused; only entries whose bitmap is in RAM count, so the decode
     * allocates a few pages' worth.
     */
    @ParameterizedTest
    @EnumSource(value = MemoryMapFormat.class, names = {"CHUNKS_BITMAP512", "CHUNKS_BITMAP_PAGE"})
    void fullChunkOfPointersOutsideRamPresizesNothing(MemoryMapFormat format) throws Exception {
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(new PhysRange(0, 1L << 40)));
        long chunk = 0x1000;
        Raw.chunkHeader(memory, chunk, 0, 0, 255);
        for (int i = 0; i < 255; i++) {
            Raw.chunkEntry(memory, chunk, i, 0, (2L << 40) + i * 4096L);
        }
        MemoryMapCodec codec = MemoryMapCodec.of(format, P4K);
        assertThrows(MemoryMapFormatException.class, () -> codec.decode(memory, chunk), "loads the classes");
        MemoryMapFormatException[] e = new MemoryMapFormatException[1];
        long allocated = Allocations.measure(() -> e[0] = assertThrows(MemoryMapFormatException.class,
                () -> codec.decode(memory, chunk)));
        assertEquals(Kind.POINTER_OUTSIDE_RAM, e[0].kind(), e[0].getMessage());
        // Counted, the 255 entries would pre-size 255 windows (130 kB) of 512-byte bitmaps, 2,040 (1 MB) of pages.
        assertTrue(allocated < 64 << 10, "allocated " + allocated + " bytes");
    }

    /**
     * An honest decode of a dense map fills exactly the room its counts claimed: the windows come back in
     * arrays of their own size, with none of the slack that growing by doubling leaves.
     */
    @ParameterizedTest
    @EnumSource(value = MemoryMapFormat.class, names = {"CHUNKS_BITMAP512", "CHUNKS_BITMAP_PAGE", "RADIX"})
    void anHonestDecodeIsPresizedExactly(MemoryMapFormat format) throws Exception {
        // 8,200 windows of order 0: not a power of two, so doubling from 4 would leave 8,192 windows of slack.
        long windows = 8200;
        PreservedMemoryMap map = PreservedMemoryMap.builder(P4K)
                .addBlocks(new PhysRange(0, windows * 4096 * 4096), 0).build();
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(new PhysRange(0, 1L << 40)));
        MemoryMapCodec codec = MemoryMapCodec.of(format, P4K);
        long root = codec.encode(map, memory, BumpPageAllocator.over(P4K, 1L << 39, 1L << 40));
        PreservedMemoryMap decoded = codec.decode(memory, root);
        assertEquals(map, decoded);
        assertEquals(windows, decoded.windows(0).count());
        assertEquals(windows, decoded.windows(0).keys.length);
        assertEquals(windows * OrderWindows.WINDOW_WORDS, decoded.windows(0).words.length);
    }
}
