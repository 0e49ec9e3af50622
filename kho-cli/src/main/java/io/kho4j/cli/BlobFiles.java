package io.kho4j.cli;

import io.kho4j.fdt.DecodeLimits;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads blob files for commands. Files need not be regular: {@code /sys/firmware/fdt} and the debugfs
 * {@code kho/} files report sizes that are not their content's, so we read to the end, up to a bound.
 */
final class BlobFiles {
    /**
     * Largest blob the CLI reads. A KHO root FDT is one page and sub-FDTs are small; the bound keeps a
     * wrong file (a disk image, say) from exhausting the heap.
     */
    static final int MAX_BLOB_BYTES = 64 << 20;

    /** What the CLI accepts: {@link DecodeLimits#defaults()} capped at {@link #MAX_BLOB_BYTES}. */
    static final FdtValidator VALIDATOR =
            FdtValidator.standard().withLimits(DecodeLimits.defaults().withMaxTotalSize(MAX_BLOB_BYTES));

    private BlobFiles() {
    }

    /**
     * @param file the file
     * @return its first {@link #MAX_BLOB_BYTES} bytes (bytes after a blob's totalsize are ignored by the
     *     validator, so a longer file holding a blob still reads correctly)
     * @throws IOException if it cannot be read
     */
    static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_BLOB_BYTES);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // read errors ("Is a directory", EIO) do not name the file
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file the file
     * @param validator the checks to apply
     * @return the validated blob
     * @throws InvalidInputException naming the file, kind and offset if the blob is malformed
     * @throws IOException if the file cannot be read
     */
    static ValidatedFdt readValidated(Path file, FdtValidator validator) throws IOException, InvalidInputException {
        byte[] bytes = read(file);
        try {
            return validator.validate(bytes);
        } catch (FdtFormatException e) {
            throw new InvalidInputException(file + ": INVALID " + e.getMessage(), e);
        }
    }
}
