package io.kho4j.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code fdtdump}'s output (dtc 1.6.1 {@code fdtdump.c}, values printed by {@code utilfdt_print_data})
 * into the canonical dump of DESIGN.md §4, so it can be compared with ours. fdtdump prints strings without
 * escapes, so a value holding {@code "} would be ambiguous: feed it blobs without one.
 */
public final class FdtdumpParser {
    private FdtdumpParser() {
    }

    /**
     * @param dump fdtdump's stdout
     * @return the same content as a canonical dump
     * @throws IllegalArgumentException on a line this parser does not understand
     */
    public static String toCanonical(String dump) {
        String version = null;
        String lastComp = null;
        long bootCpu = 0;
        List<String> rsv = new ArrayList<>();
        List<String> body = new ArrayList<>();
        List<String> open = new ArrayList<>(); // paths of the open nodes
        for (String raw : dump.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("// version:")) {
                version = field(line);
            } else if (line.startsWith("// last_comp_version:")) {
                lastComp = field(line);
            } else if (line.startsWith("// boot_cpuid_phys:")) {
                bootCpu = Long.decode(field(line));
            } else if (line.isEmpty() || line.startsWith("//") || line.equals("/dts-v1/;")) {
                continue;
            } else if (line.startsWith("/memreserve/ ")) {
                String[] f = line.substring("/memreserve/ ".length(), line.length() - 1).split(" ");
                rsv.add(String.format("rsv 0x%016x 0x%016x", number(f[0]), number(f[1])));
            } else if (line.endsWith(" {")) {
                String name = line.substring(0, line.length() - 2);
                String path = open.isEmpty() ? "/" : (open.size() == 1 ? "" : open.get(open.size() - 1)) + "/" + name;
                open.add(path);
                body.add("node " + path);
            } else if (line.equals("};")) {
                open.remove(open.size() - 1);
            } else if (line.endsWith(";")) {
                String text = line.substring(0, line.length() - 1);
                int eq = text.indexOf(" = ");
                String path = open.get(open.size() - 1);
                body.add(eq < 0 ? "prop " + path + " " + text
                        : "prop " + path + " " + text.substring(0, eq) + " " + valueHex(text.substring(eq + 3)));
            } else {
                throw new IllegalArgumentException("unexpected fdtdump line: " + raw);
            }
        }
        StringBuilder out = new StringBuilder("fdt version=" + version + " last_comp_version=" + lastComp
                + " boot_cpuid_phys=" + bootCpu + "\n");
        for (String l : rsv) {
            out.append(l).append('\n');
        }
        for (String l : body) {
            out.append(l).append('\n');
        }
        return out.toString();
    }

    private static String field(String line) {
        return line.substring(line.indexOf(':') + 1).strip().split(" ")[0];
    }

    /** fdtdump prints reservations with {@code %#llx}: {@code 0x1000}, or {@code 0} for zero. */
    private static long number(String s) {
        return s.equals("0") ? 0 : Long.parseUnsignedLong(s.substring(2), 16);
    }

    private static String valueHex(String v) {
        StringBuilder hex = new StringBuilder();
        if (v.startsWith("\"")) {
            for (String s : v.substring(1, v.length() - 1).split("\", \"", -1)) {
                for (char c : s.toCharArray()) {
                    hex.append(String.format("%02x", (int) c));
                }
                hex.append("00");
            }
        } else if (v.startsWith("<")) {
            for (String cell : v.substring(1, v.length() - 1).split(" ")) {
                hex.append(String.format("%08x", Long.decode(cell)));
            }
        } else if (v.startsWith("[")) {
            hex.append(v.substring(1, v.length() - 1).replace(" ", ""));
        } else {
            throw new IllegalArgumentException("unexpected fdtdump value: " + v);
        }
        return hex.toString();
    }
}
