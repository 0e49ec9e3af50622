package io.kho4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Test inputs: the checked-in dtc-compiled blob, and directory listings. */
final class TestFiles {
    /** small.dts compiled by Debian's dtc 1.6.1 (see the comment in small.dts). */
    static final String SMALL = "small";

    /** small.dtb in the canonical format, written by hand from small.dts (DESIGN.md §4). */
    static final List<String> SMALL_CANONICAL = List.of(
            "fdt version=17 last_comp_version=16 boot_cpuid_phys=0",
            "rsv 0x0000000080000000 0x0000000000100000",
            "node /",
            "prop / compatible 6b686f2d763100",
            "prop / preserved-memory-map 0040be1601000000",
            "prop / empty",
            "prop / list 61006209630000",
            "prop / bytes 010203",
            "node /memblock",
            "prop /memblock fdt 0000151701000000",
            "node /memblock/deeper@1",
            "prop /memblock/deeper@1 x 00000001",
            "node /other");

    private TestFiles() {
    }

    /** @return the repository root: the directory above this module holding the {@code kho} launcher */
    static Path repoRoot() {
        Path module = Path.of("").toAbsolutePath();
        Path root = module.getParent();
        if (root == null || !Files.isRegularFile(root.resolve("kho")) || !Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new IllegalStateException("tests must run in the kho-cli module directory, not " + module);
        }
        return root;
    }

    static byte[] resource(String name) {
        try (InputStream in = TestFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    static Path smallDtb(Path dir) throws IOException {
        return write(dir, SMALL + ".dtb", resource(SMALL + ".dtb"));
    }

    static Path truncated(Path dir, int length) throws IOException {
        return write(dir, "trunc" + length + ".dtb", Arrays.copyOf(resource(SMALL + ".dtb"), length));
    }

    /** @return the names in a directory, sorted */
    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
