package io.kho4j.spi;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.EncodingShape;
import io.kho4j.abi.StructLayout;
import io.kho4j.abi.SubsystemShape;
import io.kho4j.abi.VersionShape;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.internal.FdtSubtreeWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs serializers and restorers the way the handover does, and describes their ABI shape. */
public final class Subtrees {
    private static final long DETACHED_BASE = 1L << 32;
    private static final long DETACHED_SIZE = 64L << 30;

    private Subtrees() {
    }

    /**
     * Serializes one state.
     *
     * @param <S> the state type
     * @param serializer the serializer
     * @param state the state
     * @param version the version to write, one of {@code serializer.writes()}
     * @param context what to write for
     * @return the subtree
     * @throws IllegalArgumentException if the serializer does not write that version for that generation
     */
    public static <S> SerializedSubtree write(SubsystemSerializer<S> serializer, S state, CompatibleString version,
            WriteContext context) {
        return write(serializer, state, version, context, detachedMemory(context));
    }

    /**
     * Serializes one state into a machine's memory: folios the serializer allocates come from {@code memory}.
     *
     * @param <S> the state type
     * @param serializer the serializer
     * @param state the state
     * @param version the version to write, one of {@code serializer.writes()}
     * @param context what to write for
     * @param memory where out-of-blob structures go
     * @return the subtree
     * @throws IllegalArgumentException if the serializer does not write that version for that generation
     */
    public static <S> SerializedSubtree write(SubsystemSerializer<S> serializer, S state, CompatibleString version,
            WriteContext context, PreservedAllocator memory) {
        if (!serializer.writes().contains(version) || !serializer.writes(version, context.generation())) {
            throw new IllegalArgumentException("serializer \"" + serializer.name() + "\" does not write " + version
                    + " for " + context.generation() + " (it writes " + serializer.writes() + ")");
        }
        FdtSubtreeWriter out = new FdtSubtreeWriter(version, context, memory);
        serializer.write(state, out);
        return out.finish(serializer.name());
    }

    /**
     * Serializes one state in the version the serializer picks for the context's generation.
     *
     * @param <S> the state type
     * @param serializer the serializer
     * @param state the state
     * @param context what to write for
     * @return the subtree
     * @throws IllegalArgumentException if the serializer writes no version for that generation
     */
    public static <S> SerializedSubtree write(SubsystemSerializer<S> serializer, S state, WriteContext context) {
        CompatibleString version = serializer.versionFor(context.generation()).orElseThrow(() ->
                new IllegalArgumentException("serializer \"" + serializer.name() + "\" writes nothing for "
                        + context.generation()));
        return write(serializer, state, version, context);
    }

    /**
     * Heap memory for serializing with no machine behind: 64 GiB of address space from 4 GiB, of which only
     * written pages take heap. Deterministic, so the same state still gives the same bytes.
     */
    private static PreservedAllocator detachedMemory(WriteContext context) {
        PhysRange ram = new PhysRange(DETACHED_BASE, DETACHED_SIZE);
        return PreservedAllocator.over(PhysicalMemory.sparse(List.of(ram)), context.pageSize(), List.of(ram), List.of());
    }

    /**
     * Restores one subtree with a version already negotiated.
     *
     * @param <S> the state type
     * @param restorer the restorer
     * @param subtree the subtree
     * @param version one of {@code restorer.reads()}
     * @return the state
     * @throws RestoreException if the subtree is malformed
     * @throws IllegalArgumentException if the restorer does not read that version
     */
    public static <S> S restore(Restorer<S> restorer, InboundSubtree subtree, CompatibleString version)
            throws RestoreException {
        if (!restorer.reads().contains(version)) {
            throw new IllegalArgumentException("restorer \"" + restorer.name() + "\" does not read " + version);
        }
        return restorer.restore(subtree, version);
    }

    /**
     * Describes what a serializer writes, for {@link io.kho4j.abi.AbiLock}: per version, the shape of each sample
     * state's encoding on every generation it is written for (little-endian, 4 KiB pages), with generations that
     * give the same shape grouped, and the declared structure layouts.
     *
     * @param <S> the state type
     * @param serializer the serializer
     * @return its shape
     */
    public static <S> SubsystemShape describe(SubsystemSerializer<S> serializer) {
        List<VersionShape> versions = new ArrayList<>();
        List<S> samples = serializer.abiSamples();
        for (CompatibleString version : serializer.writes()) {
            List<EncodingShape> encodings = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Map<EncodingShape, Set<AbiGeneration>> byContent = new LinkedHashMap<>();
                for (AbiGeneration g : AbiGeneration.values()) {
                    if (serializer.writes(version, g)) {
                        SerializedSubtree s = write(serializer, samples.get(i), version, WriteContext.of(g));
                        EncodingShape content = new EncodingShape(i, Set.of(), s.isRaw(), s.isRaw() ? s.size() : 0,
                                s.nodes());
                        byContent.computeIfAbsent(content, k -> EnumSet.noneOf(AbiGeneration.class)).add(g);
                    }
                }
                for (Map.Entry<EncodingShape, Set<AbiGeneration>> e : byContent.entrySet()) {
                    EncodingShape c = e.getKey();
                    encodings.add(new EncodingShape(c.sample(), e.getValue(), c.raw(), c.rawSize(), c.nodes()));
                }
            }
            Map<List<StructLayout>, Set<AbiGeneration>> layouts = new LinkedHashMap<>();
            for (AbiGeneration g : AbiGeneration.values()) {
                if (serializer.writes(version, g)) {
                    List<StructLayout> declared = serializer.layouts(version, WriteContext.of(g));
                    if (!declared.isEmpty()) {
                        layouts.computeIfAbsent(declared, k -> EnumSet.noneOf(AbiGeneration.class)).add(g);
                    }
                }
            }
            List<VersionShape.Structs> structs = new ArrayList<>();
            layouts.forEach((l, g) -> structs.add(new VersionShape.Structs(g, l)));
            versions.add(new VersionShape(version, encodings, structs));
        }
        return new SubsystemShape(serializer.name(), versions);
    }
}
