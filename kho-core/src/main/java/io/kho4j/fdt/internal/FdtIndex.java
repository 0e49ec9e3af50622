package io.kho4j.fdt.internal;

import java.util.Arrays;

/**
 * Node and property positions found while validating a blob, so that reads of a validated blob are
 * array lookups. All offsets are absolute byte offsets in the blob. Sizes are bounded by the blob: a node
 * takes at least 8 struct bytes and a property at least 12.
 *
 * <p>Each node and each property is one fixed-size record of ints (one cache line or two per record,
 * instead of one array per field), kept in chunks that are never copied to grow: fresh memory is what a
 * large index costs. Property names are interned by their strings-table offset: properties with the same
 * name share a name id, which is what readers cache decoded names by (the first {@value #SHORT_NAMES}
 * short names and every long one get an id).
 */
public final class FdtIndex {
    public static final int NONE = -1;

    // Node record fields.
    private static final int N_TAG = 0;
    private static final int N_NAME = 1;
    private static final int N_NAME_LEN = 2;
    private static final int N_PARENT = 3;
    private static final int N_FIRST_CHILD = 4;
    private static final int N_NEXT_SIBLING = 5;
    private static final int N_FIRST_PROP = 6;
    private static final int NODE_INTS = 7;

    // Property record fields. P_NAME is the name id, or ~offset for a name the table does not hold.
    // P_TAG's low bit (tags are 4-aligned) marks a value 16 bytes after the tag instead of 12: pre-v16
    // blobs align values of 8 bytes or more to 8 (libfdt fdt_next_tag).
    private static final int P_TAG = 0;
    private static final int P_NAME = 1;
    private static final int P_NAME_LEN = 2;
    private static final int P_LEN = 3;
    private static final int P_OWNER = 4;
    private static final int PROP_INTS = 5;
    private static final int VALUE_AFTER_TAG = 12;
    private static final int ALIGNED_VALUE_AFTER_TAG = 16;

    /**
     * Names at least this long are always remembered, so that no long name is scanned twice however many
     * properties use it. Shorter ones cost at most this many bytes to scan again.
     */
    private static final int LONG_NAME = 64;
    /**
     * Short names remembered: enough for the few names a KHO tree repeats, without building a large table
     * for a blob whose every property has its own name (each scanned once anyway).
     */
    private static final int SHORT_NAMES = 256;

    private final Records node;
    private final Records prop;
    private final NameTable names;
    private final int nodes;
    private final int props;
    private final int structEnd;
    private final long nameBytesScanned;

    private FdtIndex(Builder b, int structEnd, long nameBytesScanned) {
        this.node = b.node;
        this.prop = b.prop;
        this.names = b.names;
        this.nodes = b.nodes;
        this.props = b.props;
        this.structEnd = structEnd;
        this.nameBytesScanned = nameBytesScanned;
    }

