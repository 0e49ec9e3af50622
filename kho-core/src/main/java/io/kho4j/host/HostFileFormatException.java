package io.kho4j.host;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A kernel-provided file (debugfs {@code kho/}, {@code /proc/cmdline}, a kernel config) does not have the
 * shape the kernel writes: a line that is not {@code 0x%llx}, two scratch files with different line counts,
 * a blob larger than any kernel produces. The message names the file, the line (1-based, 0 for the whole
 * file) and what was wrong.
 */
public final class HostFileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    /** @param file the file @param line 1-based line, or 0 for the whole file @param message what was wrong */
    public HostFileFormatException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return the 1-based line, or 0 if the problem concerns the whole file */
    public int line() {
        return line;
    }
}
