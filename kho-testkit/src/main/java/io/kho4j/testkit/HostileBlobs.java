package io.kho4j.testkit;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import io.kho4j.tree.TreeCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile variants of a valid subtree blob, for restorers to survive: every variant must give a result or a
 * {@code RestoreException}, never another exception, a hang or an out-of-memory error.
 *
 * <p>For an FDT the variants include structurally valid trees with hostile content (each property's value one
 * byte short, four bytes long, empty, or not NUL-terminated; each property and each node removed; nodes
 * duplicated) and broken headers (sizes and offsets at 0, past the end, at 2^32-1). For every blob they include
 * truncations, extensions, bit flips and random bytes from a seeded generator. Deterministic for a given seed.
 */
public final class HostileBlobs {
    /** FDT header fields (libfdt/fdt.h): offset in the header and name. */
    private static final int[] HEADER_OFFSETS = {0, 4, 8, 12, 16, 20, 24, 32, 36};
    private static final String[] HEADER_NAMES = {"magic", "totalsize", "off_dt_struct", "off_dt_strings",
        "off_mem_rsvmap", "version", "last_comp_version", "size_dt_strings", "size_dt_struct"};

    private HostileBlobs() {
    }

    /**
     * One hostile input.
     *
     * @param description what was done to the valid blob
     * @param bytes the blob
     */
    public record Variant(String description, byte[] bytes) {
        @Override
        public String toString() {
            return description + " (" + bytes.length + " bytes" + (bytes.length <= 64 ? ": "
                    + HexFormat.of().formatHex(bytes) : "") + ")";
        }
    }

    /**
     * @param valid a blob a restorer accepts
     * @param seed seed of the random variants
     * @param randomCount how many random variants (bit flips, random bytes, splices)
     * @return the variants, deterministic for the seed
     */
    public static List<Variant> variants(byte[] valid, long seed, int randomCount) {
        List<Variant> out = new ArrayList<>();
        out.add(new Variant("empty", new byte[0]));
        out.add(new Variant("all zero", new byte[valid.length]));
        byte[] ones = new byte[valid.length];
        Arrays.fill(ones, (byte) 0xff);
        out.add(new Variant("all 0xff", ones));
        for (int len : new int[] {1, 3, 4, 7, 8, 15, 16, 39, 40, 41, valid.length / 2, valid.length - 4, valid.length - 1}) {
            if (len > 0 && len < valid.length) {
                out.add(new Variant("truncated to " + len, Arrays.copyOf(valid, len)));
            }
        }
        out.add(new Variant("4 zero bytes appended", Arrays.copyOf(valid, valid.length + 4)));
        ValidatedFdt fdt = tryFdt(valid);
        if (fdt != null) {
            headerAttacks(valid, out);
            contentAttacks(TreeCodec.decode(fdt), out);
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < randomCount; i++) {
            out.add(random(valid, r, i));
        }
        return out;
    }

    private static ValidatedFdt tryFdt(byte[] blob) {
        try {
            return FdtValidator.standard().validate(blob);
        } catch (FdtFormatException e) {
            return null;
        }
    }

    private static void headerAttacks(byte[] valid, List<Variant> out) {
        int[] values = {0, 1, 3, 40, valid.length - 1, valid.length + 1, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff};
        for (int f = 0; f < HEADER_OFFSETS.length; f++) {
            for (int v : values) {
                byte[] b = valid.clone();
                ByteBuffer.wrap(b).putInt(HEADER_OFFSETS[f], v);
                out.add(new Variant("header " + HEADER_NAMES[f] + " = 0x" + Integer.toHexString(v), b));
            }
        }
    }

