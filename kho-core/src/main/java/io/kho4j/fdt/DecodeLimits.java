package io.kho4j.fdt;

/**
 * Bounds applied while decoding an untrusted blob, so that hostile input cannot exhaust stack, heap or time.
 *
 * <p>Exceeding a bound gives {@link FdtFormatException.Kind#LIMIT_EXCEEDED}; the message names the
 * {@code with...} method that raises it. Instances are immutable.
 */
public final class DecodeLimits {
    /**
     * Default nesting depth. Linux unflattens device trees up to {@code FDT_MAX_DEPTH} = 64
     * (drivers/of/fdt.c); KHO trees are three or four levels deep.
     */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private static final DecodeLimits DEFAULTS =
            new DecodeLimits(DEFAULT_MAX_DEPTH, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    private final int maxDepth;
    private final int maxNodes;
    private final int maxProperties;
    private final int maxTotalSize;

    private DecodeLimits(int maxDepth, int maxNodes, int maxProperties, int maxTotalSize) {
        this.maxDepth = positive("maxDepth", maxDepth);
        this.maxNodes = positive("maxNodes", maxNodes);
        this.maxProperties = positive("maxProperties", maxProperties);
        this.maxTotalSize = positive("maxTotalSize", maxTotalSize);
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    /** @return depth 64, and no bound on nodes, properties or size beyond libfdt's INT_MAX total size */
    public static DecodeLimits defaults() {
        return DEFAULTS;
    }

    /** @param depth deepest node nesting accepted, the root being depth 1 @return a copy with that bound */
    public DecodeLimits withMaxDepth(int depth) {
        return new DecodeLimits(depth, maxNodes, maxProperties, maxTotalSize);
    }

    /** @param nodes most nodes accepted, root included @return a copy with that bound */
    public DecodeLimits withMaxNodes(int nodes) {
        return new DecodeLimits(maxDepth, nodes, maxProperties, maxTotalSize);
    }

    /** @param properties most properties accepted in the whole blob @return a copy with that bound */
    public DecodeLimits withMaxProperties(int properties) {
        return new DecodeLimits(maxDepth, maxNodes, properties, maxTotalSize);
    }

    /** @param bytes largest header {@code totalsize} accepted @return a copy with that bound */
    public DecodeLimits withMaxTotalSize(int bytes) {
        return new DecodeLimits(maxDepth, maxNodes, maxProperties, bytes);
    }

    /** @return deepest nesting accepted (root = 1) */
    public int maxDepth() {
        return maxDepth;
    }

    /** @return most nodes accepted */
    public int maxNodes() {
        return maxNodes;
    }

    /** @return most properties accepted */
    public int maxProperties() {
        return maxProperties;
    }

    /** @return largest totalsize accepted */
    public int maxTotalSize() {
        return maxTotalSize;
    }

    @Override
    public String toString() {
        return "DecodeLimits[maxDepth=" + maxDepth + ", maxNodes=" + maxNodes + ", maxProperties=" + maxProperties
                + ", maxTotalSize=" + maxTotalSize + "]";
    }
}
