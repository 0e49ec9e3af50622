package io.kho4j.benchmarks;

import com.sun.jna.Memory;
import io.kho4j.internal.jna.LibFdt;
import io.kho4j.internal.jna.LibFdtCheck;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * libfdt's {@code fdt_check_full} through JNA: on a blob already in native memory (the call cost alone),
 * through {@link LibFdtCheck#checkFullCode} on a direct buffer (checked in place), and on a heap buffer as
 * {@link io.kho4j.fdt.FdtValidator#withLibfdt()} pays it, copying the blob out first.
 */
public class LibfdtCheckFullBenchmark extends JmhDefaults {

    /** The blob in native memory, as a direct buffer and as a heap buffer. */
    @State(Scope.Benchmark)
    public static class NativeBlob {
        Memory memory;
        ByteBuffer direct;
        ByteBuffer heap;
        int length;

        /** @param workload the workload whose blob to load */
        @Setup(Level.Trial)
        public void setUp(FdtWorkloadState workload) {
            LibFdtCheck.ensureAvailable();
            length = workload.blob.length;
            memory = new Memory(length);
            memory.write(0, workload.blob, 0, length);
            direct = ByteBuffer.allocateDirect(length).put(workload.blob);
            heap = ByteBuffer.wrap(workload.blob);
        }

        /** Frees the native copy. */
        @TearDown(Level.Trial)
        public void tearDown() {
            memory.close();
        }
    }

    /** @param blob the blob @return libfdt's return code */
    @Benchmark
    public int jnaCheckFullInPlace(NativeBlob blob) {
        return LibFdt.fdt_check_full(blob.memory, blob.length);
    }

    /** @param blob the blob @return libfdt's return code */
    @Benchmark
    public int jnaCheckFullDirectBuffer(NativeBlob blob) {
        return LibFdtCheck.checkFullCode(blob.direct);
    }

    /** @param blob the blob @return libfdt's return code */
    @Benchmark
    public int jnaCheckFullWithCopy(NativeBlob blob) {
        return LibFdtCheck.checkFullCode(blob.heap);
    }
}
