package io.kho4j.benchmarks;

import io.kho4j.fdt.FdtWriter;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sequential encode with {@link FdtWriter}, against libfdt's {@code fdt_create} … {@code fdt_finish}: into a
 * reused, exactly sized buffer as the C harness does ({@link FdtWriter#over}), and into a new array
 * ({@link FdtWriter#finish}), beside the floor for any encoder that returns a new {@code byte[]}: allocating
 * the finished blob and copying it in.
 */
public class FdtWriterEncodeBenchmark extends JmhDefaults {

    /** One buffer of exactly the blob's size per thread, reused by every call as the C harness reuses its own. */
    @State(Scope.Thread)
    public static class OutputBuffer {
        byte[] bytes;

        /** @param workload the workload whose blob size to allocate */
        @Setup(Level.Trial)
        public void setUp(FdtWorkloadState workload) {
            bytes = new byte[workload.blob.length];
        }
    }

    /** @param state the workload @return the blob, so that the work is not dead code */
    @Benchmark
    public byte[] fdtWriter(FdtWorkloadState state) {
        FdtWriter writer = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        state.script.writeTo(writer);
        return writer.finish();
    }

    /** @param state the workload @param out the reused buffer @return the blob's size */
    @Benchmark
    public int fdtWriterIntoBuffer(FdtWorkloadState state, OutputBuffer out) {
        FdtWriter writer = FdtWriter.over(FdtWriter.Layout.LIBFDT_SEQUENTIAL, out.bytes);
        state.script.writeTo(writer);
        return writer.finishInBuffer();
    }

    /** @param state the workload @return a fresh copy of the blob: the fresh memory every new blob costs */
    @Benchmark
    public byte[] baselineNewBlob(FdtWorkloadState state) {
        return Arrays.copyOf(state.blob, state.blob.length);
    }
}
