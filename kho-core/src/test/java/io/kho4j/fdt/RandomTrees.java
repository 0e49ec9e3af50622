package io.kho4j.fdt;

import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random device trees for the differential tests: each tree is a model (names, value bytes,
 * reservations) together with the DTS source that should compile to it, written with every value syntax
 * dtc has (strings, string lists with empty members, {@code <cells>} in hex and decimal, {@code /bits/ 8,
 * 16, 64}, {@code [bytes]}, concatenations), unit addresses, names sharing a tail (dtc shares their bytes
 * in the strings block), trees without any property (an empty strings block), depth up to 6.
 */
final class RandomTrees {
    /** Names dtc gives meaning to (and may check or rewrite); the generator avoids them. */
    private static final Set<String> RESERVED = Set.of("name", "phandle", "linux,phandle");
    private static final String FIRST = "abcdefghijklmnopqrstuvwxyz";
    private static final String NODE_CHARS = FIRST + "0123456789,._+-";
    private static final String PROP_CHARS = FIRST + "0123456789,._+?#-";

    private RandomTrees() {
    }

    /** A property: its bytes, and the DTS expression that dtc compiles to them ({@code ""}: empty). */
    record Prop(String name, byte[] value, String dts) {
    }

    /** A node of the model. */
    record Node(String name, List<Prop> props, List<Node> children) {
    }

    /** One generated tree. */
    record Tree(long seed, List<MemoryReservation> reservations, Node root, boolean fdtdumpSafe) {
        /** @return DTS source for dtc */
        String dts() {
            StringBuilder sb = new StringBuilder("/dts-v1/;\n");
            for (MemoryReservation r : reservations) {
                sb.append(String.format("/memreserve/ 0x%x 0x%x;", r.address(), r.size())).append('\n');
            }
            appendDts(sb, root, 0);
            return sb.toString();
        }

        private static void appendDts(StringBuilder sb, Node n, int level) {
            String in = "  ".repeat(level);
            sb.append(in).append(level == 0 ? "/" : n.name()).append(" {\n");
            for (Prop p : n.props()) {
                sb.append(in).append("  ").append(p.name());
                sb.append(p.dts().isEmpty() ? ";\n" : " = " + p.dts() + ";\n");
            }
            for (Node c : n.children()) {
                appendDts(sb, c, level + 1);
            }
            sb.append(in).append("};\n");
        }

        /** @return the canonical dump (DESIGN.md §4) the model implies, written independently of ours */
        String canonical() {
            StringBuilder sb = new StringBuilder("fdt version=17 last_comp_version=16 boot_cpuid_phys=0\n");
            for (MemoryReservation r : reservations) {
                sb.append(String.format("rsv 0x%016x 0x%016x", r.address(), r.size())).append('\n');
            }
            appendCanonical(sb, root, "");
            return sb.toString();
        }

        private static void appendCanonical(StringBuilder sb, Node n, String path) {
            String shown = path.isEmpty() ? "/" : path;
            sb.append("node ").append(shown).append('\n');
            for (Prop p : n.props()) {
                sb.append("prop ").append(shown).append(' ').append(p.name());
                if (p.value().length > 0) {
                    sb.append(' ');
                    for (byte b : p.value()) {
                        sb.append(String.format("%02x", b & 0xff));
                    }
                }
                sb.append('\n');
            }
            for (Node c : n.children()) {
                appendCanonical(sb, c, path + "/" + c.name());
            }
        }

        /** @return the model as the tree API's nodes, for the writers */
        KhoNode khoNode() {
            return toKho(root);
        }

        private static KhoNode toKho(Node n) {
            KhoNode.Builder b = KhoNode.builder(n.name());
            for (Prop p : n.props()) {
                b.property(Property.of(p.name(), p.value()));
            }
            for (Node c : n.children()) {
                b.child(toKho(c));
            }
            return b.build();
        }
    }

