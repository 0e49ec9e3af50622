package io.kho4j.fdt;

import io.kho4j.fdt.internal.FdtIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Device-tree source text that reads like {@code dtc -I dtb -O dts} (dtc 1.6.1 {@code treesource.c}): the
 * same layout, tabs and blank lines, {@code /memreserve/} lines, and each value shown as dtc guesses its
 * type without source markers ({@code guess_value_type}):
 * <ul>
 *   <li>a string ({@code "a\0b"} for a list) when the value ends with NUL, every byte is printable or one
 *       of NUL, \a \b \t \n \v \f \r, and NULs are no more than the other bytes;</li>
 *   <li>otherwise big-endian cells ({@code <0x01 0xdeadbeef>}) when the length is a multiple of 4;</li>
 *   <li>otherwise bytes ({@code [01 02 03]}).</li>
 * </ul>
 * Properties are shown before child nodes, as dtc does, whatever their order in the blob. Node and property
 * names are escaped as in {@link CanonicalDump} (no name dtc accepts needs it). One deliberate difference:
 * a NUL inside a string followed by an octal digit is written {@code \000}, not dtc's {@code \0}, which
 * dtc would read back as a different byte; so this text always compiles back to the same blob.
 */
public final class DtsFormatter {
    private DtsFormatter() {
    }

    /**
     * Writes the blob as DTS.
     *
     * @param fdt a validated blob
     * @param out where the text goes
     * @throws IOException if {@code out} fails
     */
    public static void write(ValidatedFdt fdt, Appendable out) throws IOException {
        out.append("/dts-v1/;\n\n");
        for (MemoryReservation r : fdt.memoryReservations()) {
            out.append(String.format("/memreserve/\t0x%016x 0x%016x;", r.address(), r.size())).append('\n');
        }
        FdtIndex ix = fdt.index();
        // Explicit stack of open nodes and the next child of each to print: no recursion on hostile depth.
        int[] nextChild = new int[16];
        int depth = 0;
        openNode(fdt, 0, 0, out);
        nextChild[depth++] = ix.firstChild(0);
        while (depth > 0) {
            int child = nextChild[depth - 1];
            if (child == FdtIndex.NONE) {
                out.append("\t".repeat(depth - 1)).append("};\n");
                depth--;
                continue;
            }
            nextChild[depth - 1] = ix.nextSibling(child);
            out.append('\n');
            openNode(fdt, child, depth, out);
            if (depth == nextChild.length) {
                nextChild = Arrays.copyOf(nextChild, depth * 2);
            }
            nextChild[depth++] = ix.firstChild(child);
        }
    }

    /**
     * @param fdt a validated blob
     * @return the whole text, built in memory; use {@link #write} for blobs that are not trusted to be small
     * @throws DumpTooLargeException if it would be longer than {@link DumpFormat#DEFAULT_MAX_CHARS}
     */
    public static String toString(ValidatedFdt fdt) throws DumpTooLargeException {
        return DumpFormat.DTS.toString(fdt);
    }

    private static void openNode(ValidatedFdt fdt, int node, int level, Appendable out) throws IOException {
        FdtIndex ix = fdt.index();
        StringBuilder line = new StringBuilder();
        line.append("\t".repeat(level));
        if (ix.nodeNameLength(node) == 0) {
            line.append('/');
        } else {
            DumpText.name(line, fdt.blob(), ix.nodeName(node), ix.nodeNameLength(node));
        }
        out.append(line).append(" {\n");
        for (int p = ix.firstProperty(node); p != FdtIndex.NONE; p = ix.nextProperty(p)) {
            line.setLength(0);
            line.append("\t".repeat(level + 1));
            DumpText.name(line, fdt.blob(), ix.propertyName(p), ix.propertyNameLength(p));
            value(line, fdt.blob(), ix.propertyValue(p), ix.propertyLength(p));
            out.append(line).append(";\n");
        }
    }

    /** dtc's {@code isstring()}: printable, NUL, or one of the escapes dtc writes. */
    private static boolean isStringByte(int c) {
        return (c >= 0x20 && c < 0x7f) || c == 0 || (c >= 0x07 && c <= 0x0d);
    }

    private static void value(StringBuilder out, ByteBuffer blob, int off, int len) {
        if (len == 0) {
            return;
        }
        int notString = 0;
        int nul = 0;
        for (int i = off; i < off + len; i++) {
            int c = blob.get(i) & 0xff;
            if (!isStringByte(c)) {
                notString++;
            }
            if (c == 0) {
                nul++;
            }
        }
        out.append(" = ");
        if (blob.get(off + len - 1) == 0 && notString == 0 && nul <= len - nul) {
            string(out, blob, off, len - 1);
        } else if (len % 4 == 0) {
            out.append('<');
            for (int i = off; i < off + len; i += 4) {
                String hex = Integer.toHexString(blob.getInt(i));
                out.append(i == off ? "0x" : " 0x").append(hex.length() < 2 ? "0" : "").append(hex);
            }
            out.append('>');
        } else {
            out.append('[');
            for (int i = off; i < off + len; i++) {
                String hex = Integer.toHexString(blob.get(i) & 0xff);
                out.append(i == off ? "" : " ").append(hex.length() < 2 ? "0" : "").append(hex);
            }
            out.append(']');
        }
    }

    /**
     * dtc's {@code write_propval_string}: C escapes, a NUL inside the value as {@code \0}, or {@code \000}
     * before an octal digit (where dtc's own output is wrong).
     */
    private static void string(StringBuilder out, ByteBuffer blob, int off, int len) {
        out.append('"');
        for (int i = off; i < off + len; i++) {
            char c = (char) (blob.get(i) & 0xff);
            switch (c) {
                case 0x07: out.append("\\a"); break;
                case '\b': out.append("\\b"); break;
                case '\t': out.append("\\t"); break;
                case '\n': out.append("\\n"); break;
                case 0x0b: out.append("\\v"); break;
                case '\f': out.append("\\f"); break;
                case '\r': out.append("\\r"); break;
                case '\\': out.append("\\\\"); break;
                case '"': out.append("\\\""); break;
                case 0:
                    // dtc 1.6.1 writes "\0" even before an octal digit, which its parser then reads as one
                    // longer octal escape ("\04" is 0x04): its text would not compile back to the same bytes.
                    boolean octalNext = i + 1 < off + len && blob.get(i + 1) >= '0' && blob.get(i + 1) <= '7';
                    out.append(octalNext ? "\\000" : "\\0");
                    break;
                default: out.append(c);
            }
        }
        out.append('"');
    }
}
