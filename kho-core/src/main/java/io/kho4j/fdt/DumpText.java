package io.kho4j.fdt;

import io.kho4j.fdt.internal.FdtIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.Arrays;

/** Text pieces shared by the dump formats: escaped names, hex, and node paths in document order. */
final class DumpText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DumpText() {
    }

    /** One of the dump formats' {@code write} methods. */
    interface Format {
        void write(ValidatedFdt fdt, Appendable out) throws IOException;
    }

    /** @return the whole dump as a string */
    static String render(Format format, ValidatedFdt fdt) {
        StringBuilder sb = new StringBuilder();
        try {
            format.write(fdt, sb);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder cannot fail", e);
        }
        return sb.toString();
    }

    /**
     * Appends a node or property name. Bytes 0x21..0x7e other than {@code '\'} appear as themselves (every
     * name dtc accepts is made of these); any other byte as {@code \xNN}, so that a hostile name cannot
     * break a line-oriented format apart.
     */
    static void name(StringBuilder out, ByteBuffer blob, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = blob.get(i) & 0xff;
            if (c > 0x20 && c < 0x7f && c != '\\') {
                out.append((char) c);
            } else {
                out.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 15]);
            }
        }
    }

    /** Appends {@code len} bytes as lowercase hex without separators. */
    static void hex(Appendable out, ByteBuffer blob, int off, int len) throws IOException {
        char[] chunk = new char[Math.min(len, 4096) * 2];
        for (int done = 0; done < len; ) {
            int n = Math.min(len - done, chunk.length / 2);
            for (int i = 0; i < n; i++) {
                int c = blob.get(off + done + i) & 0xff;
                chunk[2 * i] = HEX[c >>> 4];
                chunk[2 * i + 1] = HEX[c & 15];
            }
            out.append(CharBuffer.wrap(chunk, 0, 2 * n));
            done += n;
        }
    }

    /**
     * Builds each node's path as the nodes are visited in document order, keeping only the open ancestors:
     * memory grows with the depth, not with the number of nodes, and nothing recurses.
     */
    static final class Paths {
        private final ValidatedFdt fdt;
        private final StringBuilder path = new StringBuilder();
        private int[] openNode = new int[16];
        private int[] openLength = new int[16];
        private int open;

        Paths(ValidatedFdt fdt) {
            this.fdt = fdt;
        }

        /**
         * @param node the next node id in document order
         * @return its path, {@code "/"} for the root
         */
        String next(int node) {
            FdtIndex ix = fdt.index();
            int parent = ix.parent(node);
            while (open > 0 && openNode[open - 1] != parent) {
                open--;
            }
            path.setLength(open == 0 ? 0 : openLength[open - 1]);
            if (parent != FdtIndex.NONE) {
                path.append('/');
                name(path, fdt.blob(), ix.nodeName(node), ix.nodeNameLength(node));
            }
            if (open == openNode.length) {
                openNode = Arrays.copyOf(openNode, open * 2);
                openLength = Arrays.copyOf(openLength, open * 2);
            }
            openNode[open] = node;
            openLength[open++] = path.length();
            return path.length() == 0 ? "/" : path.toString();
        }
    }
}
