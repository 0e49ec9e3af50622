package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.internal.jna.LibFdt;
import io.kho4j.internal.jna.LibFdtCheck;
import io.kho4j.testsupport.LibFdtOracle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutants of valid hand-assembled blobs, each judged by our validator and by libfdt's {@code fdt_check_full}.
 * The contract checked for every mutant:
 * <ul>
 *   <li>we throw nothing but {@link FdtFormatException};</li>
 *   <li>both accept: our canonical dump equals libfdt's view of the blob, and every dump format runs;</li>
 *   <li>both reject: same kind (libfdt's error code mapped by {@link LibFdtCheck#kindOf});</li>
 *   <li>only we reject: our exception says {@link FdtFormatException#isStricterThanLibfdt()} (a
 *       deliberate disagreement, counted per reason and printed);</li>
 *   <li>only libfdt rejects: never.</li>
 * </ul>
 * libfdt is not asked about mutants it cannot survive (see {@link LibFdtOracle#checkFull}); those are
 * counted, and we must reject them.
 */
class MutationTest {

    /** Verdicts for one category of mutants. */
    private static final class Tally {
        final String category;
        int mutants;
        int bothAccept;
        int bothReject;
        int libfdtNotAsked;
        final Map<String, Integer> deliberate = new TreeMap<>();
        final List<String> problems = new ArrayList<>();

        Tally(String category) {
            this.category = category;
        }

        void judge(String label, byte[] blob) {
            mutants++;
            ValidatedFdt ours = null;
            FdtFormatException error = null;
            try {
                ours = FdtValidator.standard().validate(blob);
            } catch (FdtFormatException e) {
                error = e;
            } catch (RuntimeException | Error e) {
                problems.add(label + ": threw " + e);
                return;
            }
            OptionalInt libfdt = LibFdtOracle.checkFull(blob);
            if (libfdt.isEmpty()) {
                libfdtNotAsked++;
                if (error == null) {
                    problems.add(label + ": accepted a blob libfdt 1.6.1 cannot survive");
                }
                return;
            }
            int rc = libfdt.getAsInt();
            if (error == null && rc == 0) {
                bothAccept++;
                String view = LibFdtOracle.canonicalView(blob);
                try {
                    String dump = CanonicalDump.toString(ours);
                    if (!dump.equals(view)) {
                        problems.add(label + ": both accept, but we read\n" + dump + "and libfdt reads\n" + view);
                    }
                    DtsFormatter.toString(ours);
                    JsonDump.toString(ours);
                } catch (DumpTooLargeException e) {
                    problems.add(label + ": " + e.getMessage());
                }
            } else if (error == null) {
                problems.add(label + ": we accept, libfdt says " + LibFdt.fdt_strerror(rc));
            } else if (rc == 0) {
                if (error.isStricterThanLibfdt()) {
                    deliberate.merge(reason(error), 1, Integer::sum);
                } else {
                    problems.add(label + ": libfdt accepts, we say " + error.getMessage());
                }
            } else {
                bothReject++;
                if (error.isStricterThanLibfdt()) {
                    if (!checkedDuringWalk(error)) {
                        problems.add(label + ": a stricter check came before libfdt's " + LibFdt.fdt_strerror(rc)
                                + ": " + error.getMessage());
                    }
                } else if (error.kind() != LibFdtCheck.kindOf(rc)) {
                    problems.add(label + ": kind " + error.kind() + " but libfdt says " + LibFdt.fdt_strerror(rc)
                            + " (" + error.getMessage() + ")");
                }
            }
        }

        /** Prints the counts (the task asks for them in the test output) and fails on any problem. */
        void report() {
            System.out.printf("[mutants] %-40s tried=%d bothAccept=%d bothReject=%d libfdtNotAsked=%d"
                    + " deliberateDisagreements=%d %s%n", category, mutants, bothAccept, bothReject, libfdtNotAsked,
                    deliberate.values().stream().mapToInt(Integer::intValue).sum(), deliberate);
            assertTrue(problems.isEmpty(), category + ": " + problems.size() + " problem(s), first ones:\n"
                    + String.join("\n", problems.subList(0, Math.min(5, problems.size()))));
        }
    }

    /**
     * The stricter checks the validator cannot postpone until libfdt's have passed: resource bounds, and a
     * property length that wraps libfdt's offset arithmetic (after which libfdt's verdict rests on misread
     * bytes, so no later check of ours could match it anyway).
     */
    private static boolean checkedDuringWalk(FdtFormatException e) {
        return e.kind() == FdtFormatException.Kind.LIMIT_EXCEEDED || e.detail().contains("wraps libfdt");
    }

    /** A stable name for a deliberate disagreement: the kind and the start of the message. */
    private static String reason(FdtFormatException e) {
        String[] words = e.detail().replaceAll("[0-9]+", "N").split(" ");
        return e.kind() + ": " + String.join(" ", Arrays.copyOf(words, Math.min(4, words.length)));
    }

    @Test
    void theBaseBlobsAreValidForBothReaders() throws Exception {
        for (int version : new int[] {2, 3, 16, 17}) {
            byte[] blob = RawFdt.khoRoot(version).build();
            ValidatedFdt fdt = FdtValidator.standard().validate(blob);
            assertEquals(OptionalInt.of(0), LibFdtOracle.checkFull(blob), "version " + version);
            assertEquals(LibFdtOracle.canonicalView(blob), CanonicalDump.toString(fdt), "version " + version);
        }
    }

    @Test
    void everyTruncationOfAValidBlobIsTruncated() {
        byte[] blob = RawFdt.khoRoot(17).build();
        Tally t = new Tally("truncated array (v17)");
        for (int len = 0; len < blob.length; len++) {
            byte[] cut = Arrays.copyOf(blob, len);
            t.judge("length " + len, cut);
            FdtFormatException e = org.junit.jupiter.api.Assertions.assertThrows(FdtFormatException.class,
                    () -> FdtValidator.standard().validate(cut));
            assertEquals(FdtFormatException.Kind.TRUNCATED, e.kind(), "length " + len);
        }
        t.report();
    }

    @Test
    void everyTruncationWithAMatchingTotalsize() {
        byte[] blob = RawFdt.khoRoot(17).build();
        Tally t = new Tally("truncated, totalsize patched (v17)");
        for (int len = 40; len < blob.length; len++) {
            byte[] cut = Arrays.copyOf(blob, len);
            RawFdt.put32(cut, RawFdt.TOTALSIZE, len);
            t.judge("length " + len, cut);
        }
        t.report();
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {2, 3, 16, 17})
    void everySingleBitFlipInTheHeader(int version) {
        byte[] blob = RawFdt.khoRoot(version).build();
        flipEveryBit("header bit flips (v" + version + ")", blob, 0, RawFdt.headerSize(version));
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {2, 3, 16, 17})
    void everySingleBitFlipInTheReservationMap(int version) {
        RawFdt.Blob b = RawFdt.khoRoot(version);
        byte[] blob = b.build();
        flipEveryBit("reservation map bit flips (v" + version + ")", blob, b.rsvOff, b.structOff);
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {2, 3, 16, 17})
    void everySingleBitFlipInTheStructBlock(int version) {
        RawFdt.Blob b = RawFdt.khoRoot(version);
        byte[] blob = b.build();
        flipEveryBit("struct block bit flips (v" + version + ")", blob, b.structOff, b.stringsOff);
    }

    @Test
    void everySingleBitFlipInTheStringsBlock() {
        RawFdt.Blob b = RawFdt.khoRoot(17);
        byte[] blob = b.build();
        flipEveryBit("strings block bit flips (v17)", blob, b.stringsOff, blob.length);
    }

    private static void flipEveryBit(String category, byte[] blob, int from, int to) {
        Tally t = new Tally(category);
        for (int i = from; i < to; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] m = Arrays.copyOf(blob, blob.length);
                m[i] ^= (byte) (1 << bit);
                t.judge("byte " + i + " bit " + bit, m);
            }
        }
        t.report();
    }

    static LongStream seeds() {
        return LongStream.range(0, 8).map(i -> 0x6b686f34L * 1000 + i);
    }

    /** Values that matter to the format: tokens, zero, all-ones, small and huge lengths. */
    private static final int[] INTERESTING = {0, 1, 2, 3, 4, 9, 0x10, 0x11, 0x28, 0x7fffffff, 0x80000000,
        0xfffffff8, 0xfffffffc, 0xffffffff};

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomWordAndByteOverwrites(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int version = new int[] {2, 3, 16, 17, 17, 17}[rnd.nextInt(6)];
        byte[] blob = RawFdt.khoRoot(version).build();
        Tally t = new Tally("random overwrites (seed " + seed + ", v" + version + ")");
        for (int n = 0; n < 400; n++) {
            byte[] m = Arrays.copyOf(blob, blob.length);
            StringBuilder label = new StringBuilder("seed " + seed + " mutant " + n + ":");
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                if (rnd.nextBoolean()) {
                    int at = rnd.nextInt(m.length / 4) * 4;
                    int v = INTERESTING[rnd.nextInt(INTERESTING.length)];
                    RawFdt.put32(m, at, v);
                    label.append(String.format(" word@%d=0x%x", at, v));
                } else {
                    int at = rnd.nextInt(m.length);
                    m[at] = (byte) rnd.nextInt(256);
                    label.append(String.format(" byte@%d=0x%02x", at, m[at] & 0xff));
                }
            }
            t.judge(label.toString(), m);
        }
        t.report();
    }

    // ---- header field edits, token edits and splices (issue 8's list) ----

    /** Header fields that hold an offset or a size, with the first version that has each. */
    private static final int[][] LAYOUT_FIELDS = {{RawFdt.TOTALSIZE, 1}, {RawFdt.OFF_STRUCT, 1},
        {RawFdt.OFF_STRINGS, 1}, {RawFdt.OFF_RSVMAP, 1}, {RawFdt.SIZE_STRINGS, 3}, {RawFdt.SIZE_STRUCT, 17}};

    /**
     * Each offset or size field set to values near its own, to every other field's value (so blocks overlap
     * or swap), to the block boundaries, and to the interesting values.
     */
    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {2, 3, 16, 17})
    void everyOffsetAndSizeFieldEdit(int version) {
        RawFdt.Blob b = RawFdt.khoRoot(version);
        byte[] blob = b.build();
        Tally t = new Tally("offset/size field edits (v" + version + ")");
        for (int[] field : LAYOUT_FIELDS) {
            if (version < field[1]) {
                continue;
            }
            int own = RawFdt.get32(blob, field[0]);
            java.util.Set<Integer> values = new java.util.TreeSet<>();
            for (int d : new int[] {-16, -9, -8, -4, -3, -1, 1, 3, 4, 8, 9, 16}) {
                values.add(own + d);
            }
            for (int[] other : LAYOUT_FIELDS) {
                values.add(RawFdt.get32(blob, other[0]));
            }
            for (int v : new int[] {b.rsvOff, b.structOff, b.stringsOff, blob.length, RawFdt.headerSize(version)}) {
                values.add(v);
            }
            for (int v : INTERESTING) {
                values.add(v);
            }
            for (int v : values) {
                if (v != own) {
                    t.judge(String.format("field @%d = 0x%x", field[0], v), RawFdt.patch32(blob, field[0], v));
                }
            }
        }
        t.report();
    }

    /** @return the offsets of the tokens of a valid blob's struct block (version 16+: no value alignment) */
    private static List<Integer> tokens(byte[] blob) {
        List<Integer> out = new ArrayList<>();
        int pos = RawFdt.get32(blob, RawFdt.OFF_STRUCT);
        while (true) {
            out.add(pos);
            int tag = RawFdt.get32(blob, pos);
            if (tag == RawFdt.END) {
                return out;
            } else if (tag == RawFdt.BEGIN_NODE) {
                int nul = pos + 4;
                while (blob[nul] != 0) {
                    nul++;
                }
                pos = (nul + 4) & ~3;
            } else if (tag == RawFdt.PROP) {
                pos = (pos + 12 + RawFdt.get32(blob, pos + 4) + 3) & ~3;
            } else {
                pos += 4;
            }
        }
    }

    /** Tokens and non-tokens put where each token stands: every structural confusion one word can cause. */
    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {16, 17})
    void everyTokenReplacedByEveryOtherToken(int version) {
        byte[] blob = RawFdt.khoRoot(version).build();
        Tally t = new Tally("token replacements (v" + version + ")");
        for (int at : tokens(blob)) {
            for (int token : new int[] {0, RawFdt.BEGIN_NODE, RawFdt.END_NODE, RawFdt.PROP, RawFdt.NOP, 5, 8,
                RawFdt.END, 0xd00dfeed}) {
                if (token != RawFdt.get32(blob, at)) {
                    t.judge(String.format("token @%d = %d", at, token), RawFdt.patch32(blob, at, token));
                }
            }
        }
        t.report();
    }

    /**
     * A token inserted before, or removed at, every token position, with the struct size, strings offset and
     * totalsize adjusted so that only the token stream is wrong (a second END_NODE, a missing BEGIN_NODE...).
     */
    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {16, 17})
    void everyTokenInsertedOrDeleted(int version) {
        byte[] blob = RawFdt.khoRoot(version).build();
        Tally t = new Tally("token insertions/deletions (v" + version + ")");
        for (int at : tokens(blob)) {
            for (int token : new int[] {RawFdt.BEGIN_NODE, RawFdt.END_NODE, RawFdt.PROP, RawFdt.NOP, RawFdt.END}) {
                t.judge(String.format("insert %d @%d", token, at), resizeStruct(blob, at, 0, RawFdt.be32(token)));
            }
            if (RawFdt.get32(blob, at) != RawFdt.PROP) {
                t.judge(String.format("delete token @%d", at), resizeStruct(blob, at, 4, new byte[0]));
            }
        }
        t.report();
    }

    /**
     * Replaces {@code cut} bytes at {@code at} (inside the struct block, which precedes the strings block in a
     * RawFdt blob) with {@code insert}, and moves what follows, fixing the header's sizes and offsets.
     */
    private static byte[] resizeStruct(byte[] blob, int at, int cut, byte[] insert) {
        int delta = insert.length - cut;
        byte[] out = new byte[blob.length + delta];
        System.arraycopy(blob, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(blob, at + cut, out, at + insert.length, blob.length - at - cut);
        RawFdt.put32(out, RawFdt.TOTALSIZE, RawFdt.get32(blob, RawFdt.TOTALSIZE) + delta);
        RawFdt.put32(out, RawFdt.OFF_STRINGS, RawFdt.get32(blob, RawFdt.OFF_STRINGS) + delta);
        if (RawFdt.get32(blob, RawFdt.VERSION) >= 17) {
            RawFdt.put32(out, RawFdt.SIZE_STRUCT, RawFdt.get32(blob, RawFdt.SIZE_STRUCT) + delta);
        }
        return out;
    }

    /**
     * Splices: a run of the blob copied over another place (overwrite), or duplicated into the struct block with
     * the header fixed (insert), word-aligned half of the time.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomSplices(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int version = new int[] {16, 17, 17}[rnd.nextInt(3)];
        byte[] blob = RawFdt.khoRoot(version).build();
        List<Integer> tokens = tokens(blob);
        int structEnd = tokens.get(tokens.size() - 1) + 4;
        Tally t = new Tally("splices (seed " + seed + ", v" + version + ")");
        for (int n = 0; n < 300; n++) {
            boolean aligned = rnd.nextBoolean();
            int from = rnd.nextInt(blob.length);
            int len = 1 + rnd.nextInt(Math.min(64, blob.length - from));
            if (aligned) {
                from &= ~3;
                len = Math.max(4, len & ~3);
                len = Math.min(len, blob.length - from);
            }
            byte[] piece = Arrays.copyOfRange(blob, from, from + len);
            if (rnd.nextBoolean()) {
                int to = rnd.nextInt(blob.length - len + 1);
                byte[] m = Arrays.copyOf(blob, blob.length);
                System.arraycopy(piece, 0, m, to, len);
                t.judge(String.format("seed %d: copy [%d,+%d) over @%d", seed, from, len, to), m);
            } else {
                int at = aligned ? tokens.get(rnd.nextInt(tokens.size())) : RawFdt.get32(blob, RawFdt.OFF_STRUCT)
                        + rnd.nextInt(structEnd - RawFdt.get32(blob, RawFdt.OFF_STRUCT));
                t.judge(String.format("seed %d: insert [%d,+%d) @%d", seed, from, len, at),
                        resizeStruct(blob, at, 0, piece));
            }
        }
        t.report();
    }
}
