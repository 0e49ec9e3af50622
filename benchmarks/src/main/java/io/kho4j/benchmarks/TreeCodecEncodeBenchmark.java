package io.kho4j.benchmarks;

import io.kho4j.fdt.FdtWriter;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.TreeCodec;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encode of the {@link KhoNode} model with {@link TreeCodec}, against libfdt's sequential writer: into a new
 * array of the exact size it computes first, and into a reused buffer ({@link TreeCodec#encodeInto}).
 */
public class TreeCodecEncodeBenchmark extends JmhDefaults {

    /** The workload as an immutable tree, built outside the timing. */
    @State(Scope.Benchmark)
    public static class Tree {
        KhoNode root;

        /** @param workload the workload to model */
        @Setup(Level.Trial)
        public void setUp(FdtWorkloadState workload) {
            root = workload.script.toTree();
        }
    }

    /** @param tree the tree @return the blob */
    @Benchmark
    public byte[] treeCodec(Tree tree) {
        return TreeCodec.encode(tree.root, List.of(), FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL));
    }

    /** @param tree the tree @param out the reused buffer @return the blob's size */
    @Benchmark
    public int treeCodecIntoBuffer(Tree tree, FdtWriterEncodeBenchmark.OutputBuffer out) {
        return TreeCodec.encodeInto(tree.root, List.of(), FdtWriter.over(FdtWriter.Layout.LIBFDT_SEQUENTIAL, out.bytes));
    }
}
