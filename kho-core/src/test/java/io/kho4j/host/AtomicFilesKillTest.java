package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, no torn state: a child JVM rewrites a file through {@link AtomicFiles} as fast as it can, with
 * versions of different sizes, and is killed ({@code destroyForcibly}, SIGKILL) at a random moment; the file
 * must then hold one complete version. Each version carries its length and CRC32C, so a torn or short file is
 * seen as such.
 */
class AtomicFilesKillTest {
    private static final String MAGIC = "kho4j-atomic-test";
    private static final int KILLS = 12;

    @TempDir
    Path dir;

    @Test
    void aWriterKilledAtRandomMomentsLeavesACompleteVersion() throws Exception {
        Path target = dir.resolve("state.bin");
        SplittableRandom random = new SplittableRandom(0x6b686f38L);
        long lastVersion = 0;
        List<Long> seen = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), Writer.class.getName(), target.toString(),
                    Long.toString(lastVersion + 1))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                assertEquals("ready", out.readLine(), "the writer did not start");
                Thread.sleep(random.nextInt(200));
                child.destroyForcibly();
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the killed writer did not exit");
            }
            long version = completeVersion(Files.readAllBytes(target));
            // this child's first write swept what earlier kills left; only its own temporary file may remain
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> leftovers = files.filter(p -> !p.equals(target)).toList();
                assertTrue(leftovers.size() <= 1, "kill " + kill + ": leftovers pile up: " + leftovers);
            }
            assertTrue(version > lastVersion, "kill " + kill + ": version " + version + " after " + lastVersion);
            seen.add(version);
            lastVersion = version;
        }
        System.out.println("[atomic] " + KILLS + " kills, versions seen after each: " + seen);
    }

    /** @return the version a file holds, after failing the test unless it is complete */
    private static long completeVersion(byte[] file) {
        int nl = indexOf(file, (byte) '\n');
        if (nl < 0) {
            fail("torn file: no header line in " + file.length + " bytes");
        }
        String[] header = new String(file, 0, nl, StandardCharsets.US_ASCII).split(" ");
        if (header.length != 4 || !header[0].equals(MAGIC)) {
            fail("torn file: header \"" + new String(file, 0, nl, StandardCharsets.US_ASCII) + "\"");
        }
        long length = Long.parseLong(header[2]);
        assertEquals(length, file.length - nl - 1L, "torn file: body length");
        CRC32C crc = new CRC32C();
        crc.update(file, nl + 1, file.length - nl - 1);
        assertEquals(Long.parseLong(header[3]), crc.getValue(), "torn file: body checksum");
        return Long.parseLong(header[1]);
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < Math.min(b.length, 200); i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The child: writes versions {@code first, first + 1, ...} of 64 KiB to 4 MiB until it is killed. */
    static final class Writer {
        private Writer() {
        }

        public static void main(String[] args) throws IOException {
            Path target = Path.of(args[0]);
            long version = Long.parseLong(args[1]);
            AtomicFiles.write(target, content(version++));
            System.out.println("ready");
            System.out.flush();
            while (true) {
                AtomicFiles.write(target, content(version++));
            }
        }

        static byte[] content(long version) {
            SplittableRandom r = new SplittableRandom(version);
            byte[] body = new byte[(64 << 10) + r.nextInt(4 << 20)];
            r.nextBytes(body);
            CRC32C crc = new CRC32C();
            crc.update(body);
            byte[] header = (MAGIC + " " + version + " " + body.length + " " + crc.getValue() + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.allocate(header.length + body.length).put(header).put(body).array();
        }
    }
}
