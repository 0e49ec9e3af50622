package io.kho4j.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** Bounded reads of kernel-provided files: never more than a caller-given limit is buffered. */
final class HostFiles {
    private HostFiles() {
    }

    /**
     * @param file the file
     * @param max most bytes accepted
     * @return its bytes, or empty if it does not exist
     * @throws HostFileFormatException if it holds more than {@code max} bytes
     * @throws IOException if it exists but cannot be read
     */
    static Optional<byte[]> read(Path file, int max) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(readBounded(in, file, max));
        }
    }

    /** @return the file as text (UTF-8), or empty if it does not exist; limits as {@link #read} */
    static Optional<String> readText(Path file, int max) throws IOException {
        return read(file, max).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** @return the gzip file's decompressed text, at most {@code max} bytes of it, or empty if absent */
    static Optional<String> readGzipText(Path file, int max) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return Optional.of(new String(readBounded(in, file, max), StandardCharsets.UTF_8));
        }
    }

    /** @return the first line of a one-value attribute file with its newline removed, or empty if absent */
    static Optional<String> readAttribute(Path file) throws IOException {
        return readText(file, 4096).map(s -> {
            int nl = s.indexOf('\n');
            return (nl < 0 ? s : s.substring(0, nl)).trim();
        });
    }

    private static byte[] readBounded(InputStream in, Path file, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new HostFileFormatException(file, 0, "larger than " + max + " bytes");
        }
        return bytes;
    }
}
