package io.kho4j.tree;

import io.kho4j.abi.CompatibleString;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of a KHO root FDT (kho-abi.md §1): the root's compatible strings, the memory-map root address
 * ({@code preserved-memory-map}) and the subtree references, in document order. Byte layout is not part of it:
 * {@link TreeAssembler} produces the bytes, {@link KhoTreeParser} reads them.
 *
 * @param compatibles the root's {@code compatible} strings, verbatim
 * @param memoryMap physical address of the preserved-memory map ({@code 0} = none)
 * @param subtrees the well-formed subtree references, in document order
 */
public record KhoTree(List<String> compatibles, long memoryMap, List<SubtreeRef> subtrees) {
    /** Copies the lists. */
    public KhoTree {
        compatibles = List.copyOf(compatibles);
        subtrees = List.copyOf(subtrees);
    }

    /** @param root one compatible string @param memoryMap map address @param subtrees references @return the tree */
    public static KhoTree of(CompatibleString root, long memoryMap, List<SubtreeRef> subtrees) {
        return new KhoTree(List.of(root.toString()), memoryMap, subtrees);
    }

    /** @param name subtree name @return its reference */
    public Optional<SubtreeRef> subtree(String name) {
        Objects.requireNonNull(name, "name");
        return subtrees.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
