package io.kho4j.abi;

/**
 * How the kernel lays out the bytes of its root KHO FDT. The content (nodes, properties, values) is the same
 * either way; byte order of blocks, children and strings differ, so a byte-exact producer must pick the one
 * of the kernel it imitates.
 */
public enum RootLayout {
    /**
     * 6.16 – 6.18: {@code kho_finalize} writes the whole root once with libfdt's sequential-write API
     * ({@code fdt_create(fdt, PAGE_SIZE)} … {@code fdt_finish}; kho-abi.md §1, source A). The memory-reservation
     * map sits at offset 48 ({@code FDT_ALIGN(40, 16)}), children follow in the order subsystems added them,
     * and the strings table holds the newest name first (libfdt {@code fdt_sw.c} grows it downwards); this is
     * {@code FdtWriter.Layout.LIBFDT_SEQUENTIAL}.
     */
    SEQUENTIAL,
    /**
     * 6.19 and later: {@code kho_out_fdt_setup} writes the root once at boot with the sequential API (compatible
     * and preserved-memory-map only), then every {@code kho_add_subtree} runs {@code fdt_open_into(root, root,
     * PAGE_SIZE)}, {@code fdt_add_subnode}, {@code fdt_setprop} and {@code fdt_pack} (kho-abi.md §1, sources D
     * and F). libfdt's read-write semantics give these bytes:
     * <ul>
     *   <li>until the first edit, exactly the {@link #SEQUENTIAL} bytes of the two-property root;</li>
     *   <li>after it, {@code fdt_pack}'s layout: reservation map at 40, struct block at 56, strings right after;</li>
     *   <li>{@code fdt_add_subnode} inserts the new child right after the parent's properties, so children appear
     *       in <em>reverse</em> order of addition;</li>
     *   <li>{@code fdt_setprop} of a new property inserts it first in its node, so {@code blob-size} (set second
     *       by 7.1+) precedes {@code preserved-data};</li>
     *   <li>new property names are appended to the strings table (after {@code "preserved-memory-map\0compatible\0"}
     *       from the sequential start) unless already present as a string or the tail of one, and are never
     *       removed, even by {@code kho_remove_subtree}.</li>
     * </ul>
     * Checked against Debian's libfdt 1.6.1 running the kernel's call sequence (test {@code LibfdtInPlaceEditTest}).
     */
    EDITED_IN_PLACE;

    /**
     * @param release the kernel that writes the root
     * @return the layout that kernel produces: {@link #EDITED_IN_PLACE} from 6.19 ("kho: drop notifiers", merged
     *     for 6.19 with the move to kernel/liveupdate/), else {@link #SEQUENTIAL}
     */
    public static RootLayout forKernelRelease(KernelRelease release) {
        return release.isBefore(KernelRelease.rc(6, 19, 1)) ? SEQUENTIAL : EDITED_IN_PLACE;
    }
}
