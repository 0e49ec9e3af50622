package io.kho4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kho4j.abi.AbiGeneration;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.handover.ChosenHandOff;
import io.kho4j.handover.KhoData;
import io.kho4j.handover.RangeDigests;
import io.kho4j.handover.SetupDataChain;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.BumpPageAllocator;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapCodecConfig;
import io.kho4j.preserve.MemoryMapFormat;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.preserve.PreservedBlock;
import io.kho4j.preserve.PreservedMemoryMap;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.HandoverManifest;
import io.kho4j.testsupport.FakeKernelTree;
import io.kho4j.tree.TreeAssembler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the hand-made seed inputs of the fuzz targets ({@code seed-*} files under
 * {@code src/test/resources/io/kho4j/fuzz/<Target>Inputs/<method>/}), each a valid input that reaches deep
 * into its target. Inputs found by fuzzing are kept beside them under their own names. Run from kho-core
 * after changing an encoder or a target's input layout:
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.kho4j.fuzz.FuzzSeeds src/test/resources
 * </pre>
 * The FDT seeds are dtc's blobs of the DTS files in {@code io/kho4j/fdt}, copied by hand.
 */
public final class FuzzSeeds {
    private static final long BASE = MemoryMapFuzzTest.BASE;

    private FuzzSeeds() {
    }

