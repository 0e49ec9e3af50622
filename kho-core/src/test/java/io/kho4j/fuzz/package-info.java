/**
 * Coverage-guided fuzz targets (Jazzer {@code @FuzzTest}) for every decoder of untrusted input. Each target
 * states its contract in its javadoc: only the decoder's typed exception may escape, and allocation stays within
 * a bound derived from the input size ({@link io.kho4j.fuzz.FuzzBudget}); several also check a round trip.
 *
 * <p>In the normal test run each target executes once per input under
 * {@code src/test/resources/io/kho4j/fuzz/<Target>Inputs/<method>/}: the hand-made {@code seed-*} inputs
 * ({@link io.kho4j.fuzz.FuzzSeeds}) and the inputs of every finding, kept as regression cases. To fuzz one
 * target (libFuzzer in-process; new corpus entries go to {@code kho-core/.cifuzz-corpus/}, a finding's input
 * to its inputs directory, and the run stops there):
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl kho-core test -Dtest='FdtFuzzTest#validateAndRead' -Djazzer.max_duration=10m
 * </pre>
 * One target per run: Jazzer fuzzes a single {@code @FuzzTest} per JVM.
 */
package io.kho4j.fuzz;
