package io.kho4j.tree;

import java.util.Objects;

/**
 * A child of an accepted root that its subsystem cannot get: the kernel's {@code kho_retrieve_subtree} would
 * return {@code -EINVAL} for it (a pointer property missing or not 8 bytes), or the blob it points at is not
 * readable (outside RAM, larger than allowed, not an FDT where one is required). Other subtrees are unaffected.
 *
 * @param name the child's name
 * @param location byte offset in the root for tree problems, or the physical address for blob problems
 * @param physical whether {@code location} is a physical address
 * @param problem what is wrong
 */
public record SubtreeIssue(String name, long location, boolean physical, String problem) {
    /** Checks for nulls. */
    public SubtreeIssue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(problem, "problem");
    }

    @Override
    public String toString() {
        return name + (physical ? String.format(" (at 0x%x)", location) : " (root offset " + location + ")") + ": "
                + problem;
    }
}
