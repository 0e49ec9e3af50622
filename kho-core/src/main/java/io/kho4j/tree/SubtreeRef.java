package io.kho4j.tree;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One child of the KHO root: a subtree's name and where its blob is.
 *
 * @param name the child node's name
 * @param address physical address of the blob (the {@code fdt} or {@code preserved-data} property)
 * @param size the blob's size from {@code blob-size} (kho-v3+), empty before
 */
public record SubtreeRef(String name, long address, OptionalLong size) {
    /** Checks for nulls and negative sizes. */
    public SubtreeRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(size, "size");
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException("negative blob size " + size.getAsLong());
        }
    }

    @Override
    public String toString() {
        return String.format("%s@0x%x%s", name, address, size.isPresent() ? "+" + size.getAsLong() : "");
    }
}
