package io.kho4j.benchmarks;

import io.kho4j.fdt.FdtWriter;
import org.openjdk.jmh.annotations.Benchmark;

/** Sequential encode with {@link FdtWriter}, against libfdt's {@code fdt_create} … {@code fdt_finish}. */
public class FdtWriterEncodeBenchmark extends JmhDefaults {
    /** @param state the workload @return the blob, so that the work is not dead code */
    @Benchmark
    public byte[] fdtWriter(FdtWorkloadState state) {
        FdtWriter writer = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        state.script.writeTo(writer);
        return writer.finish();
    }
}
