package io.kho4j.preserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Architecture rules read from the compiled classes: a lower package (io.kho4j.preserve, io.kho4j.spi, io.kho4j.abi)
 * must not depend on one built on top of it. Every class name, descriptor and signature
 * a class file mentions is in its constant pool as a CONSTANT_Utf8 entry, so scanning those finds every reference
 * the compiler kept: imports, fully qualified names, field and method types, generic signatures.
 */
class PackageDependencyTest {
    private static final String PRESERVE = "io/kho4j/preserve/";
    private static final String SPI = "io/kho4j/spi/";

    @ParameterizedTest(name = "{0} does not use {1}")
    @CsvSource({
        // the upstream memory structures sit below the plug-in API built on them
        "io/kho4j/preserve/, io/kho4j/spi/",
        // the plug-in API and the ABI facts sit below the handover path that uses them
        "io/kho4j/spi/, io/kho4j/handover/",
        "io/kho4j/abi/, io/kho4j/handover/",
    })
    void lowerPackagesDoNotDependOnHigherOnes(String lower, String higher) throws Exception {
        List<String> offenders = new ArrayList<>();
        withClassesOf(PhysRange.class, root -> {
            List<Path> classes;
            try (Stream<Path> s = Files.walk(root.resolve(lower))) {
                classes = s.filter(p -> p.toString().endsWith(".class")).toList();
            }
            assertTrue(classes.size() > 5, "found only " + classes + " under " + root);
            for (Path c : classes) {
                for (String u : utf8Constants(c)) {
                    if (u.contains(higher)) {
                        offenders.add(root.relativize(c) + " -> " + u);
                    }
                }
            }
        });
        assertEquals(List.of(), offenders, lower + " must not use " + higher);
    }

    /** The check itself: a class file that mentions spi is caught (this test class implements nothing of spi). */
    @Test
    void theScanSeesReferencesItShouldCatch() throws Exception {
        withClassesOf(io.kho4j.spi.KhoVmalloc.class, root -> {
            TreeSet<String> seen = new TreeSet<>();
            for (String u : utf8Constants(root.resolve(SPI + "KhoVmalloc.class"))) {
                if (u.contains("io/kho4j/")) {
                    seen.add(u);
                }
            }
            assertTrue(seen.stream().anyMatch(u -> u.contains(SPI + "PreservedAllocator")), seen.toString());
            assertTrue(seen.stream().anyMatch(u -> u.contains(PRESERVE + "PreservedStructureException")),
                    seen.toString());
        });
    }

    private interface RootAction {
        void run(Path root) throws IOException;
    }

    /** Runs {@code action} on the root of the directory or jar that {@code type} was loaded from. */
    private static void withClassesOf(Class<?> type, RootAction action) throws Exception {
        URI location = type.getProtectionDomain().getCodeSource().getLocation().toURI();
        Path path = Path.of(location);
        if (Files.isDirectory(path)) {
            action.run(path);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(path, Map.of())) {
                action.run(jar.getPath("/"));
            }
        }
    }

    /** The CONSTANT_Utf8 entries of a class file (JVMS §4.4). */
    private static List<String> utf8Constants(Path classFile) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> out.add(in.readUTF());
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++;
                    }
                    default -> throw new IOException(classFile + ": unknown constant-pool tag " + tag + " at " + i);
                }
            }
        }
        return out;
    }
}
