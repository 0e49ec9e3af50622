package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("state.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        AtomicFiles.write(f, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldContent() throws Exception {
        Path f = dir.resolve("state.bin");
        AtomicFiles.write(f, new byte[] {7});
        Files.createDirectory(dir.resolve("blocker"));
        // the target is a non-empty directory: the rename fails, nothing is lost
        Files.writeString(dir.resolve("blocker").resolve("x"), "x");
        assertThrows(java.io.IOException.class, () -> AtomicFiles.write(dir.resolve("blocker"), new byte[] {9}));
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
    }
}
