package io.kho4j.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.abi.RootLayout;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.spi.InboundSubtree;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KhoTreeParserTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long RAM = 0x1_0000_0000L;

    private static KhoNode.Builder root(String compatible, long map) {
        return KhoNode.builder("").property(Property.strings("compatible", compatible))
                .property(Property.u64(AbiGeneration.MEMORY_MAP_PROPERTY, map, LE));
    }

    private static KhoNode child(String name, Property... props) {
        KhoNode.Builder b = KhoNode.builder(name);
        for (Property p : props) {
            b.property(p);
        }
        return b.build();
    }

    private static InboundResult.Accepted accepted(InboundResult r) {
        return assertInstanceOf(InboundResult.Accepted.class, r, r.toString());
    }

    private static InboundResult.Refused refused(InboundResult r, InboundResult.Reason reason) {
        InboundResult.Refused refused = assertInstanceOf(InboundResult.Refused.class, r, r.toString());
        assertEquals(reason, refused.reason(), refused.message());
        assertThrows(HandoverRefusedException.class, r::orThrow);
        return refused;
    }

    @Test
    void garbageIsRefusedAsInvalid() {
        refused(KhoTreeParser.create().parse(new byte[] {1, 2, 3}), InboundResult.Reason.INVALID_FDT);
        refused(KhoTreeParser.create().parse(new byte[4096]), InboundResult.Reason.INVALID_FDT);
    }

    @Test
    void aRootOfAnotherGenerationDisablesTheWholeHandover() throws Exception {
        byte[] v1 = TreeCodec.encode(root("kho-v1", 0x1000).child(child("memblock", Property.u64("fdt", 0x2000, LE)))
                .build());
        InboundResult.Refused r = refused(KhoTreeParser.create().forSuccessor(KernelRelease.parse("7.1.0")).parse(v1),
                InboundResult.Reason.INCOMPATIBLE);
        assertTrue(r.message().contains("incompatible with 'kho-v3'"), r.message());
        refused(KhoTreeParser.create().parse(TreeCodec.encode(root("acme-v1", 1).build())),
                InboundResult.Reason.INCOMPATIBLE);
    }

    @Test
    void theExpectedStringAnywhereInTheListIsAccepted() {
        // fdt_node_check_compatible uses fdt_stringlist_contains.
        KhoNode r = KhoNode.builder("").property(Property.strings("compatible", "acme-v9", "kho-v4"))
                .property(Property.u64(AbiGeneration.MEMORY_MAP_PROPERTY, 0x1000, LE)).build();
        accepted(KhoTreeParser.create().expecting(AbiGeneration.KHO_V4_BLOCKS).parse(TreeCodec.encode(r)));
    }

    @Test
    void memoryMapMustBeEightBytes() {
        KhoNode noMap = KhoNode.builder("").property(Property.strings("compatible", "kho-v3")).build();
        refused(KhoTreeParser.create().parse(TreeCodec.encode(noMap)), InboundResult.Reason.MEMORY_MAP_MISSING);
        KhoNode shortMap = KhoNode.builder("").property(Property.strings("compatible", "kho-v3"))
                .property(Property.u32(AbiGeneration.MEMORY_MAP_PROPERTY, 0x1000, LE)).build();
        refused(KhoTreeParser.create().parse(TreeCodec.encode(shortMap)), InboundResult.Reason.MEMORY_MAP_MISSING);
    }

    @Test
    void aZeroMemoryMapIsRefusedFrom619() throws Exception {
        byte[] zero = TreeCodec.encode(root("kho-v1", 0).build());
        refused(KhoTreeParser.create().forSuccessor(KernelRelease.parse("6.19.1")).parse(zero),
                InboundResult.Reason.MEMORY_MAP_ZERO);
        accepted(KhoTreeParser.create().forSuccessor(KernelRelease.parse("6.18.2")).parse(zero));
        refused(KhoTreeParser.create().parse(TreeCodec.encode(root("kho-v3", 0).build())),
                InboundResult.Reason.MEMORY_MAP_ZERO);
    }

    @Test
    void aRootLargerThanAPageIsRefused() {
        KhoNode.Builder b = root("kho-v4", 0x1000);
        b.property(Property.of("padding", new byte[5000]));
        refused(KhoTreeParser.create().parse(TreeCodec.encode(b.build())), InboundResult.Reason.ROOT_TOO_LARGE);
        accepted(KhoTreeParser.create().withPageSize(16384).parse(TreeCodec.encode(b.build())));
    }

    @Test
    void aFourBytePointerMakesOnlyThatSubtreeUnreachable() throws Exception {
        byte[] blob = TreeCodec.encode(root("kho-v1", 0x1000)
                .child(child("broken", Property.u32("fdt", 0x2000, LE)))
                .child(child("nofdt", Property.u64("other", 0x2000, LE)))
                .child(child("good", Property.u64("fdt", 0x3000, LE))).build());
        InboundResult.Accepted ok = accepted(KhoTreeParser.create().expecting(AbiGeneration.KHO_V1_BITMAP_PAGE)
                .parse(blob));
        assertEquals(List.of(new SubtreeRef("good", 0x3000, OptionalLong.empty())), ok.tree().subtrees());
        assertEquals(2, ok.issues().size());
        assertTrue(ok.issues().get(0).problem().contains("\"fdt\" is 4 bytes, not 8"), ok.issues().toString());
        assertTrue(ok.issues().get(1).problem().contains("no \"fdt\" property"), ok.issues().toString());
    }

    @Test
    void blobSizeIsRequiredFromKhoV3() {
        byte[] blob = TreeCodec.encode(root("kho-v3", 0x1000)
                .child(child("nosize", Property.u64("preserved-data", 0x2000, LE)))
                .child(child("shortsize", Property.u64("preserved-data", 0x2000, LE), Property.u32("blob-size", 8, LE)))
                .build());
        InboundResult.Accepted ok = accepted(KhoTreeParser.create().parse(blob));
        assertEquals(List.of(), ok.tree().subtrees());
        assertEquals(2, ok.issues().size(), ok.issues().toString());
    }

    @Test
    void aShadowedDuplicateCannotBeRetrieved() {
        byte[] blob = TreeCodec.encode(root("kho-v2", 0x1000)
                .child(child("vm@1", Property.u64("preserved-data", 0x2000, LE)))
                .child(child("vm", Property.u64("preserved-data", 0x3000, LE))).build());
        InboundResult.Accepted ok = accepted(KhoTreeParser.create().parse(blob));
        assertEquals(List.of("vm@1"), ok.tree().subtrees().stream().map(SubtreeRef::name).toList());
        assertTrue(ok.issues().get(0).problem().contains("finds the earlier child \"vm@1\""));
    }

    @Test
    void pointersOutsideRamAndHostileBlobsBecomeIssues() throws Exception {
        PhysicalMemory ram = PhysicalMemory.ofHeap(RAM, 1 << 16);
        ram.write(RAM + 0x1000, "not an fdt at all".getBytes());
        byte[] hugeFdtHeader = new byte[40];
        java.nio.ByteBuffer.wrap(hugeFdtHeader).putInt(0xd00dfeed).putInt(0x7fff_fff0);
        ram.write(RAM + 0x2000, hugeFdtHeader);
        byte[] blob = TreeCodec.encode(root("kho-v1", RAM)
                .child(child("outside", Property.u64("fdt", 0x10, LE)))
                .child(child("negative", Property.u64("fdt", -8, LE)))
                .child(child("notfdt", Property.u64("fdt", RAM + 0x1000, LE)))
                .child(child("huge", Property.u64("fdt", RAM + 0x2000, LE)))
                .child(child("edge", Property.u64("fdt", RAM + 0xfff0, LE))).build());
        InboundResult.Accepted ok = accepted(KhoTreeParser.create().expecting(AbiGeneration.KHO_V1_BITMAP512)
                .withMemory(ram).withMaxBlobSize(1 << 20).parse(blob));
        assertEquals(Map.of(), ok.blobs());
        List<String> problems = ok.issues().stream().map(SubtreeIssue::problem).toList();
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("outside RAM"), problems.get(0));
        assertTrue(problems.get(1).contains("outside RAM"), problems.get(1));
        assertTrue(problems.get(2).contains("not an FDT (magic 0x6e6f7420"), problems.get(2));
        assertTrue(problems.get(3).contains("exceeds the limit"), problems.get(3));
        assertTrue(problems.get(4).contains("outside RAM"), problems.get(4));
        assertTrue(ok.issues().get(3).physical());
        assertEquals(RAM + 0x2000, ok.issues().get(3).location());
    }

    @Test
    void blobSizeBeyondRamIsAnIssueAndRawBlobsAreReadFromKhoV3() throws Exception {
        PhysicalMemory ram = PhysicalMemory.ofHeap(RAM, 1 << 16);
        ram.write(RAM + 0x3000, new byte[] {1, 2, 3, 4, 5});
        byte[] blob = TreeCodec.encode(root("kho-v3", RAM)
                .child(child("beyond", Property.u64("preserved-data", RAM + 0x8000, LE),
                        Property.u64("blob-size", 1 << 16, LE)))
                .child(child("wrapping", Property.u64("preserved-data", Long.MAX_VALUE - 2, LE),
                        Property.u64("blob-size", 16, LE)))
                .child(child("hugesize", Property.u64("preserved-data", RAM, LE),
                        Property.u64("blob-size", -1L, LE)))
                .child(child("raw", Property.u64("preserved-data", RAM + 0x3000, LE),
                        Property.u64("blob-size", 5, LE))).build());
        InboundResult.Accepted ok = accepted(KhoTreeParser.create().withMemory(ram).parse(blob));
        assertEquals(List.of("raw"), List.copyOf(ok.blobs().keySet()));
        InboundSubtree raw = ok.blobs().get("raw");
        assertEquals(5, raw.size());
        assertEquals(AbiGeneration.KHO_V3_BLOB_SIZE, raw.generation().orElseThrow());
        assertEquals(3, ok.issues().size(), ok.issues().toString());
        assertTrue(ok.issues().get(0).problem().contains("larger than any memory"), ok.issues().toString());
        assertTrue(ok.issues().get(1).problem().contains("runs outside RAM"), ok.issues().toString());
        assertTrue(ok.issues().get(2).problem().contains("runs outside RAM"), ok.issues().toString());
    }

    @Test
    void ambiguousGenerationIsRefusedOnlyWhenItMatters() {
        InboundResult.Accepted ok = accepted(KhoTreeParser.create().parse(TreeCodec.encode(root("kho-v1", 1).build())));
        GenerationException e = assertThrows(GenerationException.class, ok::generation);
        assertEquals(GenerationException.Kind.AMBIGUOUS_TREE, e.kind());
    }

    static Stream<Arguments> roundTrips() {
        List<Arguments> out = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(42);
        for (AbiGeneration g : AbiGeneration.values()) {
            for (RootLayout l : g.rootLayouts()) {
                for (int i = 0; i < 4; i++) {
                    out.add(Arguments.of(g, l, seeds.nextLong()));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} seed={2}")
    @MethodSource("roundTrips")
    void whatTheAssemblerWritesTheParserReadsBack(AbiGeneration g, RootLayout l, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        PhysicalMemory ram = PhysicalMemory.ofHeap(RAM, 1 << 20);
        TreeAssembler a = TreeAssembler.create(g, l);
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            String name = "sub" + i;
            byte[] fdt = TreeCodec.encode(KhoNode.builder("").property(Property.strings("compatible", name + "-v1"))
                    .property(Property.of("data", r.ints(r.nextInt(64)).collect(java.io.ByteArrayOutputStream::new,
                            (o, v) -> o.write(v), (x, y) -> { }).toByteArray())).build());
            long at = RAM + 0x1000L * (i + 1) * 4;
            ram.write(at, fdt);
            a.addSubtree(name, at, fdt.length);
            blobs.put(name, fdt);
        }
        long map = RAM + (r.nextLong(1, 256) << 12);
        InboundResult.Accepted ok = accepted(KhoTreeParser.create().expecting(g).withMemory(ram).parse(a.build(map)));
        assertEquals(a.tree(map), ok.tree());
        assertEquals(List.of(), ok.issues());
        assertEquals(blobs.keySet(), ok.blobs().keySet());
        for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
            assertEquals(List.of(e.getKey() + "-v1"), ok.blobs().get(e.getKey()).rootCompatibles());
        }
    }
}
