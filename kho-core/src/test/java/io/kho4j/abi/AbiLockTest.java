package io.kho4j.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.spi.CounterSubsystem;
import io.kho4j.spi.SubtreeWriter;
import io.kho4j.spi.Subtrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbiLockTest {
    private static final CounterSubsystem V1_V2 = new CounterSubsystem(CounterSubsystem.V1, CounterSubsystem.V2);

    @TempDir
    Path dir;

    @Test
    void theTextFormatRoundTripsAndIsReadable() throws Exception {
        AbiLock lock = AbiLock.of(List.of(Subtrees.describe(new CounterSubsystem(CounterSubsystem.V1,
                CounterSubsystem.V2, CounterSubsystem.V3))));
        String text = lock.toText();
        assertTrue(text.contains("compatible: \"kho4j,counter-v2\""), text);
        assertTrue(text.contains("name: \"flags\"") && text.contains("type: \"U32\"") && text.contains("order: \"NATIVE\""),
                text);
        assertTrue(text.contains("generation: \"kho-v3-blob-size\"") && text.contains("raw_size: 16"), text);
        assertEquals(lock, AbiLock.parse(text));
        Path file = dir.resolve(AbiLock.FILE_NAME);
        lock.write(file);
        assertEquals(lock, AbiLock.read(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void anUnchangedSerializerPasses() {
        AbiLock lock = AbiLock.of(List.of(Subtrees.describe(V1_V2)));
        AbiLockReport report = lock.check(List.of(Subtrees.describe(V1_V2)));
        assertTrue(report.passed(), report.toString());
        assertEquals(List.of(), report.findings());
    }

    @Test
    void anAddedVersionPassesAndIsRecorded() throws Exception {
        AbiLock lock = AbiLock.of(List.of(Subtrees.describe(new CounterSubsystem(CounterSubsystem.V1))));
        List<SubsystemShape> now = List.of(Subtrees.describe(V1_V2));
        AbiLockReport report = lock.check(now);
        assertTrue(report.passed(), report.toString());
        assertEquals(1, report.findings(AbiLockReport.Severity.ADDED).size(), report.toString());
        AbiLock merged = lock.merge(now);
        assertEquals(2, merged.subsystem("counter").orElseThrow().versions().size());
        assertTrue(merged.check(now).findings().isEmpty());
    }

    @Test
    void aLayoutChangeWithoutABumpFailsAndSaysWhichVersionToBumpTo() {
        AbiLock lock = AbiLock.of(List.of(Subtrees.describe(V1_V2)));
        // Same compatible strings, but v2 now writes "flags" as a u64.
        CounterSubsystem changed = new CounterSubsystem(CounterSubsystem.V1, CounterSubsystem.V2) {
            @Override
            public void write(CounterSubsystem.State s, SubtreeWriter out) {
                out.compatible().u64("count", s.count());
                if (out.version().equals(V2)) {
                    out.u64("flags", s.flags());
                }
                out.beginNode("details").strings("label", s.label()).endNode();
            }
        };
        AbiLockReport report = lock.check(List.of(Subtrees.describe(changed)));
        assertFalse(report.passed());
        AbiLockReport.Finding f = report.findings(AbiLockReport.Severity.FAILURE).get(0);
        assertEquals("kho4j,counter-v2", f.version());
        assertTrue(f.message().contains("Bump the compatible to \"kho4j,counter-v3\""), f.message());
        assertTrue(f.message().contains("-   prop flags u32 native len=4"), f.message());
        assertTrue(f.message().contains("+   prop flags u64 native len=8"), f.message());
        assertThrows(AbiLockException.class, () -> lock.merge(List.of(Subtrees.describe(changed))));
    }

    @Test
    void removalsAreWarnings() {
        AbiLock lock = AbiLock.of(List.of(Subtrees.describe(V1_V2)));
        AbiLockReport report = lock.check(List.of(Subtrees.describe(new CounterSubsystem(CounterSubsystem.V2))));
        assertTrue(report.passed());
        assertEquals(1, report.findings(AbiLockReport.Severity.WARNING).size(), report.toString());
        assertEquals(1, lock.check(List.of()).findings(AbiLockReport.Severity.WARNING).size());
    }

    @Test
    void hostileLockFilesAreRefusedWithTheirLocation() {
        assertThrows(AbiLockException.class, () -> AbiLock.parse("format: 2"));
        assertThrows(AbiLockException.class, () -> AbiLock.parse("garbage {{{"));
        assertThrows(AbiLockException.class, () -> AbiLock.parse("format: 1 subsystem { name: \"a\" version {"
                + " compatible: \"Not-v1\" } }"));
        assertThrows(AbiLockException.class, () -> AbiLock.parse("format: 1 subsystem { name: \"a\" version {"
                + " compatible: \"a-v1\" encoding { generation: \"kho-v9\" } } }"));
        assertThrows(AbiLockException.class, () -> AbiLock.parse("format: 1 subsystem { name: \"a\" version {"
                + " compatible: \"a-v1\" encoding { node { path: \"/\" property { name: \"x\" type: \"U32\""
                + " order: \"NATIVE\" length: 4294967295 } } } } }"));
        assertThrows(AbiLockException.class, () -> AbiLock.parse("format: 1 subsystem { name: \"a\" }"
                + " subsystem { name: \"a\" }"));
        AbiLockException e = assertThrows(AbiLockException.class, () -> AbiLock.parse("format: 1 subsystem {"
                + " name: \"a\" version { compatible: \"a-v1\" struct_set { struct { name: \"s\" size: 4"
                + " field { name: \"f\" offset: 2 size: 4 type: \"u32\" } } } } }"));
        assertTrue(e.getMessage().contains("past sizeof"), e.getMessage());
    }
}
