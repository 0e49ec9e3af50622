package io.kho4j.fuzz;

import io.kho4j.testsupport.Allocations;

/**
 * The resource half of every fuzz target's contract: the code under test may allocate at most a bound the
 * target derives from its input size, and while fuzzing (JAZZER_FUZZ set) may take at most {@link #MAX_NANOS}
 * per input. Regression runs check only allocation, so the normal suite has no timing threshold; libFuzzer's
 * {@code -timeout} (the {@code fuzz} profile in kho-core's pom) catches an input that never returns.
 */
final class FuzzBudget {
    /** Far above anything a small input should need, even on a loaded shared machine. */
    static final long MAX_NANOS = 10_000_000_000L;
    /**
     * While fuzzing, Jazzer's comparison hooks allocate on the fuzzed thread at every hooked String and array
     * comparison (to feed its dictionary), which the allocation counter cannot tell from the code's own: up to
     * 50 times the code's own allocation for a comparison-heavy parser. The allocations worth finding (a length
     * field believed) are orders of magnitude above any such factor; regression runs apply the bound as is.
     */
    private static final int FUZZING_ALLOCATION_FACTOR = 64;

    private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null
            && !System.getenv("JAZZER_FUZZ").isEmpty();

    private FuzzBudget() {
    }

    /**
     * Runs {@code body} and fails if it allocated more than its bound or, while fuzzing, ran too long.
     * The body catches the exceptions its target allows; anything else escapes and is a finding. A body over the
     * bound runs a second time, so it must not depend on having run before.
     *
     * @param what names the code, for the failure message
     * @param bound the allocation bound (scaled while fuzzing, see {@link #FUZZING_ALLOCATION_FACTOR})
     * @param body the code
     */
    static void check(String what, long bound, Runnable body) {
        long maxBytes = FUZZING ? FUZZING_ALLOCATION_FACTOR * bound : bound;
        long t0 = System.nanoTime();
        long bytes = Allocations.measure(body);
        long nanos = System.nanoTime() - t0;
        if (bytes > maxBytes) {
            // The first run through a class also counts loading (and Jazzer instrumenting) it: measure again.
            bytes = Allocations.measure(body);
        }
        if (bytes > maxBytes) {
            throw new AssertionError(what + " allocated " + bytes + " bytes, above its bound of " + maxBytes);
        }
        if (FUZZING && nanos > MAX_NANOS) {
            throw new AssertionError(what + " took " + nanos / 1_000_000 + " ms, above " + MAX_NANOS / 1_000_000);
        }
    }
}
