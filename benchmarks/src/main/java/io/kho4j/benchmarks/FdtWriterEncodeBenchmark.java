package io.kho4j.benchmarks;

import io.kho4j.fdt.FdtWriter;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Sequential encode with {@link FdtWriter}, against libfdt's {@code fdt_create} … {@code fdt_finish}, and the
 * floor for any encoder that returns a new {@code byte[]}: allocating the finished blob and copying it in.
 */
public class FdtWriterEncodeBenchmark extends JmhDefaults {
    /** @param state the workload @return the blob, so that the work is not dead code */
    @Benchmark
    public byte[] fdtWriter(FdtWorkloadState state) {
        FdtWriter writer = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        state.script.writeTo(writer);
        return writer.finish();
    }

    /** @param state the workload @return a fresh copy of the blob: the fresh memory every new blob costs */
    @Benchmark
    public byte[] baselineNewBlob(FdtWorkloadState state) {
        return Arrays.copyOf(state.blob, state.blob.length);
    }
}
