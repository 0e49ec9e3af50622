package io.kho4j.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The workload under test, its call script and its blob, prepared once per trial outside the timing. */
@State(Scope.Benchmark)
public class FdtWorkloadState {
    /** Ordered from tiny to huge; the C harness runs the same list. */
    @Param({"SMALL", "FTRACE", "BIG_PROPERTY", "MANY_NODES", "MANY_NAMES"})
    public Workload workload;

    /** The writer calls that build the tree. */
    public TreeScript script;

    /** The tree in libfdt's sequential-write layout, identical to the C harness's blob. */
    public byte[] blob;

    /** Builds the script and the blob. */
    @Setup(Level.Trial)
    public void setUp() {
        script = workload.script();
        blob = script.encode();
    }
}
