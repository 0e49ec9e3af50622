package io.kho4j.fdt;

import io.kho4j.fdt.internal.FdtIndex;
import java.io.IOException;

/**
 * The canonical dump's content as JSON, for {@code --json} and scripts: the same items in the same order,
 * one node per line.
 * <pre>
 * {"version": 17, "last_comp_version": 16, "boot_cpuid_phys": 0,
 *  "reservations": [{"address": "0x0000000080000000", "size": "0x0000000000100000"}],
 *  "nodes": [
 *   {"path": "/", "properties": [{"name": "compatible", "length": 7, "value": "6b686f2d763100"}]}
 *  ]}
 * </pre>
 * 64-bit numbers are hex strings (JSON numbers lose precision above 2^53); values are lowercase hex;
 * paths and names are escaped as in {@link CanonicalDump}, then as JSON strings.
 */
public final class JsonDump {
    private JsonDump() {
    }

    /**
     * Writes the JSON dump.
     *
     * @param fdt a validated blob
     * @param out where the text goes
     * @throws IOException if {@code out} fails
     */
    public static void write(ValidatedFdt fdt, Appendable out) throws IOException {
        out.append("{\"version\": ").append(Long.toString(fdt.version()))
                .append(", \"last_comp_version\": ").append(Long.toString(fdt.lastCompVersion()))
                .append(", \"boot_cpuid_phys\": ").append(Integer.toUnsignedString(fdt.bootCpuidPhys()))
                .append(",\n \"reservations\": [");
        String sep = "";
        for (MemoryReservation r : fdt.memoryReservations()) {
            out.append(sep).append(String.format("{\"address\": \"0x%016x\", \"size\": \"0x%016x\"}",
                    r.address(), r.size()));
            sep = ", ";
        }
        out.append("],\n \"nodes\": [");
        FdtIndex ix = fdt.index();
        DumpText.Paths paths = new DumpText.Paths(fdt);
        StringBuilder name = new StringBuilder();
        for (int n = 0; n < ix.nodeCount(); n++) {
            out.append(n == 0 ? "\n  {\"path\": " : ",\n  {\"path\": ");
            quoted(out, paths.next(n));
            out.append(", \"properties\": [");
            for (int p = ix.firstProperty(n); p != FdtIndex.NONE; p = ix.nextProperty(p)) {
                name.setLength(0);
                DumpText.name(name, fdt.blob(), ix.propertyName(p), ix.propertyNameLength(p));
                out.append(p == ix.firstProperty(n) ? "{\"name\": " : ", {\"name\": ");
                quoted(out, name);
                out.append(", \"length\": ").append(Integer.toString(ix.propertyLength(p))).append(", \"value\": \"");
                DumpText.hex(out, fdt.blob(), ix.propertyValue(p), ix.propertyLength(p));
                out.append("\"}");
            }
            out.append("]}");
        }
        out.append("\n ]}\n");
    }

    /**
     * @param fdt a validated blob
     * @return the whole text, built in memory; use {@link #write} for blobs that are not trusted to be small
     * @throws DumpTooLargeException if it would be longer than {@link DumpFormat#DEFAULT_MAX_CHARS}
     */
    public static String toString(ValidatedFdt fdt) throws DumpTooLargeException {
        return DumpFormat.JSON.toString(fdt);
    }

    /** JSON string; the input is already printable ASCII (see {@link DumpText#name}). */
    private static void quoted(Appendable out, CharSequence s) throws IOException {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }
}