    /**
     * @param seed the seed; the same seed gives the same tree
     * @return a tree; every fourth seed's strings avoid {@code '"'}, so fdtdump's unescaped output parses
     */
    static Tree generate(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Gen g = new Gen(rnd, Math.floorMod(seed, 4) == 0, rnd.nextInt(12) == 0);
        List<MemoryReservation> rsv = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            rsv.add(new MemoryReservation(rnd.nextLong() & ~0xfffL, 1 + (rnd.nextLong() >>> (8 + rnd.nextInt(50)))));
        }
        Node root = g.node("", 0, 6 - rnd.nextInt(4));
        return new Tree(seed, List.copyOf(rsv), root, g.fdtdumpSafe);
    }

    private static final class Gen {
        final SplittableRandom rnd;
        final boolean fdtdumpSafe;
        final boolean noProperties;
        final List<String> usedPropNames = new ArrayList<>();
        int nodes;

        Gen(SplittableRandom rnd, boolean fdtdumpSafe, boolean noProperties) {
            this.rnd = rnd;
            this.fdtdumpSafe = fdtdumpSafe;
            this.noProperties = noProperties;
        }

        Node node(String name, int depth, int maxDepth) {
            nodes++;
            List<Prop> props = new ArrayList<>();
            Set<String> names = new HashSet<>();
            int nProps = noProperties ? 0 : rnd.nextInt(depth == 0 ? 7 : 5);
            for (int i = 0; i < nProps; i++) {
                String pn = propName();
                if (names.add(pn)) {
                    props.add(value(pn));
                }
            }
            List<Node> children = new ArrayList<>();
            Set<String> childNames = new HashSet<>();
            int nChildren = depth >= maxDepth || nodes > 40 ? 0 : rnd.nextInt(depth == 0 ? 5 : 4 - depth / 2);
            for (int i = 0; i < nChildren; i++) {
                String cn = nodeName();
                if (childNames.add(cn)) {
                    children.add(node(cn, depth + 1, maxDepth));
                }
            }
            return new Node(name, props, children);
        }

        String nodeName() {
            String base = word(NODE_CHARS, 1 + rnd.nextInt(10));
            switch (rnd.nextInt(4)) {
                case 0: return base + "@" + Long.toHexString(rnd.nextLong() >>> rnd.nextInt(64));
                case 1: return base + "@" + rnd.nextInt(16) + "," + Integer.toHexString(rnd.nextInt());
                default: return base;
            }
        }

        String propName() {
            if (!usedPropNames.isEmpty() && rnd.nextInt(4) == 0) {
                String earlier = usedPropNames.get(rnd.nextInt(usedPropNames.size()));
                // Reuse a name, or its tail when that is a name too (dtc then shares the strings-block bytes).
                int cut = rnd.nextInt(earlier.length());
                String tail = earlier.substring(cut);
                if (FIRST.indexOf(tail.charAt(0)) >= 0 && !RESERVED.contains(tail)) {
                    return tail;
                }
                return earlier;
            }
            String n;
            do {
                n = word(PROP_CHARS, 1 + rnd.nextInt(16));
            } while (RESERVED.contains(n));
            usedPropNames.add(n);
            return n;
        }

        String word(String chars, int len) {
            StringBuilder sb = new StringBuilder().append(FIRST.charAt(rnd.nextInt(FIRST.length())));
            for (int i = 1; i < len; i++) {
                sb.append(chars.charAt(rnd.nextInt(chars.length())));
            }
            return sb.toString();
        }

        Prop value(String name) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            List<String> parts = new ArrayList<>();
            int kind = rnd.nextInt(14);
            if (kind == 0) {
                return new Prop(name, new byte[0], "");
            }
            int pieces = kind == 13 ? 2 + rnd.nextInt(2) : 1;
            for (int i = 0; i < pieces; i++) {
                parts.add(piece(kind == 13 ? 1 + rnd.nextInt(12) : kind, bytes));
            }
            return new Prop(name, bytes.toByteArray(), String.join(", ", parts));
        }

        /** Appends one value piece's bytes and returns its DTS expression. */
        String piece(int kind, ByteArrayOutputStream out) {
            switch (kind) {
                case 1: case 2: // one string
                    return string(out);
                case 3: { // a string list, members possibly empty
                    List<String> s = new ArrayList<>();
                    for (int i = 2 + rnd.nextInt(3); i > 0; i--) {
                        s.add(rnd.nextInt(5) == 0 ? quoted("", out) : string(out));
                    }
                    return String.join(", ", s);
                }
                case 4: case 5: { // 32-bit cells, hex or decimal
                    StringBuilder sb = new StringBuilder("<");
                    for (int i = 1 + rnd.nextInt(6); i > 0; i--) {
                        int v = rnd.nextInt(3) == 0 ? rnd.nextInt(300) : rnd.nextInt();
                        put(out, v, 4);
                        sb.append(sb.length() > 1 ? " " : "").append(rnd.nextBoolean()
                                ? Integer.toUnsignedString(v) : "0x" + Integer.toHexString(v));
                    }
                    return sb.append('>').toString();
                }
                case 6: return bits(64, out);
                case 7: return bits(16, out);
                case 8: return bits(8, out);
                case 9: { // bytes, any length
                    StringBuilder sb = new StringBuilder("[");
                    for (int i = 1 + rnd.nextInt(24); i > 0; i--) {
                        int v = rnd.nextInt(256);
                        out.write(v);
                        sb.append(sb.length() > 1 ? " " : "").append(String.format("%02x", v));
                    }
                    return sb.append(']').toString();
                }
                case 10: { // a little-endian u64, as KHO writes physical addresses (kho-abi.md §1)
                    long v = rnd.nextLong() >>> rnd.nextInt(30);
                    StringBuilder sb = new StringBuilder("[");
                    for (int i = 0; i < 8; i++) {
                        int b = (int) (v >>> (8 * i)) & 0xff;
                        out.write(b);
                        sb.append(i > 0 ? " " : "").append(String.format("%02x", b));
                    }
                    return sb.append(']').toString();
                }
                case 11: { // zeros: cells or bytes of nothing but NUL
                    int n = 1 + rnd.nextInt(9);
                    out.write(new byte[n], 0, n);
                    return "[" + "00 ".repeat(n).trim() + "]";
                }
                default: { // cells that spell a string: dtc's decompiler shows them as one
                    String s = word(FIRST, 3 + 4 * rnd.nextInt(3));
                    byte[] b = (s + "\0").getBytes(StandardCharsets.US_ASCII);
                    StringBuilder sb = new StringBuilder("[");
                    for (byte x : b) {
                        out.write(x);
                        sb.append(sb.length() > 1 ? " " : "").append(String.format("%02x", x));
                    }
                    return sb.append(']').toString();
                }
            }
        }

        String bits(int width, ByteArrayOutputStream out) {
            StringBuilder sb = new StringBuilder("/bits/ " + width + " <");
            for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                long v = rnd.nextLong() >>> (64 - width);
                put(out, v, width / 8);
                sb.append(sb.charAt(sb.length() - 1) == '<' ? "" : " ").append("0x").append(Long.toHexString(v));
            }
            return sb.append('>').toString();
        }

        String string(ByteArrayOutputStream out) {
            StringBuilder s = new StringBuilder();
            for (int i = rnd.nextInt(20); i > 0; i--) {
                int r = rnd.nextInt(40);
                char c = r == 0 ? '\t' : r == 1 ? '\n' : r == 2 ? '\\' : (char) (0x20 + rnd.nextInt(0x5f));
                if (c == '"' && fdtdumpSafe) {
                    c = '\'';
                }
                s.append(c);
            }
            return quoted(s.toString(), out);
        }

        /** Appends the string and its NUL; returns it as a DTS string literal. */
        String quoted(String s, ByteArrayOutputStream out) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            out.write(b, 0, b.length);
            out.write(0);
            StringBuilder lit = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"': lit.append("\\\""); break;
                    case '\\': lit.append("\\\\"); break;
                    case '\t': lit.append("\\t"); break;
                    case '\n': lit.append("\\n"); break;
                    default: lit.append(c);
                }
            }
            return lit.append('"').toString();
        }

        static void put(ByteArrayOutputStream out, long v, int bytes) {
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((int) (v >>> (8 * i)));
            }
        }
    }
}
