package io.kho4j.cli;

import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.MemoryReservation;
import io.kho4j.fdt.ValidatedFdt;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three text forms of {@code kho fdt dump}.
 *
 * <p>TODO-merge: kho-core is getting the reference formatters (io.kho4j.fdt.CanonicalDump, DtsFormatter);
 * when they land, call them and delete this class. Until then {@link #canonical} is DESIGN.md §4 to the
 * letter, and {@link #dts} is a small approximation of {@code dtc -O dts}.
 */
final class FdtDumpFormats {
    private static final HexFormat HEX = HexFormat.of();

    private FdtDumpFormats() {
    }

    /**
     * The canonical dump (DESIGN.md §4): header line, one {@code rsv} line per reservation in blob order,
     * then nodes in document order, each followed by its properties in blob order. Values are lowercase
     * hex; a zero-length property has no value and no trailing space.
     */
    static void canonical(ValidatedFdt fdt, PrintWriter out) {
        out.print("fdt version=" + fdt.version() + " last_comp_version=" + fdt.lastCompVersion()
                + " boot_cpuid_phys=" + Integer.toUnsignedString(fdt.bootCpuidPhys()) + "\n");
        for (MemoryReservation r : fdt.memoryReservations()) {
            out.print(String.format("rsv 0x%016x 0x%016x\n", r.address(), r.size()));
        }
        for (FdtNode node : fdt.nodes()) {
            String path = node.path();
            out.print("node " + path + "\n");
            for (FdtProperty p : node.properties()) {
                out.print("prop " + path + " " + p.name() + (p.length() == 0 ? "" : " " + HEX.formatHex(p.bytes()))
                        + "\n");
            }
        }
    }

    /**
     * Device-tree source shaped like {@code dtc -I dtb -O dts} of Debian's dtc 1.6.1 ({@code treesource.c}):
     * a value is shown as a string if it is NUL-terminated printable text with no more NULs than other bytes
     * (a list prints as {@code "a\0b"}, as that dtc does), as {@code <cells>} if its length is a multiple of
     * 4, else as {@code [bytes]}.
     */
    static void dts(ValidatedFdt fdt, PrintWriter out) {
        out.print("/dts-v1/;\n\n");
        for (MemoryReservation r : fdt.memoryReservations()) {
            out.print(String.format("/memreserve/\t0x%016x 0x%016x;\n", r.address(), r.size()));
        }
        int open = 0;
        for (FdtNode node : fdt.nodes()) {
            int depth = node.depth();
            for (; open > depth; open--) {
                out.print("\t".repeat(open - 1) + "};\n");
            }
            if (depth > 0) {
                out.print("\n");
            }
            out.print("\t".repeat(depth) + (depth == 0 ? "/" : node.name()) + " {\n");
            for (FdtProperty p : node.properties()) {
                out.print("\t".repeat(depth + 1) + p.name() + dtsValue(p.bytes()) + ";\n");
            }
            open = depth + 1;
        }
        for (; open > 0; open--) {
            out.print("\t".repeat(open - 1) + "};\n");
        }
    }

    private static String dtsValue(byte[] v) {
        if (v.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" = ");
        if (looksLikeStrings(v)) {
            sb.append('"');
            for (int i = 0; i < v.length - 1; i++) {
                appendEscaped(sb, v[i]);
            }
            sb.append('"');
        } else if (v.length % 4 == 0) {
            sb.append('<');
            for (int i = 0; i < v.length; i += 4) {
                int cell = (v[i] & 0xff) << 24 | (v[i + 1] & 0xff) << 16 | (v[i + 2] & 0xff) << 8 | (v[i + 3] & 0xff);
                sb.append(i == 0 ? "" : " ").append(String.format("0x%02x", cell));
            }
            sb.append('>');
        } else {
            sb.append('[');
            for (int i = 0; i < v.length; i++) {
                sb.append(i == 0 ? "" : " ").append(String.format("%02x", v[i] & 0xff));
            }
            sb.append(']');
        }
        return sb.toString();
    }

    /** dtc's {@code guess_value_type}: every byte printable, NUL or a C escape, NUL last, NULs not the majority. */
    private static boolean looksLikeStrings(byte[] v) {
        int nul = 0;
        for (byte b : v) {
            if (b == 0) {
                nul++;
            } else if (!(b >= 0x20 && b < 0x7f) && "\007\b\t\n\013\f\r".indexOf(b) < 0) {
                return false;
            }
        }
        return v[v.length - 1] == 0 && nul <= v.length - nul;
    }

    private static void appendEscaped(StringBuilder sb, byte b) {
        switch (b) {
            case 0: sb.append("\\0"); break;
            case '"': sb.append("\\\""); break;
            case '\\': sb.append("\\\\"); break;
            case '\t': sb.append("\\t"); break;
            case '\n': sb.append("\\n"); break;
            case '\r': sb.append("\\r"); break;
            case '\f': sb.append("\\f"); break;
            case '\b': sb.append("\\b"); break;
            case 7: sb.append("\\a"); break;
            case 11: sb.append("\\v"); break;
            default: sb.append((char) b);
        }
    }

    /**
     * The JSON form: the canonical dump's content as one object. Addresses and sizes are hex strings
     * (u64), values lowercase hex as in the canonical dump.
     */
    static Map<String, Object> json(ValidatedFdt fdt) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", fdt.version());
        doc.put("last_comp_version", fdt.lastCompVersion());
        doc.put("boot_cpuid_phys", Integer.toUnsignedLong(fdt.bootCpuidPhys()));
        doc.put("totalsize", fdt.totalSize());
        List<Object> rsv = new ArrayList<>();
        for (MemoryReservation r : fdt.memoryReservations()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("address", String.format("0x%x", r.address()));
            entry.put("size", String.format("0x%x", r.size()));
            rsv.add(entry);
        }
        doc.put("reservations", rsv);
        List<Object> nodes = new ArrayList<>();
        for (FdtNode node : fdt.nodes()) {
            List<Object> props = new ArrayList<>();
            for (FdtProperty p : node.properties()) {
                Map<String, Object> prop = new LinkedHashMap<>();
                prop.put("name", p.name());
                prop.put("value", HEX.formatHex(p.bytes()));
                props.add(prop);
            }
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("path", node.path());
            n.put("properties", props);
            nodes.add(n);
        }
        doc.put("nodes", nodes);
        return doc;
    }
}
