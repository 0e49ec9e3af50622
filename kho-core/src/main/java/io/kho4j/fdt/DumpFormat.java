package io.kho4j.fdt;

import java.io.IOException;

/** The text forms of a blob that {@code kho fdt dump --format=...} prints. */
public enum DumpFormat {
    /** {@link CanonicalDump}: the stable, diffable form of DESIGN.md §4. */
    CANONICAL(CanonicalDump::write),
    /** {@link DtsFormatter}: what {@code dtc -I dtb -O dts} prints. */
    DTS(DtsFormatter::write),
    /** {@link JsonDump}: the canonical content as JSON. */
    JSON(JsonDump::write);

    /**
     * Longest text the {@code toString} forms build by default: 64 Mi characters (64 MiB as a Latin-1 string).
     * Far above any KHO tree's dump, far below what a quadratic hostile dump would need.
     */
    public static final int DEFAULT_MAX_CHARS = 64 << 20;

    private final DumpText.Format format;

    DumpFormat(DumpText.Format format) {
        this.format = format;
    }

    /**
     * Writes the blob in this format.
     *
     * @param fdt a validated blob
     * @param out where the text goes
     * @throws IOException if {@code out} fails
     */
    public void write(ValidatedFdt fdt, Appendable out) throws IOException {
        format.write(fdt, out);
    }

    /**
     * @param fdt a validated blob
     * @return the whole text in this format
     * @throws DumpTooLargeException if it would be longer than {@link #DEFAULT_MAX_CHARS}
     */
    public String toString(ValidatedFdt fdt) throws DumpTooLargeException {
        return toString(fdt, DEFAULT_MAX_CHARS);
    }

    /**
     * @param fdt a validated blob
     * @param maxChars longest text to build
     * @return the whole text in this format
     * @throws DumpTooLargeException if it would be longer than {@code maxChars}; at most that much was held
     */
    public String toString(ValidatedFdt fdt, int maxChars) throws DumpTooLargeException {
        return DumpText.render(this, fdt, maxChars);
    }
}
