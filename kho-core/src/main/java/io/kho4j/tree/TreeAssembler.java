package io.kho4j.tree;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.abi.RootLayout;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.tree.internal.InPlaceRoot;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Builds the KHO root FDT byte for byte as a given kernel does (kho-abi.md §1):
 * <pre>
 *   / {
 *       compatible = "kho-vN";
 *       preserved-memory-map = &lt;u64 native: root of the memory map&gt;;
 *       &lt;name&gt; { fdt = &lt;u64&gt;; };                                   kho-v1
 *       &lt;name&gt; { preserved-data = &lt;u64&gt;; };                        kho-v2
 *       &lt;name&gt; { preserved-data = &lt;u64&gt;; blob-size = &lt;u64&gt;; };   kho-v3, kho-v4 (order per layout)
 *   };
 * </pre>
 * with an empty memory-reservation map. The memory-map address is an input to {@link #build(long)}, filled last
 * as {@code kho_finalize} fills its placeholder; the map itself is encoded elsewhere ({@code io.kho4j.preserve}).
 * {@link RootLayout} decides the byte layout. Every step checks that the root still fits one page.
 *
 * <p>Subtree names must be unique as libfdt compares them ({@link DuplicateSubtreeException}, the kernel's
 * {@code -EEXIST}); 6.16's sequential writer would silently write a duplicate that a reader cannot retrieve, so
 * this class refuses duplicates for every layout. Not thread-safe.
 */
public final class TreeAssembler {
    private final AbiGeneration generation;
    private final RootLayout layout;
    private final int pageSize;
    private final ByteOrder order;
    /** SEQUENTIAL: children in addition order. */
    private final List<SubtreeRef> sequential = new ArrayList<>();
    /** EDITED_IN_PLACE: libfdt's view. */
    private InPlaceRoot inPlace;

    private TreeAssembler(AbiGeneration generation, RootLayout layout, int pageSize, ByteOrder order) {
        if (!generation.rootLayouts().contains(layout)) {
            throw new IllegalArgumentException(generation + " is never written with the " + layout + " layout (its"
                    + " kernels use " + generation.rootLayouts() + ")");
        }
        if (pageSize < 256 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two of at least 256: " + pageSize);
        }
        this.generation = generation;
        this.layout = layout;
        this.pageSize = pageSize;
        this.order = Objects.requireNonNull(order, "order");
        this.inPlace = layout == RootLayout.EDITED_IN_PLACE ? new InPlaceRoot(generation, order) : null;
    }

    /**
     * @param generation the generation to write
     * @param layout the byte layout, one the generation's kernels use
     * @param pageSize the kernel's PAGE_SIZE: the root must fit in it
     * @param order native byte order of values (little-endian on x86-64 and arm64)
     * @return an assembler with no subtrees
     * @throws IllegalArgumentException if no kernel of that generation writes that layout
     */
    public static TreeAssembler create(AbiGeneration generation, RootLayout layout, int pageSize, ByteOrder order) {
        return new TreeAssembler(generation, layout, pageSize, order);
    }

    /**
     * @param generation the generation to write
     * @param layout the byte layout
     * @return an assembler for a little-endian machine with 4 KiB pages
     */
    public static TreeAssembler create(AbiGeneration generation, RootLayout layout) {
        return new TreeAssembler(generation, layout, 4096, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param release the kernel to imitate
     * @param pageSize its PAGE_SIZE
     * @return an assembler writing that kernel's generation and layout, little-endian
     * @throws GenerationException if the release maps to no single generation
     */
    public static TreeAssembler forKernel(KernelRelease release, int pageSize) throws GenerationException {
        return new TreeAssembler(AbiGeneration.forKernelRelease(release), RootLayout.forKernelRelease(release),
                pageSize, ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the generation being written */
    public AbiGeneration generation() {
        return generation;
    }

    /** @return the byte layout being written */
    public RootLayout layout() {
        return layout;
    }

    /**
     * Adds a subtree, as {@code kho_add_subtree} does.
     *
     * @param name child name: non-empty, no '/', ISO-8859-1 without NUL
     * @param address physical address of the blob
     * @param size the blob's size in bytes; written as {@code blob-size} from kho-v3, ignored before
     * @return this assembler
     * @throws DuplicateSubtreeException if the name collides with a child as libfdt compares names
     * @throws RootOverflowException if the root would no longer fit one page (the subtree is not added)
     */
    public TreeAssembler addSubtree(String name, long address, long size)
            throws DuplicateSubtreeException, RootOverflowException {
        checkName(name);
        if (size < 0) {
            throw new IllegalArgumentException("negative blob size " + size);
        }
        for (String existing : names()) {
            if (nodeNameMatches(existing, name)) {
                if (inPlace != null) {
                    inPlace.touch();
                }
                throw new DuplicateSubtreeException(name, existing);
            }
        }
        if (inPlace != null) {
            InPlaceRoot trial = inPlace.copy();
            trial.add(name, address, size);
            int total = trial.encode(0).length;
            if (total > pageSize) {
                inPlace.touch();
                throw new RootOverflowException(total, pageSize, "adding subtree \"" + name + "\"");
            }
            inPlace = trial;
        } else {
            sequential.add(new SubtreeRef(name, address, OptionalLong.empty()));
            int total = encodeSequential(0).length;
            if (total > pageSize) {
                sequential.remove(sequential.size() - 1);
                throw new RootOverflowException(total, pageSize, "adding subtree \"" + name + "\"");
            }
        }
        return this;
    }

    /**
     * Removes the first subtree (in document order) whose blob is at {@code address}, as
     * {@code kho_remove_subtree} (6.19+) does. Its property names stay in the strings table, as in the kernel.
     *
     * @param address physical address of the blob
     * @return whether a subtree was removed
     * @throws UnsupportedOperationException for the {@link RootLayout#SEQUENTIAL} layout, whose kernels (6.16 –
     *     6.18) have no {@code kho_remove_subtree}
     */
    public boolean removeSubtree(long address) {
        if (inPlace == null) {
            throw new UnsupportedOperationException("kernels writing the " + layout + " layout (6.16 - 6.18) cannot"
                    + " remove a subtree");
        }
        return inPlace.remove(address);
    }

    /** @return the subtree references in document order */
    public List<SubtreeRef> subtrees() {
        return inPlace != null ? inPlace.refs() : List.copyOf(sequential);
    }

    /**
     * @param memoryMap physical address of the memory map (the {@code preserved-memory-map} value)
     * @return the root's content
     */
    public KhoTree tree(long memoryMap) {
        return KhoTree.of(generation.rootCompatible(), memoryMap, subtrees());
    }

    /**
     * Writes the root.
     *
     * @param memoryMap physical address of the memory map, filled last like {@code kho_finalize}'s placeholder
     * @return the root FDT, exactly its totalsize, at most one page
     */
    public byte[] build(long memoryMap) {
        return inPlace != null ? inPlace.encode(memoryMap) : encodeSequential(memoryMap);
    }

    private byte[] encodeSequential(long memoryMap) {
        // 6.16 kho_finalize: compatible, a placeholder for the map "so that all property definitions will
        // precede subnodes created by KHO callers", the subsystems' nodes, then the map address.
        FdtWriter w = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        w.beginNode("").propertyStrings("compatible", generation.rootCompatible().toString());
        FdtWriter.Placeholder map = w.placeholder(AbiGeneration.MEMORY_MAP_PROPERTY, 8);
        for (SubtreeRef s : sequential) {
            w.beginNode(s.name()).propertyU64(generation.subtreeProperty(), s.address(), order).endNode();
        }
        w.endNode();
        map.fillU64(memoryMap, order);
        return w.finish();
    }

    private List<String> names() {
        return inPlace != null ? inPlace.names() : sequential.stream().map(SubtreeRef::name).toList();
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0
                || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(name)) {
            throw new IllegalArgumentException("subtree name must be non-empty ISO-8859-1 without '/' or NUL: \""
                    + name + "\"");
        }
    }

    /**
     * libfdt's {@code fdt_nodename_eq_}: equal, or {@code name} has no unit address and {@code existing} is
     * {@code name@...}.
     */
    static boolean nodeNameMatches(String existing, String name) {
        return existing.equals(name)
                || (name.indexOf('@') < 0 && existing.startsWith(name) && existing.length() > name.length()
                        && existing.charAt(name.length()) == '@');
    }
}