    private static void contentAttacks(KhoNode root, List<Variant> out) {
        List<List<Integer>> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        for (List<Integer> path : paths) {
            KhoNode node = at(root, path);
            String where = describe(root, path);
            for (int p = 0; p < node.properties().size(); p++) {
                Property prop = node.properties().get(p);
                byte[] v = prop.value();
                String what = where + ":" + prop.name();
                if (v.length > 0) {
                    out.add(encode(root, path, withProperty(node, p, Property.of(prop.name(), Arrays.copyOf(v, v.length - 1))),
                            what + " one byte short"));
                    byte[] noNul = v.clone();
                    noNul[v.length - 1] = 'x';
                    out.add(encode(root, path, withProperty(node, p, Property.of(prop.name(), noNul)),
                            what + " last byte not NUL"));
                }
                out.add(encode(root, path, withProperty(node, p, Property.of(prop.name(), Arrays.copyOf(v, v.length + 4))),
                        what + " four bytes long"));
                out.add(encode(root, path, withProperty(node, p, Property.empty(prop.name())), what + " empty"));
                out.add(encode(root, path, withProperty(node, p, null), what + " removed"));
            }
            if (!path.isEmpty()) {
                List<Integer> parentPath = path.subList(0, path.size() - 1);
                KhoNode parent = at(root, parentPath);
                int index = path.get(path.size() - 1);
                KhoNode.Builder removed = KhoNode.builder(parent.name());
                KhoNode.Builder doubled = KhoNode.builder(parent.name());
                parent.properties().forEach(removed::property);
                parent.properties().forEach(doubled::property);
                for (int c = 0; c < parent.children().size(); c++) {
                    if (c != index) {
                        removed.child(parent.children().get(c));
                    }
                    doubled.child(parent.children().get(c));
                    if (c == index) {
                        doubled.child(parent.children().get(c));
                    }
                }
                out.add(encode(root, parentPath, removed.build(), where + " removed"));
                out.add(encode(root, parentPath, doubled.build(), where + " duplicated"));
            }
        }
    }

    private static void collect(KhoNode node, List<Integer> path, List<List<Integer>> out) {
        out.add(List.copyOf(path));
        for (int i = 0; i < node.children().size(); i++) {
            path.add(i);
            collect(node.children().get(i), path, out);
            path.remove(path.size() - 1);
        }
    }

    private static KhoNode at(KhoNode root, List<Integer> path) {
        KhoNode n = root;
        for (int i : path) {
            n = n.children().get(i);
        }
        return n;
    }

    private static String describe(KhoNode root, List<Integer> path) {
        StringBuilder sb = new StringBuilder();
        KhoNode n = root;
        for (int i : path) {
            n = n.children().get(i);
            sb.append('/').append(n.name());
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private static KhoNode withProperty(KhoNode node, int index, Property replacement) {
        KhoNode.Builder b = KhoNode.builder(node.name());
        for (int i = 0; i < node.properties().size(); i++) {
            if (i != index) {
                b.property(node.properties().get(i));
            } else if (replacement != null) {
                b.property(replacement);
            }
        }
        node.children().forEach(b::child);
        return b.build();
    }

    private static Variant encode(KhoNode root, List<Integer> path, KhoNode replacement, String description) {
        return new Variant(description, TreeCodec.encode(replace(root, path, 0, replacement)));
    }

    private static KhoNode replace(KhoNode node, List<Integer> path, int depth, KhoNode replacement) {
        if (depth == path.size()) {
            return replacement;
        }
        KhoNode.Builder b = KhoNode.builder(node.name());
        node.properties().forEach(b::property);
        for (int i = 0; i < node.children().size(); i++) {
            b.child(i == path.get(depth) ? replace(node.children().get(i), path, depth + 1, replacement)
                    : node.children().get(i));
        }
        return b.build();
    }

    private static Variant random(byte[] valid, SplittableRandom r, int i) {
        switch (r.nextInt(3)) {
            case 0: {
                byte[] b = valid.clone();
                int flips = 1 + r.nextInt(8);
                for (int f = 0; f < flips && b.length > 0; f++) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return new Variant("random #" + i + ": " + flips + " bit flip(s)", b);
            }
            case 1: {
                byte[] b = new byte[r.nextInt(Math.max(1, valid.length * 2))];
                for (int k = 0; k < b.length; k++) {
                    b[k] = (byte) r.nextInt(256);
                }
                return new Variant("random #" + i + ": random bytes", b);
            }
            default: {
                byte[] b = valid.clone();
                if (b.length >= 8) {
                    int at = r.nextInt(b.length - 3) & ~3;
                    int[] nasty = {0, -1, 0x7fffffff, b.length, 0xd00dfeed, 3, 9};
                    ByteBuffer.wrap(b).putInt(at, nasty[r.nextInt(nasty.length)]);
                }
                return new Variant("random #" + i + ": one aligned word replaced", b);
            }
        }
    }
}
