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

    @Test
    void aContentThatFailsHalfwayLeavesTheOldFileAndNoTemporary() throws Exception {
        Path f = dir.resolve("image.bin");
        AtomicFiles.write(f, new byte[] {7, 7, 7});
        java.io.IOException thrown = assertThrows(java.io.IOException.class, () -> AtomicFiles.replace(f, file -> {
            file.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2}));
            throw new java.io.IOException("disk full, say");
        }));
        assertEquals("disk full, say", thrown.getMessage());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.replace(f, file -> {
            file.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 1 << 20);
            throw new IllegalStateException("a bug in the writer");
        }));
        assertArrayEquals(new byte[] {7, 7, 7}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
        AtomicFiles.replace(f, file -> file.write(java.nio.ByteBuffer.wrap(new byte[] {9}), 4));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 9}, Files.readAllBytes(f));
    }
}
