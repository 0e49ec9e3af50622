package io.kho4j.fdt;

import io.kho4j.fdt.internal.FdtIndex;
import java.io.IOException;

/**
 * The canonical text form of a blob (DESIGN.md §4), a stable contract that tools diff against:
 * <pre>
 * fdt version=17 last_comp_version=16 boot_cpuid_phys=0
 * rsv 0x0000000080000000 0x0000000000100000
 * node /
 * prop / compatible 6b686f2d763100
 * node /memblock
 * prop /memblock fdt 0040be1601000000
 * </pre>
 * One line per item, {@code \n} endings: the header line; one {@code rsv} line per reservation in blob
 * order; then each node in document order, its properties right after it in blob order. Values are
 * lowercase hex without separators; a zero-length value leaves nothing after the name, not even a space.
 * Names are printed as their bytes where those are 0x21..0x7e other than {@code '\'} (all names dtc
 * accepts), any other byte as {@code \xNN}.
 */
public final class CanonicalDump {
    private CanonicalDump() {
    }

    /**
     * Writes the canonical dump.
     *
     * @param fdt a validated blob
     * @param out where the text goes
     * @throws IOException if {@code out} fails
     */
    public static void write(ValidatedFdt fdt, Appendable out) throws IOException {
        out.append("fdt version=").append(Long.toString(fdt.version()))
                .append(" last_comp_version=").append(Long.toString(fdt.lastCompVersion()))
                .append(" boot_cpuid_phys=").append(Integer.toUnsignedString(fdt.bootCpuidPhys())).append('\n');
        for (MemoryReservation r : fdt.memoryReservations()) {
            out.append(String.format("rsv 0x%016x 0x%016x", r.address(), r.size())).append('\n');
        }
        FdtIndex ix = fdt.index();
        DumpText.Paths paths = new DumpText.Paths(fdt);
        StringBuilder line = new StringBuilder();
        for (int n = 0; n < ix.nodeCount(); n++) {
            String path = paths.next(n);
            out.append("node ").append(path).append('\n');
            for (int p = ix.firstProperty(n); p != FdtIndex.NONE; p = ix.nextProperty(p)) {
                line.setLength(0);
                line.append("prop ").append(path).append(' ');
                DumpText.name(line, fdt.blob(), ix.propertyName(p), ix.propertyNameLength(p));
                out.append(line);
                if (ix.propertyLength(p) > 0) {
                    out.append(' ');
                    DumpText.hex(out, fdt.blob(), ix.propertyValue(p), ix.propertyLength(p));
                }
                out.append('\n');
            }
        }
    }

    /**
     * @param fdt a validated blob
     * @return the whole text, built in memory; use {@link #write} for blobs that are not trusted to be small
     * @throws DumpTooLargeException if it would be longer than {@link DumpFormat#DEFAULT_MAX_CHARS}
     */
    public static String toString(ValidatedFdt fdt) throws DumpTooLargeException {
        return DumpFormat.CANONICAL.toString(fdt);
    }
}
