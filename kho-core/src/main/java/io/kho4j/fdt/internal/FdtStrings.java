package io.kho4j.fdt.internal;

import java.util.Arrays;

/**
 * The strings block. Each distinct name is stored once; a name that is the tail of a stored one shares
 * its bytes (dtc {@code stringtable_insert}, libfdt {@code fdt_find_string_}). Every tail of every
 * stored name is indexed in an open-addressing table keyed by {@link String#hashCode()} (computed over
 * the bytes, which are the chars of an ISO-8859-1 name), so that a lookup by name neither encodes nor
 * allocates, and a hit needs no further validation: only checked names are stored.
 *
 * <p>dtc order ({@code prepend == false}): names appended in first-use order, the first (lowest)
 * occurrence of a tail wins, offsets are final at once. libfdt fdt_sw order ({@code prepend == true}):
 * each new name goes in front, so the newest occurrence of a tail wins; until the table is written an offset
 * counts back from the table's end (negative, as libfdt stores it), and {@link #writeTo} makes the offsets
 * in the struct block final as libfdt's {@code fdt_finish} does: by walking the tokens.
 */
public final class FdtStrings {
    /** What {@link #find} returns for a name not in the table. */
    public static final int ABSENT = Integer.MIN_VALUE;
    private static final int EMPTY = -1;
    private static final int RECENT = 16;

    private final boolean prepend;
    /** Names in insertion order, each with its NUL. */
    private byte[] bytes = new byte[64];
    private int len;
    private int[] nameStart = new int[8];
    private int names;
    /** Per slot: where the tail starts in {@link #bytes} ({@link #EMPTY} if none), its hash, its offset. */
    private int[] slotPos;
    private int[] slotHash;
    private int[] slotOffset;
    /** Per slot: whether {@link #find} or {@link #add} has handed its offset out as a name's. */
    private boolean[] slotHandedOut;
    private int used;
    /** Whether a newer tail took over a slot whose offset was already handed out (libfdt order only). */
    private boolean handedOutOffsetMoved;
    /**
     * The last names looked up, by identity, with their offsets: a tree repeats a few names (the same String
     * objects, mostly literals) on every node, and an identity hit skips the probe and the byte compare.
     */
    private final String[] recentName = new String[RECENT];
    private final int[] recentOffset = new int[RECENT];

    /** @param prepend libfdt fdt_sw order (newest name first) rather than dtc order */
    public FdtStrings(boolean prepend) {
        this.prepend = prepend;
        allocateSlots(64);
    }

    /** @return the name's offset (raw, for libfdt order), or {@link #ABSENT} */
    public int find(String name) {
        int h = name.hashCode();
        int r = (h ^ (h >>> 16)) & (RECENT - 1);
        if (recentName[r] == name) {
            return recentOffset[r];
        }
        int mask = slotPos.length - 1;
        for (int i = mix(h) & mask; slotPos[i] != EMPTY; i = (i + 1) & mask) {
            if (slotHash[i] == h && tailEquals(slotPos[i], name)) {
                slotHandedOut[i] = true;
                recentName[r] = name;
                recentOffset[r] = slotOffset[i];
                return slotOffset[i];
            }
        }
        return ABSENT;
    }

    /**
     * @return the name's offset (raw, for libfdt order), storing it first if {@link #find} does not know it
     * @throws IllegalArgumentException as {@link #add}
     */
    public int findOrAdd(String name) {
        int offset = find(name);
        return offset == ABSENT ? add(name) : offset;
    }

