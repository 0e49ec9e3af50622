package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.MemoryImage;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.MemoryMapFormatException.Kind;
import io.kho4j.testsupport.Allocations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8's resource bounds for the memory-map decoders: counts and pointers that claim far more than the
 * memory holds cost nothing, and a cyclic list is refused however long its cycle.
 */
class BoundedDecodeTest {
    private static final PageSize P4K = PageSize.KIB_4;

    @TempDir
    Path dir;

    /**
     * A 100-byte memory image whose first chunk claims 2^32 - 1 bitmaps of order 0: the chunk is not a whole
     * page of RAM, so nothing is read or allocated for its count; a radix root there is refused the same way.
     */
    @ParameterizedTest
    @EnumSource(MemoryMapFormat.class)
    void aHugeClaimIn100BytesOfImageAllocatesNothingBig(MemoryMapFormat format) throws Exception {
        byte[] image = new byte[100];
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putLong(0x1000).putInt(0).putInt(0xffffffff)
                .putLong(0x7fff_ffff_f000L).putLong(0x1000);
        Path file = Files.write(dir.resolve("image"), image);
        try (MemoryImage memory = MemoryImage.open(file, 0x10000)) {
            MemoryMapCodec codec = MemoryMapCodec.of(format, format == MemoryMapFormat.RADIX_16K_PREFIX
                    ? PageSize.KIB_16 : P4K);
            MemoryMapFormatException[] e = new MemoryMapFormatException[1];
            long allocated = Allocations.measure(() -> e[0] = assertThrows(MemoryMapFormatException.class,
                    () -> codec.decode(memory, 0x10000)));
            assertEquals(Kind.POINTER_OUTSIDE_RAM, e[0].kind(), e[0].getMessage());
            assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
        }
    }

    /** A whole chunk page in RAM claiming 2^32 - 1 bitmaps: refused from its header, before any entry is read. */
    @ParameterizedTest
    @EnumSource(value = MemoryMapFormat.class, names = {"CHUNKS_BITMAP512", "CHUNKS_BITMAP_PAGE"})
    void aChunkClaimingFourBillionBitmapsAllocatesNothingBig(MemoryMapFormat format) throws Exception {
        PhysicalMemory memory = PhysicalMemory.ofHeap(0x1000, 0x1000);
        Raw.chunkHeader(memory, 0x1000, 0, 0, 0xffffffffL);
        MemoryMapFormatException[] e = new MemoryMapFormatException[1];
        long allocated = Allocations.measure(() -> e[0] = assertThrows(MemoryMapFormatException.class,
                () -> MemoryMapCodec.of(format, P4K).decode(memory, 0x1000)));
        assertEquals(Kind.COUNT_TOO_LARGE, e[0].kind(), e[0].getMessage());
        assertEquals(0x100c, e[0].address());
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    /**
     * A chunk list whose {@code next} pointers run through 1,000,000 chunks and back to the first is refused as a
     * cycle at the first chunk, with constant work per chunk read.
     */
    @Test
    void aMillionChunkCycleIsRefusedWithABoundedVisitedSet() {
        int chunks = 1_000_000;
        PhysicalMemory ring = new ChunkRing(chunks);
        MemoryMapFormatException[] e = new MemoryMapFormatException[1];
        long allocated = Allocations.measure(() -> e[0] = assertThrows(MemoryMapFormatException.class,
                () -> MemoryMapCodec.of(MemoryMapFormat.CHUNKS_BITMAP_PAGE, P4K).decode(ring, ChunkRing.FIRST)));
        assertEquals(Kind.CYCLE, e[0].kind(), e[0].getMessage());
        assertEquals(ChunkRing.FIRST, e[0].address());
        assertTrue(e[0].getMessage().contains(String.format("0x%x", ChunkRing.FIRST + (chunks - 1L) * 4096)),
                "names the chunk whose next closes the loop: " + e[0].getMessage());
        // Per chunk only short-lived garbage (buffer views of the 16-byte header reads; more while the JIT has not
        // yet removed them), never a copy of the 4 KiB page; the visited set keeps at most 4 slots of 9 bytes per
        // chunk read (a 2^21-slot table for a million chunks).
        assertTrue(allocated < 1024L * chunks, "allocated " + allocated + " bytes");
    }

    /**
     * Memory that holds {@code count} empty chunks, each page pointing at the next and the last at the first,
     * computed on read: a million pages of RAM without a million pages of heap.
     */
    private static final class ChunkRing implements PhysicalMemory {
        static final long FIRST = 1L << 32;
        private final int count;
        private final List<PhysRange> ram;

        ChunkRing(int count) {
            this.count = count;
            this.ram = List.of(new PhysRange(FIRST, (long) count * 4096));
        }

        @Override
        public List<PhysRange> ram() {
            return ram;
        }

        @Override
        public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
            if (!isRam(phys, length) || (phys & 4095) + length > 4096) {
                throw new PhysicalMemoryException(phys, "this test memory reads within one page only", null);
            }
            Arrays.fill(dst, offset, offset + length, (byte) 0);
            long index = (phys - FIRST) / 4096;
            if ((phys & 4095) == 0 && length >= 8) {
                ByteBuffer.wrap(dst, offset, 8).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(FIRST + (index + 1) % count * 4096);
            }
        }

        @Override
        public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
            throw new PhysicalMemoryException(phys, "read-only", null);
        }
    }
}
