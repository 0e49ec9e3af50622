package io.kho4j.tree;

/**
 * A second subtree with a name the root already has, which the kernel refuses with {@code -EEXIST}
 * ({@code kho_add_subtree}, kho-abi.md §1). Names compare as libfdt's {@code fdt_add_subnode} does: an existing
 * {@code "memblock@1"} also blocks a new {@code "memblock"}.
 */
public final class DuplicateSubtreeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kernel's errno for this case. */
    public static final int EEXIST = 17;

    private final String name;

    /** @param name the refused name @param existing the child that blocks it */
    public DuplicateSubtreeException(String name, String existing) {
        super("subtree \"" + name + "\" already exists" + (name.equals(existing) ? "" : " as \"" + existing + "\"")
                + " (kho_add_subtree: -EEXIST)");
        this.name = name;
    }

    /** @return the refused name */
    public String name() {
        return name;
    }

    /** @return {@link #EEXIST} */
    public int errno() {
        return EEXIST;
    }
}
