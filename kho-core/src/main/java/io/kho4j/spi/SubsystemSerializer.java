package io.kho4j.spi;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import java.util.List;
import java.util.Optional;

/**
 * Writes one subsystem's state as a KHO subtree. Implementations are discovered with {@link java.util.ServiceLoader}
 * ({@code provides io.kho4j.spi.SubsystemSerializer with ...}) or registered in a {@link SubsystemRegistry}.
 *
 * <p>The versions a serializer writes are its ABI: once a version has shipped, its layout must not change
 * (kho-abi.md §5: "Any modification ... requires incrementing the version number"). {@link #abiSamples()} and
 * {@link #layouts} feed the {@link io.kho4j.abi.AbiLock} that enforces this; the kho-testkit's
 * {@code SerializerContractTest} checks it in a build.
 *
 * @param <S> the state type
 */
public interface SubsystemSerializer<S> {

    /** @return the subtree node name under the KHO root ({@code "memblock"}, {@code "LUO"}); unique per handover */
    String name();

    /** @return every compatible version this serializer can write */
    List<CompatibleString> writes();

    /**
     * @param version one of {@link #writes()}
     * @param generation a KHO generation
     * @return whether this version is written for that generation; by default every version for every
     *     generation (a version whose output is a raw blob must exclude the kho-v1 generations)
     */
    default boolean writes(CompatibleString version, AbiGeneration generation) {
        return true;
    }

    /**
     * @param generation the handover's generation
     * @return the version to write for it: by default the highest of {@link #writes()} written for that generation
     */
    default Optional<CompatibleString> versionFor(AbiGeneration generation) {
        CompatibleString best = null;
        for (CompatibleString v : writes()) {
            if (writes(v, generation) && (best == null || v.version() > best.version())) {
                best = v;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Writes {@code state} in the layout of {@code out.version()}. Must be deterministic: the same state gives
     * the same bytes.
     *
     * @param state the state
     * @param out where to write; its {@link SubtreeWriter#version()} says which layout
     * @throws IllegalArgumentException if the state cannot be expressed in that version
     */
    void write(S state, SubtreeWriter out);

    /**
     * @return representative states whose encodings {@code kho abi lock} records; empty means only the compatible
     *     strings and {@link #layouts} are locked
     */
    default List<S> abiSamples() {
        return List.of();
    }

    /**
     * @param version one of {@link #writes()}
     * @param context the generation, byte order and page size
     * @return the C structures this version writes (raw blobs, or memory its blob points at), for the ABI lock
     */
    default List<StructLayout> layouts(CompatibleString version, WriteContext context) {
        return List.of();
    }
}