    /**
     * Stores a name that {@link #find} did not know.
     *
     * @return its offset (raw, for libfdt order)
     * @throws IllegalArgumentException if the name is not ISO-8859-1 or holds a NUL
     */
    public int add(String name) {
        requireLatin1(name, "property name");
        int n = name.length();
        if (len + n + 1 > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + n + 1));
        }
        int start = len;
        for (int i = 0; i < n; i++) {
            bytes[start + i] = (byte) name.charAt(i);
        }
        bytes[start + n] = 0;
        len += n + 1;
        if (names == nameStart.length) {
            nameStart = Arrays.copyOf(nameStart, names * 2);
        }
        nameStart[names++] = start;
        // Tail hashes from the shortest (the empty tail: hash 0) to the whole name, as String.hashCode.
        int h = 0;
        int power = 1;
        int base = prepend ? -len : start;
        for (int k = n; k >= 0; k--) {
            if (k < n) {
                h += (bytes[start + k] & 0xff) * power;
                power *= 31;
            }
            int slot = index(start + k, h, base + k);
            if (k == 0) {
                slotHandedOut[slot] = true;
            }
        }
        return base;
    }

    /**
     * @return whether every offset handed out so far is still the one a lookup gives now: then a second pass
     *     over the same names in the same order can look them up in this finished table and get the same
     *     offsets. Always true in dtc order (the first occurrence of a tail wins); in libfdt order a name
     *     that turns out to be the tail of a later, newer name moves to it, as libfdt's lookup does.
     */
    public boolean handedOutOffsetsFinal() {
        return !handedOutOffsetMoved;
    }

    /** ISO-8859-1 (each char one byte, as the blob stores it) and no NUL, which would end the name early. */
    public static void requireLatin1(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0xff) {
                throw new IllegalArgumentException(what + " must be ISO-8859-1 without NUL: \"" + s + "\"");
            }
        }
    }

    /** @return whether this is libfdt fdt_sw order (newest name first) */
    public boolean prepend() {
        return prepend;
    }

    /** @return the table's size in bytes */
    public int size() {
        return len;
    }

    /**
     * Writes the table at {@code at}, right after the struct block {@code [structOff, at)}, and makes every
     * name offset in that block final.
     */
    public void writeTo(byte[] blob, int structOff, int at) {
        if (!prepend) {
            System.arraycopy(bytes, 0, blob, at, len);
            return;
        }
        int out = at;
        for (int i = names - 1; i >= 0; i--) {
            int end = i + 1 < names ? nameStart[i + 1] : len;
            System.arraycopy(bytes, nameStart[i], blob, out, end - nameStart[i]);
            out += end - nameStart[i];
        }
        finalNameOffsets(blob, structOff, at);
    }

    /**
     * libfdt's {@code fdt_finish}: visits every FDT_PROP of the writer's own, well-formed struct block as
     * {@code fdt_next_tag} does and adds the table's size to its name offset. A walk instead of a list of
     * positions: no memory per property, and the tokens were just written, so they are still in cache.
     */
    private void finalNameOffsets(byte[] blob, int pos, int end) {
        while (pos < end) {
            int tag = FdtLayout.getU32(blob, pos);
            if (tag == FdtLayout.FDT_PROP) {
                int valueLength = FdtLayout.getU32(blob, pos + 4);
                FdtLayout.putU32(blob, pos + 8, len + FdtLayout.getU32(blob, pos + 8));
                pos += FdtLayout.PROP_HEADER_SIZE + (int) FdtLayout.tagAlign(valueLength);
            } else if (tag == FdtLayout.FDT_BEGIN_NODE) {
                int nul = pos + FdtLayout.TAG_SIZE;
                while (blob[nul] != 0) {
                    nul++;
                }
                pos = (int) FdtLayout.tagAlign(nul + 1);
            } else {
                pos += FdtLayout.TAG_SIZE; // FDT_END_NODE, FDT_END
            }
        }
    }

    /** @return the tail's slot */
    private int index(int tailPos, int h, int offset) {
        int mask = slotPos.length - 1;
        int i = mix(h) & mask;
        for (; slotPos[i] != EMPTY; i = (i + 1) & mask) {
            if (slotHash[i] == h && storedTailsEqual(slotPos[i], tailPos)) {
                if (prepend) {
                    slotPos[i] = tailPos;
                    slotOffset[i] = offset;
                    handedOutOffsetMoved |= slotHandedOut[i];
                    Arrays.fill(recentName, null); // a name found before now has a newer offset
                }
                return i;
            }
        }
        slotPos[i] = tailPos;
        slotHash[i] = h;
        slotOffset[i] = offset;
        if (++used * 2 > slotPos.length) {
            rehash();
            return slotOf(tailPos, h);
        }
        return i;
    }

    private int slotOf(int tailPos, int h) {
        int mask = slotPos.length - 1;
        int i = mix(h) & mask;
        while (slotPos[i] != tailPos) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private boolean tailEquals(int p, String name) {
        int n = name.length();
        for (int i = 0; i < n; i++) {
            int b = bytes[p + i] & 0xff;
            if (b == 0 || b != name.charAt(i)) {
                return false;
            }
        }
        return bytes[p + n] == 0;
    }

    private boolean storedTailsEqual(int p, int q) {
        while (bytes[p] == bytes[q]) {
            if (bytes[p] == 0) {
                return true;
            }
            p++;
            q++;
        }
        return false;
    }

    private void allocateSlots(int capacity) {
        slotPos = new int[capacity];
        slotHash = new int[capacity];
        slotOffset = new int[capacity];
        slotHandedOut = new boolean[capacity];
        Arrays.fill(slotPos, EMPTY);
    }

    private void rehash() {
        int[] pos = slotPos;
        int[] hash = slotHash;
        int[] offset = slotOffset;
        boolean[] handedOut = slotHandedOut;
        allocateSlots(pos.length * 2);
        int mask = slotPos.length - 1;
        for (int s = 0; s < pos.length; s++) {
            if (pos[s] != EMPTY) {
                int i = mix(hash[s]) & mask;
                while (slotPos[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                slotPos[i] = pos[s];
                slotHash[i] = hash[s];
                slotOffset[i] = offset[s];
                slotHandedOut[i] = handedOut[s];
            }
        }
    }

    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
