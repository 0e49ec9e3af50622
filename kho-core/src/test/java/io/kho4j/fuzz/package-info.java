/**
 * Coverage-guided fuzz targets (Jazzer {@code @FuzzTest}) for every decoder of untrusted input. Each target
 * states its contract in its javadoc: only the decoder's typed exception may escape, and allocation stays within
 * a bound derived from the input size ({@link io.kho4j.fuzz.FuzzBudget}); several also check a round trip.
 *
 * <p>In the normal test run each target executes once per input under
 * {@code src/test/resources/io/kho4j/fuzz/<Target>Inputs/<method>/}: the hand-made {@code seed-*} inputs
 * ({@link io.kho4j.fuzz.FuzzSeeds}), the inputs of every finding, kept as regression cases, and {@code corpus/}:
 * the fuzzing corpus reduced to the inputs that each add an edge (libFuzzer {@code -merge=1 -use_counters=0}).
 * All of them, about 460, run in under ten seconds, most of it Jazzer installing its agent. To fuzz one
 * target (libFuzzer in-process; new corpus entries go to {@code kho-core/.cifuzz-corpus/}, a finding's input
 * to its inputs directory, and the run stops there):
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl kho-core test -Dtest='FdtFuzzTest#validateAndRead' -Djazzer.max_duration=10m
 * </pre>
 * One target per run: Jazzer fuzzes a single {@code @FuzzTest} per JVM. To reduce a corpus again (from
 * kho-core, with {@code target/cp.txt} as {@link io.kho4j.fuzz.FuzzSeeds} makes it):
 * <pre>
 * JAZZER_FUZZ=1 java -cp target/classes:target/test-classes:$(cat target/cp.txt) com.code_intelligence.jazzer.Jazzer \
 *   --target_class=io.kho4j.fuzz.FdtFuzzTest --target_method=validateAndRead -merge=1 -use_counters=0 NEW_DIR \
 *   src/test/resources/io/kho4j/fuzz/FdtFuzzTestInputs/validateAndRead .cifuzz-corpus/io.kho4j.fuzz.FdtFuzzTest/validateAndRead
 * </pre>
 * then keep the files of {@code NEW_DIR} that are not already inputs, under {@code corpus/} (JAZZER_FUZZ scales
 * {@link io.kho4j.fuzz.FuzzBudget}'s bounds for the instrumented run).
 */
package io.kho4j.fuzz;
