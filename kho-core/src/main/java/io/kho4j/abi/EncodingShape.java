package io.kho4j.abi;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The shape of one encoding of a sample state: an FDT's nodes and properties, or a raw blob's size, and the
 * generations for which the serializer produces exactly this shape.
 *
 * @param sample index of the sample state in the serializer's {@code abiSamples()}
 * @param generations generations whose encoding has this shape
 * @param raw whether the blob is raw rather than an FDT
 * @param rawSize bytes of a raw blob (0 for an FDT)
 * @param nodes nodes in document order (empty for a raw blob)
 */
public record EncodingShape(int sample, Set<AbiGeneration> generations, boolean raw, long rawSize,
        List<ShapeNode> nodes) {
    /** Copies the collections. */
    public EncodingShape {
        Objects.requireNonNull(generations, "generations");
        generations = generations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(generations));
        nodes = List.copyOf(nodes);
    }

    /** @return this shape without its generations: what two encodings must share to be the same shape */
    public EncodingShape content() {
        return new EncodingShape(sample, Set.of(), raw, rawSize, nodes);
    }
}
