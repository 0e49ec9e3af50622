package io.kho4j.benchmarks;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import org.openjdk.jmh.annotations.Benchmark;

/** {@link FdtValidator} alone, against the C harness's {@code fdt_check_full}. */
public class ValidateBenchmark extends JmhDefaults {
    /** @param state the workload @return the validated view @throws FdtFormatException never: the blob is valid */
    @Benchmark
    public ValidatedFdt validate(FdtWorkloadState state) throws FdtFormatException {
        return FdtValidator.standard().validate(state.blob);
    }
}
