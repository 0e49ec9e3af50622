package io.kho4j.benchmarks;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Full decode and walk: validate, then read every node name, property name and value byte. Compared with
 * the C harness's {@code fdt_check_full} + {@code fdt_next_node} walk, which gives the same guarantees.
 */
public class DecodeWalkBenchmark extends JmhDefaults {
    /** @param state the workload @return the walk checksum @throws FdtFormatException never: the blob is valid */
    @Benchmark
    public long validateAndWalk(FdtWorkloadState state) throws FdtFormatException {
        return TreeWalk.checksum(FdtValidator.standard().validate(state.blob));
    }
}
