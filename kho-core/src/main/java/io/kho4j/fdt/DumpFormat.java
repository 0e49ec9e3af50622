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

    /** @param fdt a validated blob @return the whole text in this format */
    public String toString(ValidatedFdt fdt) {
        return DumpText.render(format, fdt);
    }
}