    /** @param args the test resources directory */
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]).resolve("io/kho4j/fuzz");
        for (MemoryMapFormat format : MemoryMapFormat.values()) {
            write(dir, MemoryMapFuzzTest.class, "decode", "seed-" + format.cliName(), memoryMap(format));
        }
        write(dir, HandOffFuzzTest.class, "setupDataChain", "seed-two-nodes", setupData());
        write(dir, HandOffFuzzTest.class, "chosen", "seed-handed-over", chosen());
        write(dir, KhoTreeFuzzTest.class, "parseAndRestore", "seed-kho-v3", khoTree(AbiGeneration.KHO_V3_BLOB_SIZE, 0));
        write(dir, KhoTreeFuzzTest.class, "parseAndRestore", "seed-kho-v1-6.17.9",
                khoTree(AbiGeneration.KHO_V1_BITMAP_PAGE, 1 + AbiGeneration.values().length + 1));
        write(dir, ManifestFuzzTest.class, "parseAndVerify", "seed-crc32c", manifest(DigestAlgorithm.CRC32C, 512));
        write(dir, ManifestFuzzTest.class, "parseAndVerify", "seed-sha256", manifest(DigestAlgorithm.SHA256, 0));
        text(dir, "scratchSizes", "seed-sizes", "16M,512M,256M");
        text(dir, "scratchSizes", "seed-percent", "200%");
        text(dir, "scratchSizes", "seed-hex-octal", "0x1000000,0,010G");
        text(dir, "commandLines", "seed-quoted", "BOOT_IMAGE=/vmlinuz ro \"kho_scratch=16M,512M,256M\" kho=on"
                + " kho-bootmem=\"50%\" -- init=/bin/sh kho=off");
        text(dir, "kernelReleases", "seed-stable", "6.17.9");
        text(dir, "kernelReleases", "seed-rc", "7.4.0-rc1");
        text(dir, "kernelReleases", "seed-vendor", "6.17.0-14-generic");
        ByteArrayOutputStream debugfs = new ByteArrayOutputStream();
        byte[] phys = FakeKernelTree.SCRATCH_PHYS.getBytes(StandardCharsets.US_ASCII);
        debugfs.write(0);
        debugfs.write(phys.length);
        debugfs.write(0);
        debugfs.write(phys);
        debugfs.write(FakeKernelTree.SCRATCH_LEN.getBytes(StandardCharsets.US_ASCII));
        write(dir, DebugfsFuzzTest.class, "scratchFilesAndCommandLine", "seed-three-areas", debugfs.toByteArray());
    }

    private static void text(Path dir, String method, String name, String text) throws Exception {
        write(dir, TextParsersFuzzTest.class, method, name, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void write(Path dir, Class<?> target, String method, String name, byte[] bytes) throws Exception {
        if (Arrays.stream(target.getDeclaredMethods()).noneMatch(m -> m.getName().equals(method)
                && m.isAnnotationPresent(FuzzTest.class))) {
            throw new IllegalArgumentException(target.getSimpleName() + " has no fuzz test " + method);
        }
        Path file = dir.resolve(target.getSimpleName() + "Inputs").resolve(method).resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /** Header as {@link MemoryMapFuzzTest} reads it, then RAM as patches. */
    private static byte[] memoryMap(MemoryMapFormat format) throws Exception {
        PageSize pageSize = format == MemoryMapFormat.RADIX_16K_PREFIX ? PageSize.KIB_16 : PageSize.KIB_4;
        int pages = 16;
        int ram = pages * pageSize.bytes();
        PhysicalMemory memory = PhysicalMemory.ofHeap(BASE, ram);
        long blocks = BASE + 12L * pageSize.bytes();
        PreservedMemoryMap map = PreservedMemoryMap.of(pageSize, List.of(new PreservedBlock(blocks, 1),
                new PreservedBlock(blocks + 2L * pageSize.bytes(), format == MemoryMapFormat.RADIX_16K_PREFIX ? 1 : 0)));
        long root = MemoryMapCodec.of(MemoryMapCodecConfig.of(format, pageSize)).encode(map, memory,
                BumpPageAllocator.over(pageSize, BASE, blocks));
        byte[] patches = FuzzInput.patches(memory.read(BASE, ram));
        return ByteBuffer.allocate(8 + patches.length).order(ByteOrder.LITTLE_ENDIAN).put((byte) format.ordinal())
                .put((byte) (pageSize == PageSize.KIB_4 ? 0 : 1)).put((byte) 0).put((byte) (pages - 1))
                .putInt((int) (root - BASE)).put(patches).array();
    }

    /** An unrelated node (type 1) in front of the KHO node, as a kexec'd x86 kernel sees it. */
    private static byte[] setupData() {
        ByteBuffer ram = ByteBuffer.allocate(0x100 + 48).order(ByteOrder.LITTLE_ENDIAN);
        ram.putLong(BASE + 0x100).putInt(1).putInt(16).putLong(0x1234).putLong(0x5678);
        ram.position(0x100);
        ram.put(SetupDataChain.encodeKhoNode(0, new KhoData(0x1_0000_0000L, 4096, 0x2000_0000L, 48)));
        byte[] patches = FuzzInput.patches(ram.array());
        return ByteBuffer.allocate(4 + patches.length).putInt(0).put(patches).array();
    }

    /** A hand-off to write into a DTB that already carries one. */
    private static byte[] chosen() throws Exception {
        FdtWriter w = FdtWriter.create().beginNode("").propertyU32("#address-cells", 2, ByteOrder.BIG_ENDIAN)
                .propertyU32("#size-cells", 2, ByteOrder.BIG_ENDIAN).beginNode("chosen")
                .propertyStrings("bootargs", "console=ttyAMA0").endNode().endNode();
        byte[] dtb = ChosenHandOff.apply(FdtValidator.standard().validate(w.finish()),
                new KhoData(0x8000_0000L, 4096, 0x9000_0000L, 64), false);
        return ByteBuffer.allocate(32 + dtb.length).order(ByteOrder.LITTLE_ENDIAN).putLong(0xa000_0000L)
                .putLong(4096).putLong(0xb000_0000L).putLong(48).put(dtb).array();
    }

    /**
     * A root with one subtree whose blob (a small FDT) and memory map lie in the RAM that follows it. Mode as
     * {@link KhoTreeFuzzTest} reads it.
     */
    private static byte[] khoTree(AbiGeneration generation, int mode) throws Exception {
        int ram = 64 << 10;
        PhysicalMemory memory = PhysicalMemory.ofHeap(BASE, ram);
        byte[] blob = FdtWriter.create().beginNode("").propertyStrings("compatible", "memblock-v1")
                .beginNode("r1").propertyU64("start", BASE + 0x8000, ByteOrder.LITTLE_ENDIAN).endNode().endNode()
                .finish();
        memory.write(BASE, blob);
        PreservedMemoryMap map = PreservedMemoryMap.of(PageSize.KIB_4, List.of(new PreservedBlock(BASE + 0x8000, 1)));
        long mapRoot = MemoryMapCodec.of(generation.memoryMap(), PageSize.KIB_4).encode(map, memory,
                BumpPageAllocator.over(PageSize.KIB_4, BASE + 0x1000, BASE + 0x8000));
        byte[] root = TreeAssembler.create(generation, generation.rootLayouts().iterator().next()).addSubtree("memblock", BASE, blob.length)
                .build(mapRoot);
        byte[] patches = FuzzInput.patches(memory.read(BASE, ram));
        return ByteBuffer.allocate(4 + root.length + patches.length).order(ByteOrder.LITTLE_ENDIAN).put((byte) mode)
                .put((byte) 0).putShort((short) root.length).put(root).put(patches).array();
    }

    /** Digests of the pattern {@link ManifestFuzzTest} fills its RAM with. */
    private static byte[] manifest(DigestAlgorithm algorithm, long chunk) throws Exception {
        PhysicalMemory memory = PhysicalMemory.ofHeap(BASE, 4096);
        byte[] content = new byte[4096];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        memory.write(BASE, content);
        HandoverManifest.Builder m = HandoverManifest.newBuilder().setFormatVersion(1).setGeneration("KHO_V4_BLOCKS")
                .setFromRelease("7.2.0").setToRelease("7.3.1").setPageSize(4096).setArch("x86_64")
                .setRootFdtPhys(BASE).setMemoryMapRoot(BASE + 0x1000).setDigestAlgorithm(algorithm);
        m.addSubsystemsBuilder().setName("memblock").addCompatible("memblock-v1").setBlobPhys(BASE).setBlobSize(256);
        m.addBlocksBuilder().setPhys(BASE + 0x800).setOrder(0);
        m.addDigests(RangeDigests.digest(memory, "memblock", new PhysRange(BASE, 2048), algorithm,
                chunk == 0 ? 2048 : chunk));
        m.addDigests(RangeDigests.digest(memory, "", new PhysRange(BASE + 2048, 1000), algorithm, 4096));
        return m.build().toByteArray();
    }
}
