package io.kho4j.benchmarks;

import io.kho4j.fdt.FdtWriter;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A tree as the flat sequence of begin-node / property / end-node calls that libfdt's sequential-write API
 * takes. Names and values are computed once, outside the timed region, exactly as the C harness
 * ({@code src/main/c/fdtbench.c}) prepares its arrays, so both sides time only the writer.
 */
public final class TreeScript {
    private static final byte BEGIN = 0;
    private static final byte PROPERTY = 1;
    private static final byte END = 2;

    private final byte[] ops;
    private final String[] names;
    private final byte[][] values;
    private final int length;
    private final int nodes;
    private final int properties;
    private final long valueBytes;

    private TreeScript(Builder b) {
        this.ops = Arrays.copyOf(b.ops, b.length);
        this.names = Arrays.copyOf(b.names, b.length);
        this.values = Arrays.copyOf(b.values, b.length);
        this.length = b.length;
        this.nodes = b.nodes;
        this.properties = b.properties;
        this.valueBytes = b.valueBytes;
    }

    /** @return a builder for a new script */
    public static Builder builder() {
        return new Builder();
    }

    /** @return number of nodes, root included */
    public int nodeCount() {
        return nodes;
    }

    /** @return number of properties in the whole tree */
    public int propertyCount() {
        return properties;
    }

    /** @return sum of all property value lengths */
    public long valueBytes() {
        return valueBytes;
    }

    /**
     * Replays the script into a writer (the timed part of the sequential-encode benchmark).
     *
     * @param writer a fresh writer
     */
    public void writeTo(FdtWriter writer) {
        for (int i = 0; i < length; i++) {
            switch (ops[i]) {
                case BEGIN:
                    writer.beginNode(names[i]);
                    break;
                case PROPERTY:
                    writer.property(names[i], values[i]);
                    break;
                default:
                    writer.endNode();
                    break;
            }
        }
    }

    /** @return the blob in libfdt's sequential-write layout, the bytes the C harness builds */
    public byte[] encode() {
        FdtWriter writer = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        writeTo(writer);
        return writer.finish();
    }

    /** @return the same tree in the {@link KhoNode} model, for the tree-encoder benchmark */
    public KhoNode toTree() {
        Deque<KhoNode.Builder> open = new ArrayDeque<>();
        KhoNode root = null;
        for (int i = 0; i < length; i++) {
            switch (ops[i]) {
                case BEGIN:
                    open.push(KhoNode.builder(names[i]));
                    break;
                case PROPERTY:
                    open.peek().property(Property.of(names[i], values[i]));
                    break;
                default:
                    KhoNode done = open.pop().build();
                    if (open.isEmpty()) {
                        root = done;
                    } else {
                        open.peek().child(done);
                    }
                    break;
            }
        }
        if (root == null || !open.isEmpty()) {
            throw new IllegalStateException("script does not describe exactly one closed root");
        }
        return root;
    }

    /** @return the property names in script order, for tests */
    public List<String> propertyNames() {
        String[] out = new String[properties];
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (ops[i] == PROPERTY) {
                out[n++] = names[i];
            }
        }
        return List.of(out);
    }

    /** Appends calls; the value arrays are kept, not copied, since scripts are built once per trial. */
    public static final class Builder {
        private byte[] ops = new byte[64];
        private String[] names = new String[64];
        private byte[][] values = new byte[64][];
        private int length;
        private int nodes;
        private int properties;
        private long valueBytes;

        private Builder() {
        }

        /** @param name node name @return this builder */
        public Builder begin(String name) {
            nodes++;
            return add(BEGIN, name, null);
        }

        /** @param name property name @param value value bytes @return this builder */
        public Builder property(String name, byte[] value) {
            properties++;
            valueBytes += value.length;
            return add(PROPERTY, name, value);
        }

        /** @return this builder, after closing the innermost node */
        public Builder end() {
            return add(END, null, null);
        }

        /** @return the script */
        public TreeScript build() {
            return new TreeScript(this);
        }

        private Builder add(byte op, String name, byte[] value) {
            if (length == ops.length) {
                int n = length * 2;
                ops = Arrays.copyOf(ops, n);
                names = Arrays.copyOf(names, n);
                values = Arrays.copyOf(values, n);
            }
            ops[length] = op;
            names[length] = name;
            values[length++] = value;
            return this;
        }
    }
}
