package io.kho4j.abi;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one compatible version of a subsystem commits to: the shapes of its encodings and the layouts
 * of the structures it writes, each with the generations it applies to.
 *
 * @param version the compatible version
 * @param encodings one per distinct (sample, shape), with the generations producing it
 * @param structs one per distinct set of declared structure layouts, with the generations declaring it
 */
public record VersionShape(CompatibleString version, List<EncodingShape> encodings, List<Structs> structs) {

    /**
     * Declared structure layouts and the generations for which the version declares exactly these.
     *
     * @param generations the generations
     * @param layouts the layouts
     */
    public record Structs(Set<AbiGeneration> generations, List<StructLayout> layouts) {
        /** Copies the collections. */
        public Structs {
            generations = generations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(generations));
            layouts = List.copyOf(layouts);
        }
    }

    /** Copies the lists. */
    public VersionShape {
        Objects.requireNonNull(version, "version");
        encodings = List.copyOf(encodings);
        structs = List.copyOf(structs);
    }
}
