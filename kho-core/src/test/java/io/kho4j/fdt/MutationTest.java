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
                String dump = CanonicalDump.toString(ours);
                if (!dump.equals(view)) {
                    problems.add(label + ": both accept, but we read\n" + dump + "and libfdt reads\n" + view);
                }
                DtsFormatter.toString(ours);
                JsonDump.toString(ours);
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
}