    /** @return bytes the validator read to find the ends of property names: its work, bounded by the blob */
    public long nameBytesScanned() {
        return nameBytesScanned;
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

    /** @return how many distinct property-name offsets the blob uses: name ids are 0 .. this - 1 */
    public int nameCount() {
        return names.count;
    }

    public int nodeTag(int n) {
        return node.get(NODE_INTS, n, N_TAG);
    }

    public int nodeName(int n) {
        return node.get(NODE_INTS, n, N_NAME);
    }

    public int nodeNameLength(int n) {
        return node.get(NODE_INTS, n, N_NAME_LEN);
    }

    public int parent(int n) {
        return node.get(NODE_INTS, n, N_PARENT);
    }

    public int firstChild(int n) {
        return node.get(NODE_INTS, n, N_FIRST_CHILD);
    }

    public int nextSibling(int n) {
        return node.get(NODE_INTS, n, N_NEXT_SIBLING);
    }

    public int firstProperty(int n) {
        return node.get(NODE_INTS, n, N_FIRST_PROP);
    }

    public int propertyTag(int p) {
        return prop.get(PROP_INTS, p, P_TAG) & ~3;
    }

    /**
     * @return the id of the property's name, shared by every property whose name is at the same offset, or
     *     {@link #NONE} if the name has none
     */
    public int propertyNameId(int p) {
        return Math.max(NONE, prop.get(PROP_INTS, p, P_NAME));
    }

    public int propertyName(int p) {
        int name = prop.get(PROP_INTS, p, P_NAME);
        return name >= 0 ? names.offset[name] : ~name;
    }

    public int propertyNameLength(int p) {
        return prop.get(PROP_INTS, p, P_NAME_LEN);
    }

    public int propertyValue(int p) {
        int tag = prop.get(PROP_INTS, p, P_TAG);
        return (tag & ~3) + ((tag & 1) == 0 ? VALUE_AFTER_TAG : ALIGNED_VALUE_AFTER_TAG);
    }

    public int propertyLength(int p) {
        return prop.get(PROP_INTS, p, P_LEN);
    }

    /**
     * A node's properties have consecutive ids: the validator refuses a property after a child node, so no
     * other node's property can come between two of them.
     */
    public int nextProperty(int p) {
        int next = p + 1;
        return next < props && propertyOwner(next) == propertyOwner(p) ? next : NONE;
    }

    public int propertyOwner(int p) {
        return prop.get(PROP_INTS, p, P_OWNER);
    }

    /** Collects the index during the walk; its size is bounded by the struct size. */
    public static final class Builder {
        private final Records node;
        private final Records prop;
        private final NameTable names = new NameTable();
        private int nodes;
        private int props;
        private int open = NONE;
        /** Per open node, by depth (the root is 0): its last child, to append after. */
        private int[] lastChild = new int[8];
        /** The node whose property was added last: a node's properties are consecutive (see nextProperty). */
        private int lastPropOwner = NONE;
        private int depth = NONE;
        /** The name last looked up or added: the validator asks for a name, then adds its property. */
        private int lastNameOffset = NONE;
        private int lastName;
        private int shortNames;

        public Builder(int structBytes) {
            // Small to start: the struct size bounds the counts but overestimates them for value-heavy blobs.
            // Growing fourfold, 2 nodes and 4 properties reach the same sizes as 8 and 16 did one step later
            // (512 nodes, 1,024 properties for FTRACE), so only a tree of a few nodes sees a difference.
            node = new Records(NODE_INTS * Math.max(1, Math.min(2, structBytes / 8)));
            prop = new Records(PROP_INTS * Math.max(1, Math.min(4, structBytes / 12)));
        }

        public int nodeCount() {
            return nodes;
        }

        public int propertyCount() {
            return props;
        }

        public void beginNode(int tag, int name, int nameLen) {
            int id = nodes++;
            int[] c = node.add(NODE_INTS, id);
            int r = Records.base(NODE_INTS, id);
            c[r + N_TAG] = tag;
            c[r + N_NAME] = name;
            c[r + N_NAME_LEN] = nameLen;
            c[r + N_PARENT] = open;
            c[r + N_FIRST_CHILD] = NONE;
            c[r + N_NEXT_SIBLING] = NONE;
            c[r + N_FIRST_PROP] = NONE;
            if (open != NONE) {
                int last = lastChild[depth];
                if (last == NONE) {
                    node.set(NODE_INTS, open, N_FIRST_CHILD, id);
                } else {
                    node.set(NODE_INTS, last, N_NEXT_SIBLING, id);
                }
                lastChild[depth] = id;
            }
            open = id;
            if (++depth == lastChild.length) {
                lastChild = Arrays.copyOf(lastChild, depth * 2);
            }
            lastChild[depth] = NONE;
        }

        /** @return whether the innermost open node already has a child */
        public boolean openNodeHasChild() {
            return lastChild[depth] != NONE;
        }

        public void endNode() {
            open = node.get(NODE_INTS, open, N_PARENT);
            depth--;
        }

        public void property(int tag, int name, int nameLen, int value, int len) {
            int flag;
            if (value - tag == VALUE_AFTER_TAG) {
                flag = 0;
            } else if (value - tag == ALIGNED_VALUE_AFTER_TAG) {
                flag = 1;
            } else {
                throw new IllegalArgumentException("a property value starts 12 or 16 bytes after its tag, not "
                        + (value - tag));
            }
            if (name != lastNameOffset) {
                int cached = cachedNameLength(name);
                if (cached < 0) {
                    cacheNameLength(name, nameLen);
                }
            }
            int id = props++;
            int[] c = prop.add(PROP_INTS, id);
            int r = Records.base(PROP_INTS, id);
            c[r + P_TAG] = tag | flag;
            c[r + P_NAME] = lastName;
            c[r + P_NAME_LEN] = nameLen;
            c[r + P_LEN] = len;
            c[r + P_OWNER] = open;
            if (open != lastPropOwner) {
                node.set(NODE_INTS, open, N_FIRST_PROP, id);
                lastPropOwner = open;
            }
        }

        /** @return the length of the string at an absolute offset already checked and remembered, or -1 */
        public int cachedNameLength(int absOffset) {
            int id = names.find(absOffset);
            if (id == NONE) {
                return -1;
            }
            lastNameOffset = absOffset;
            lastName = id;
            return names.length[id];
        }

        /** Remembers a checked name, if it is long or among the first short ones. */
        public void cacheNameLength(int absOffset, int len) {
            lastNameOffset = absOffset;
            if (len >= LONG_NAME || shortNames < SHORT_NAMES) {
                shortNames += len < LONG_NAME ? 1 : 0;
                lastName = names.idOf(absOffset, len);
            } else {
                lastName = ~absOffset;
            }
        }

        public FdtIndex build(int structEnd, long nameBytesScanned) {
            return new FdtIndex(this, structEnd, nameBytesScanned);
        }
    }

    /**
     * Fixed-size int records in chunks of {@value #CHUNK}: a full chunk is never copied or moved. The first
     * chunk starts small and grows fourfold up to full size, so that a small blob's index stays small. The
     * record size is passed in on every call, always a constant, so that the JIT folds the arithmetic.
     */
    private static final class Records {
        private static final int SHIFT = 10;
        static final int CHUNK = 1 << SHIFT;
        private int[][] chunks = new int[4][];
        private int chunkCount = 1;
        /** The last chunk, where records are appended. */
        private int[] tail;

        Records(int firstInts) {
            tail = new int[firstInts];
            chunks[0] = tail;
        }

        /** @return the chunk holding record {@code id}, the next one, after making room for it */
        int[] add(int ints, int id) {
            int b = base(ints, id);
            if (b == tail.length || (b == 0 && id != 0)) {
                grow(ints, id);
            }
            return tail;
        }

        private void grow(int ints, int id) {
            if (id < CHUNK) {
                tail = Arrays.copyOf(tail, Math.min(CHUNK * ints, tail.length * 4));
                chunks[0] = tail;
                return;
            }
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunkCount * 2);
            }
            tail = new int[CHUNK * ints];
            chunks[chunkCount++] = tail;
        }

