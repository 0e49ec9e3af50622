package io.kho4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.AbiLock;
import io.kho4j.abi.AbiLockReport;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Upstream shipped a layout change under an unchanged compatible string: "kho: increase metadata bitmap size to
 * PAGE_SIZE" (6.18, backported to 6.17.9) changed {@code PRESERVE_BITS} from {@code 512 * 8} to
 * {@code PAGE_SIZE * 8} while the root stayed {@code "kho-v1"} (kho-abi.md §2, §8, §9.x). This test models the
 * KHO root and its memory map as a subsystem, once as 6.16 wrote it and once as 6.17.9 does, and shows that an
 * ABI lock recorded at 6.16 fails the 6.17.9 code with the version to bump to, and accepts the bump.
 */
class UpstreamBitmapChangeTest {
    private static final CompatibleString KHO_V1 = CompatibleString.of("kho-v1");

    /** The root tree and memory-map structures of kernel/kexec_handover.c for one PRESERVE_BITS. */
    private static class KhoRoot implements SubsystemSerializer<Long> {
        private final int bitmapBytes;
        private final List<CompatibleString> versions;

        KhoRoot(int bitmapBytes, CompatibleString... versions) {
            this.bitmapBytes = bitmapBytes;
            this.versions = List.of(versions);
        }

        @Override
        public String name() {
            return "kho";
        }

        @Override
        public List<CompatibleString> writes() {
            return versions;
        }

        @Override
        public boolean writes(CompatibleString version, AbiGeneration g) {
            return g.rootCompatible().equals(KHO_V1);
        }

        @Override
        public void write(Long memoryMap, SubtreeWriter out) {
            out.strings("compatible", "kho-v1").u64(AbiGeneration.MEMORY_MAP_PROPERTY, memoryMap);
            out.beginNode("memblock").u64("fdt", 0x1_1715_0000L).endNode();
        }

        @Override
        public List<Long> abiSamples() {
            return List.of(0x1_16be_4000L);
        }

        @Override
        public List<StructLayout> layouts(CompatibleString version, WriteContext ctx) {
            int bitmapPtrs = (ctx.pageSize() - 16) / 16;   // KHOSER_BITMAP_SIZE = 255 on 4 KiB pages
            return List.of(
                    StructLayout.builder("khoser_mem_chunk_hdr", 16).field("next", "u64", 8).field("order", "u32", 4)
                            .field("num_elms", "u32", 4).build(),
                    StructLayout.builder("khoser_mem_bitmap_ptr", 16).field("phys_start", "u64", 8)
                            .field("bitmap", "u64", 8).build(),
                    StructLayout.builder("khoser_mem_chunk", ctx.pageSize()).field("hdr", "khoser_mem_chunk_hdr", 16)
                            .field("bitmaps", "khoser_mem_bitmap_ptr[" + bitmapPtrs + "]", 16L * bitmapPtrs).build(),
                    StructLayout.builder("kho_mem_phys_bits", bitmapBytes)
                            .field("preserve", "bitmap[" + bitmapBytes * 8 + "]", bitmapBytes).build());
        }
    }

    @TempDir
    Path dir;

    @Test
    void aLockRecordedAt616RejectsThe6179BitmapUnderTheSameKhoV1() throws Exception {
        Path lock = dir.resolve(AbiLock.FILE_NAME);
        AbiLock.of(List.of(Subtrees.describe(new KhoRoot(512, KHO_V1)))).write(lock);

        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> AbiLockCheck.assertMatchesLock(lock, List.of(new KhoRoot(4096, KHO_V1))));
        String message = e.getMessage();
        assertTrue(message.contains("FAILURE kho kho-v1: layout changed without a version bump"), message);
        assertTrue(message.contains("Bump the compatible to \"kho-v2\""), message);
        assertTrue(message.contains("- struct kho_mem_phys_bits size=512"), message);
        assertTrue(message.contains("+ struct kho_mem_phys_bits size=4096"), message);
        assertTrue(message.contains("-   field preserve offset=0 size=512 type=bitmap[4096]"), message);
        // The root tree itself did not change: only the memory-map structures did, which is why nothing
        // upstream noticed.
        assertTrue(!message.contains("prop "), message);
    }

    @Test
    void bumpingTheCompatibleForTheNewLayoutPasses() {
        AbiLock at616 = AbiLock.of(List.of(Subtrees.describe(new KhoRoot(512, KHO_V1))));
        // What upstream should have done: keep kho-v1 as it was and write the page-size bitmaps as kho-v2.
        KhoRoot bumped = new KhoRoot(512, KHO_V1, KHO_V1.next()) {
            @Override
            public List<StructLayout> layouts(CompatibleString version, WriteContext ctx) {
                return version.equals(KHO_V1) ? super.layouts(version, ctx)
                        : new KhoRoot(4096, version).layouts(version, ctx);
            }
        };
        AbiLockReport report = at616.check(List.of(Subtrees.describe(bumped)));
        assertTrue(report.passed(), report.toString());
        assertEquals(List.of("kho-v2"), report.findings(AbiLockReport.Severity.ADDED).stream()
                .map(AbiLockReport.Finding::version).toList());
    }
}
