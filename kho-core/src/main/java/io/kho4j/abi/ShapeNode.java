package io.kho4j.abi;

import java.util.List;
import java.util.Objects;

/**
 * One node of a subtree FDT as written: its path and its properties in blob order.
 *
 * @param path absolute path inside the subtree ({@code "/"} for its root)
 * @param properties the properties in order
 */
public record ShapeNode(String path, List<ShapeProperty> properties) {
    /** Copies the list. */
    public ShapeNode {
        Objects.requireNonNull(path, "path");
        properties = List.copyOf(properties);
    }
}
