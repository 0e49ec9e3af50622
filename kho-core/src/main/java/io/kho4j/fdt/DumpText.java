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

    /**
     * @return the whole dump as a string
     * @throws DumpTooLargeException as soon as the text would pass {@code maxChars}, having held at most that
     */
    static String render(DumpFormat format, ValidatedFdt fdt, int maxChars) throws DumpTooLargeException {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must not be negative: " + maxChars);
        }
        BoundedText text = new BoundedText(format, maxChars);
        try {
            format.write(fdt, text);
        } catch (DumpTooLargeException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("BoundedText fails only with DumpTooLargeException", e);
        }
        return text.sb.toString();
    }

    /** A StringBuilder that refuses to grow past a limit, checked before every append. */
    private static final class BoundedText implements Appendable {
        private final StringBuilder sb = new StringBuilder();
        private final DumpFormat format;
        private final int maxChars;

        BoundedText(DumpFormat format, int maxChars) {
            this.format = format;
            this.maxChars = maxChars;
        }

        private void room(int chars) throws DumpTooLargeException {
            if (chars > maxChars - sb.length()) {
                throw new DumpTooLargeException(format, maxChars);
            }
        }

        @Override
        public Appendable append(CharSequence csq) throws IOException {
            CharSequence s = csq == null ? "null" : csq;
            room(s.length());
            sb.append(s);
            return this;
        }

        @Override
        public Appendable append(CharSequence csq, int start, int end) throws IOException {
            CharSequence s = csq == null ? "null" : csq;
            room(end - start);
            sb.append(s, start, end);
            return this;
        }

        @Override
        public Appendable append(char c) throws IOException {
            room(1);
            sb.append(c);
            return this;
        }
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
