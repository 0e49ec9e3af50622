package io.kho4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader sees the old content or the whole new content, never a partial file, even
 * across a crash: a temporary file in the target's directory, fsync, rename over the target, fsync the
 * directory (so the rename itself is durable).
 */
final class AtomicFiles {
    /** Temporary files are hidden and end in this, so a leftover from a killed process is easy to spot. */
    static final String TEMP_SUFFIX = ".kho-tmp";

    private AtomicFiles() {
    }

    /**
     * @param target the file to create or replace; its directory must exist
     * @param data the complete new content
     * @throws IOException if any step fails; the temporary file is then removed and the target untouched
     */
    static void write(Path target, byte[] data) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path temp = dir.resolve("." + abs.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            // CREATE_NEW: never follow or reuse a file someone else put there
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
