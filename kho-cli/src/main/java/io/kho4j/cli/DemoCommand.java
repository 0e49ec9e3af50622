package io.kho4j.cli;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.host.KhoUnavailableException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kho demo}, FDT part only: builds a 6.16-style KHO root tree and its memblock sub-tree, checks them
 * and reads them back as the successor kernel would. The simulated-host handover replaces this class later
 * (DESIGN.md §5).
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Build sample KHO trees, check them and show them (FDT part only for now).",
            "Builds a KHO root tree (kho-v1) and a memblock sub-tree with two reserve_mem regions as a"
                    + " 6.16 kernel does, checks them (kho4j's validator, and libfdt's fdt_check_full if"
                    + " installed), reads them back and writes them with their canonical dumps to DIR."
                    + " The full handover on a simulated host is not implemented yet.",
        })
public final class DemoCommand implements Callable<Integer> {
    static final String NOT_YET = "NOT IMPLEMENTED YET: the full handover on a simulated host (placing blobs in a\n"
            + "memory image, kexec, restore, verify). This demo ran the FDT part only.";

    /** Native u64 properties: little-endian on x86-64 and arm64 (kho-abi.md §1). */
    private static final ByteOrder NATIVE = ByteOrder.LITTLE_ENDIAN;
    /** Example addresses of Documentation/core-api/kho/fdt.rst (6.16), decoded in kho-abi.md §1. */
    static final long PRESERVED_MEMORY_MAP = 0x1_16be_4000L;
    static final long MEMBLOCK_FDT = 0x1_1715_0000L;
    static final long N1_START = 0x4_6bc0_0000L;
    static final long N2_START = 0x4_67c0_0000L;
    static final long REGION_SIZE = 0x0400_0000L;

    @Mixin
    private CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the files (default: ${DEFAULT-VALUE}).")
    private Path outDir = Path.of("kho-demo-out");

    @Override
    public Integer call() throws Exception {
        byte[] root = rootTree();
        byte[] memblock = memblockTree();
        FdtValidator validator = FdtValidator.standard();
        String libfdt;
        try {
            validator = validator.withLibfdt();
            libfdt = "libfdt fdt_check_full OK";
        } catch (KhoUnavailableException e) {
            libfdt = "libfdt not installed, its check skipped (apt-get install libfdt1)";
        }
        ValidatedFdt rootFdt = validator.validate(root);
        ValidatedFdt memblockFdt = validator.validate(memblock);
        List<String> readBack = readBack(rootFdt, memblockFdt);

        Files.createDirectories(outDir);
        String rootDump = canonical(rootFdt);
        String memblockDump = canonical(memblockFdt);
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(outDir.resolve("kho-root.dtb"), root);
        files.put(outDir.resolve("kho-root.txt"), rootDump.getBytes(StandardCharsets.ISO_8859_1));
        files.put(outDir.resolve("memblock.dtb"), memblock);
        files.put(outDir.resolve("memblock.txt"), memblockDump.getBytes(StandardCharsets.ISO_8859_1));
        for (Map.Entry<Path, byte[]> f : files.entrySet()) {
            io.kho4j.host.AtomicFiles.write(f.getKey(), f.getValue());
        }

        if (common.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("handover", "not implemented yet; FDT part only");
            result.put("libfdt", libfdt);
            result.put("read_back", readBack);
            List<Object> written = new ArrayList<>();
            files.keySet().forEach(p -> written.add(p.toString()));
            result.put("files", written);
            common.printJson(result);
            return ExitCodes.OK;
        }
        PrintWriter out = common.out();
        out.print("kho demo: FDT part only (the simulated-host handover is not implemented yet).\n\n");
        out.print("Built the KHO root tree (kho-v1) and the memblock sub-tree as a 6.16 kernel does,\n"
                + "with the example addresses of Linux 6.16's Documentation/core-api/kho/fdt.rst.\n");
        out.print("Checked both: kho4j FdtValidator OK; " + libfdt + ".\n");
        out.print("Read back as the successor kernel would:\n");
        readBack.forEach(line -> out.print("  " + line + "\n"));
        out.print("Wrote:\n");
        files.keySet().forEach(p -> out.print("  " + p + "\n"));
        out.print("\n== kho-root.dtb, canonical dump\n" + rootDump);
        out.print("\n== memblock.dtb, canonical dump\n" + memblockDump);
        out.print("\n" + NOT_YET + "\n");
        return ExitCodes.OK;
    }

    /** The root FDT in the order of 6.16's kho_finalize (kho-abi.md §1): placeholder before subnodes. */
    static byte[] rootTree() {
        FdtWriter w = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        w.beginNode("").propertyStrings("compatible", "kho-v1");
        FdtWriter.Placeholder map = w.placeholder("preserved-memory-map", 8);
        w.beginNode("memblock").propertyU64("fdt", MEMBLOCK_FDT, NATIVE).endNode();
        map.fillU64(PRESERVED_MEMORY_MAP, NATIVE);
        return w.endNode().finish();
    }

    /** The memblock sub-FDT with two reserve_mem regions (kho-abi.md §1 example, §reserve_mem). */
    static byte[] memblockTree() {
        FdtWriter w = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        w.beginNode("").propertyStrings("compatible", "memblock-v1");
        region(w, "n1", N1_START);
        region(w, "n2", N2_START);
        return w.endNode().finish();
    }

    private static void region(FdtWriter w, String name, long start) {
        w.beginNode(name).propertyStrings("compatible", "reserve-mem-v1")
                .propertyU64("start", start, NATIVE).propertyU64("size", REGION_SIZE, NATIVE).endNode();
    }

    /** Reads the trees with exact-size native reads, as kho_retrieve_subtree and reserve_mem_kho_revive do. */
    private static List<String> readBack(ValidatedFdt root, ValidatedFdt memblock) throws FdtFormatException {
        List<String> lines = new ArrayList<>();
        FdtNode r = root.root();
        lines.add(String.format("root: compatible %s, preserved-memory-map 0x%x, memblock sub-tree at 0x%x",
                r.requireProperty("compatible").string(), r.requireProperty("preserved-memory-map").u64(NATIVE),
                root.find("/memblock").orElseThrow().requireProperty("fdt").u64(NATIVE)));
        lines.add("memblock: compatible " + memblock.root().requireProperty("compatible").string());
        for (FdtNode n : memblock.root().children()) {
            lines.add(String.format("  reserve_mem %s (%s): 0x%x, %d MiB", n.name(),
                    n.requireProperty("compatible").string(), n.requireProperty("start").u64(NATIVE),
                    n.requireProperty("size").u64(NATIVE) >> 20));
        }
        return lines;
    }

    private static String canonical(ValidatedFdt fdt) {
        return io.kho4j.fdt.DumpFormat.CANONICAL.toString(fdt);
    }
}
