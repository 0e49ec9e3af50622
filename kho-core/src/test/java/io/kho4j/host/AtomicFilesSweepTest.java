package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files that killed writers leave are removed by the next write of the same target, and only those. */
class AtomicFilesSweepTest {
    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minusSeconds(3600));

    @TempDir
    Path dir;

    private Path leftover(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, new byte[] {1});
        Files.setLastModifiedTime(p, AN_HOUR_AGO);
        return p;
    }

    @Test
    void leftoversOfTheTargetGoAndNothingElseDoes() throws Exception {
        Path target = dir.resolve("state.bin");
        List<Path> swept = List.of(leftover(".state.bin.123.tmp"), leftover(".state.bin.18446744073709551615.tmp"));
        List<Path> kept = new ArrayList<>(List.of(leftover(".state.bin.12a.tmp"), leftover(".state.bin..tmp"),
                leftover(".state.bin.tmp"), leftover(".other.bin.5.tmp"), leftover("state.bin.5.tmp"),
                leftover(".state.bin.1.tmp.keep"), leftover(".state.bin.1.2.tmp"), leftover(".state.bin.5.tmp.tmp")));
        Path directory = Files.createDirectory(dir.resolve(".state.bin.77.tmp"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere")).resolve("data");
        Files.write(elsewhere, new byte[] {2});
        Path link = Files.createSymbolicLink(dir.resolve(".state.bin.88.tmp"), elsewhere);
        Files.setLastModifiedTime(directory, AN_HOUR_AGO);
        kept.addAll(List.of(directory, link, elsewhere));

        AtomicFiles.write(target, new byte[] {3});

        assertArrayEquals(new byte[] {3}, Files.readAllBytes(target));
        for (Path p : swept) {
            assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " should be swept");
        }
        for (Path p : kept) {
            assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " should be kept");
        }
    }

    @Test
    void aFileNewerThanTheWriteIsKept() throws Exception {
        Path young = dir.resolve(".state.bin.5.tmp");
        Files.write(young, new byte[] {1});
        Files.setLastModifiedTime(young, FileTime.from(Instant.now().plusSeconds(3600)));
        AtomicFiles.write(dir.resolve("state.bin"), new byte[] {3});
        assertTrue(Files.exists(young));
    }

    /** The live writer is another process holding the lock, as AtomicFiles writers do; once it dies, it goes. */
    @Test
    void aFileLockedByALiveProcessIsKeptUntilThatProcessDies() throws Exception {
        Path target = dir.resolve("state.bin");
        Path live = leftover(".state.bin.42.tmp");
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), live.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.US_ASCII))) {
            assertEquals("locked", out.readLine(), "the holder did not lock");
            AtomicFiles.write(target, new byte[] {1});
            assertTrue(Files.exists(live), "a live writer's file was deleted");
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        AtomicFiles.write(target, new byte[] {2});
        assertFalse(Files.exists(live), "the dead holder's file stayed");
    }

    /** Writers in one JVM never sweep each other's files: every write succeeds and none is left over. */
    @Test
    void concurrentWritersOfOneTargetAllSucceed() throws Exception {
        Path target = dir.resolve("state.bin");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                byte value = (byte) t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        AtomicFiles.write(target, new byte[] {value, (byte) i});
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, Files.readAllBytes(target).length);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList());
        }
    }

    /** Child process: locks a file as a running AtomicFiles writer does, then waits to be killed. */
    static final class Holder {
        private Holder() {
        }

        public static void main(String[] args) throws Exception {
            try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            }
        }
    }
}
