package io.kho4j.fdt.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Node and property positions found while validating a blob, so that reads of a validated blob are
 * array lookups. All offsets are absolute byte offsets in the blob. Sizes are bounded by the blob: a node
 * takes at least 8 struct bytes and a property at least 12.
 */
public final class FdtIndex {
    public static final int NONE = -1;

    // per node
    final int[] nodeTag;
    final int[] nodeName;
    final int[] nodeNameLen;
    final int[] parent;
    final int[] firstChild;
    final int[] nextSibling;
    final int[] firstProp;
    // per property
    final int[] propTag;
    final int[] propName;
    final int[] propNameLen;
    final int[] propValue;
    final int[] propLen;
    final int[] nextProp;
    final int[] propOwner;
    final int nodes;
    final int props;
    final int structEnd;

    private FdtIndex(Builder b, int structEnd) {
        this.nodes = b.nodes;
        this.props = b.props;
        this.nodeTag = Arrays.copyOf(b.nodeTag, nodes);
        this.nodeName = Arrays.copyOf(b.nodeName, nodes);
        this.nodeNameLen = Arrays.copyOf(b.nodeNameLen, nodes);
        this.parent = Arrays.copyOf(b.parent, nodes);
        this.firstChild = Arrays.copyOf(b.firstChild, nodes);
        this.nextSibling = Arrays.copyOf(b.nextSibling, nodes);
        this.firstProp = Arrays.copyOf(b.firstProp, nodes);
        this.propTag = Arrays.copyOf(b.propTag, props);
        this.propName = Arrays.copyOf(b.propName, props);
        this.propNameLen = Arrays.copyOf(b.propNameLen, props);
        this.propValue = Arrays.copyOf(b.propValue, props);
        this.propLen = Arrays.copyOf(b.propLen, props);
        this.nextProp = Arrays.copyOf(b.nextProp, props);
        this.propOwner = Arrays.copyOf(b.propOwner, props);
        this.structEnd = structEnd;
    }

    /** @return bytes of the struct block used, FDT_END included, relative to the block start */
    public int structEnd() {
        return structEnd;
    }

    public int nodeCount() {
        return nodes;
    }

    public int propertyCount() {
        return props;
    }

    public int nodeTag(int n) {
        return nodeTag[n];
    }

    public int nodeName(int n) {
        return nodeName[n];
    }

    public int nodeNameLength(int n) {
        return nodeNameLen[n];
    }

    public int parent(int n) {
        return parent[n];
    }

    public int firstChild(int n) {
        return firstChild[n];
    }

    public int nextSibling(int n) {
        return nextSibling[n];
    }

    public int firstProperty(int n) {
        return firstProp[n];
    }

    public int propertyTag(int p) {
        return propTag[p];
    }

    public int propertyName(int p) {
        return propName[p];
    }

    public int propertyNameLength(int p) {
        return propNameLen[p];
    }

    public int propertyValue(int p) {
        return propValue[p];
    }

    public int propertyLength(int p) {
        return propLen[p];
    }

    public int nextProperty(int p) {
        return nextProp[p];
    }

    public int propertyOwner(int p) {
        return propOwner[p];
    }

    /** Collects the index during the walk; arrays grow geometrically, bounded by the struct size. */
    public static final class Builder {
        private int[] nodeTag;
        private int[] nodeName;
        private int[] nodeNameLen;
        private int[] parent;
        private int[] firstChild;
        private int[] lastChild;
        private int[] nextSibling;
        private int[] firstProp;
        private int[] lastProp;
        private int[] propTag;
        private int[] propName;
        private int[] propNameLen;
        private int[] propValue;
        private int[] propLen;
        private int[] nextProp;
        private int[] propOwner;
        private int nodes;
        private int props;
        private int open = NONE;
        private final Map<Integer, Integer> nameLengths = new HashMap<>();

        public Builder(int structBytes) {
            int n = Math.max(4, Math.min(1024, structBytes / 8));
            nodeTag = new int[n];
            nodeName = new int[n];
            nodeNameLen = new int[n];
            parent = new int[n];
            firstChild = new int[n];
            lastChild = new int[n];
            nextSibling = new int[n];
            firstProp = new int[n];
            lastProp = new int[n];
            int p = Math.max(4, Math.min(4096, structBytes / 12));
            propTag = new int[p];
            propName = new int[p];
            propNameLen = new int[p];
            propValue = new int[p];
            propLen = new int[p];
            nextProp = new int[p];
            propOwner = new int[p];
        }

        public int nodeCount() {
            return nodes;
        }

        public int propertyCount() {
            return props;
        }

        public void beginNode(int tag, int name, int nameLen) {
            if (nodes == nodeTag.length) {
                int n = nodes * 2;
                nodeTag = Arrays.copyOf(nodeTag, n);
                nodeName = Arrays.copyOf(nodeName, n);
                nodeNameLen = Arrays.copyOf(nodeNameLen, n);
                parent = Arrays.copyOf(parent, n);
                firstChild = Arrays.copyOf(firstChild, n);
                lastChild = Arrays.copyOf(lastChild, n);
                nextSibling = Arrays.copyOf(nextSibling, n);
                firstProp = Arrays.copyOf(firstProp, n);
                lastProp = Arrays.copyOf(lastProp, n);
            }
            int id = nodes++;
            nodeTag[id] = tag;
            nodeName[id] = name;
            nodeNameLen[id] = nameLen;
            parent[id] = open;
            firstChild[id] = NONE;
            lastChild[id] = NONE;
            nextSibling[id] = NONE;
            firstProp[id] = NONE;
            lastProp[id] = NONE;
            if (open != NONE) {
                if (lastChild[open] == NONE) {
                    firstChild[open] = id;
                } else {
                    nextSibling[lastChild[open]] = id;
                }
                lastChild[open] = id;
            }
            open = id;
        }

        /** @return whether the innermost open node already has a child */
        public boolean openNodeHasChild() {
            return lastChild[open] != NONE;
        }

        public void endNode() {
            open = parent[open];
        }

        public void property(int tag, int name, int nameLen, int value, int len) {
            if (props == propTag.length) {
                int n = props * 2;
                propTag = Arrays.copyOf(propTag, n);
                propName = Arrays.copyOf(propName, n);
                propNameLen = Arrays.copyOf(propNameLen, n);
                propValue = Arrays.copyOf(propValue, n);
                propLen = Arrays.copyOf(propLen, n);
                nextProp = Arrays.copyOf(nextProp, n);
                propOwner = Arrays.copyOf(propOwner, n);
            }
            int id = props++;
            propTag[id] = tag;
            propName[id] = name;
            propNameLen[id] = nameLen;
            propValue[id] = value;
            propLen[id] = len;
            nextProp[id] = NONE;
            propOwner[id] = open;
            if (lastProp[open] == NONE) {
                firstProp[open] = id;
            } else {
                nextProp[lastProp[open]] = id;
            }
            lastProp[open] = id;
        }

        /** @return the length of the string at an absolute offset already checked, or -1 */
        public int cachedNameLength(int absOffset) {
            Integer len = nameLengths.get(absOffset);
            return len == null ? -1 : len;
        }

        public void cacheNameLength(int absOffset, int len) {
            nameLengths.put(absOffset, len);
        }

        public FdtIndex build(int structEnd) {
            return new FdtIndex(this, structEnd);
        }
    }
}