        /** @return the index of record {@code id}'s first int in its chunk */
        static int base(int ints, int id) {
            return (id & (CHUNK - 1)) * ints;
        }

        int get(int ints, int id, int field) {
            return chunks[id >>> SHIFT][base(ints, id) + field];
        }

        void set(int ints, int id, int field, int value) {
            chunks[id >>> SHIFT][base(ints, id) + field] = value;
        }
    }

    /**
     * Distinct name offsets, each with its length and an id in first-seen order: an open-addressing hash
     * table of ints, so a lookup neither boxes nor allocates. At most one entry per property. Kept at most a
     * quarter full: a blob of many distinct names misses on nearly every lookup, and at half full a miss
     * probed so often that MANY_NAMES validation took 1.5 times as long (16 kB for 256 names).
     */
    private static final class NameTable {
        /** Per slot: the name offset + 1 (0: empty) and its id, side by side so a probe reads one line. */
        private int[] slots = new int[16];
        private int[] offset = new int[4];
        private int[] length = new int[4];
        private int count;

        int find(int off) {
            int mask = slots.length - 2;
            for (int i = mix(off) & mask; slots[i] != 0; i = (i + 2) & mask) {
                if (slots[i] == off + 1) {
                    return slots[i + 1];
                }
            }
            return NONE;
        }

        int idOf(int off, int len) {
            int mask = slots.length - 2;
            int i = mix(off) & mask;
            for (; slots[i] != 0; i = (i + 2) & mask) {
                if (slots[i] == off + 1) {
                    return slots[i + 1];
                }
            }
            if (count == offset.length) {
                offset = Arrays.copyOf(offset, count * 2);
                length = Arrays.copyOf(length, count * 2);
            }
            int id = count++;
            offset[id] = off;
            length[id] = len;
            slots[i] = off + 1;
            slots[i + 1] = id;
            if (count * 8 > slots.length) {
                rehash();
            }
            return id;
        }

        private void rehash() {
            slots = new int[slots.length * 2];
            int mask = slots.length - 2;
            for (int id = 0; id < count; id++) {
                int i = mix(offset[id]) & mask;
                while (slots[i] != 0) {
                    i = (i + 2) & mask;
                }
                slots[i] = offset[id] + 1;
                slots[i + 1] = id;
            }
        }

        /** MurmurHash3's finalizer: offsets are regular (multiples of a name length), the slots must not be. */
        private static int mix(int x) {
            int h = x;
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            h *= 0xc2b2ae35;
            h ^= h >>> 16;
            return h << 1;
        }
    }
}
