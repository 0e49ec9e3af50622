package io.kho4j.abi;

import io.kho4j.preserve.MemoryMapFormat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The upstream KHO ABI generations (kho-abi.md §1, §2, §9; DESIGN.md §3) and the facts a producer or reader
 * needs about each.
 *
 * <p>The two {@code kho-v1} generations share a root compatible string but not the memory-map bitmap size:
 * a root tree alone cannot tell them apart ({@link #detect} refuses), a kernel release can
 * ({@link #forKernelRelease}).
 *
 * <p>{@link #KHO_V2_RADIX} never shipped in a tagged release: the radix tree with {@code kho-v2} was committed
 * on 2026-04-05 and the {@code blob-size} series (with {@code kho-v3}) on 2026-04-18, both before 7.1-rc1,
 * whose documentation already shows the kexec metadata of that series (kho-abi.md §0 tags F and G, §9.1).
 * So every 7.1 release candidate maps to {@link #KHO_V3_BLOB_SIZE}; {@code kho-v2} trees come only from
 * development snapshots of that fortnight, and are recognised by {@link #detect} or chosen explicitly.
 */
public enum AbiGeneration {
    /** 6.16.x and 6.17.0 – 6.17.8 (and 6.18-rc1 – rc3): {@code kho-v1}, 512-byte bitmaps, debugfs finalize. */
    KHO_V1_BITMAP512("kho-v1", "fdt", null, MemoryMapFormat.CHUNKS_BITMAP512, true, false,
            EnumSet.of(RootLayout.SEQUENTIAL), "6.16.x, 6.17.0 - 6.17.8, 6.18-rc1 - rc3"),
    /** 6.17.9+ stable, 6.18 – 7.0: {@code kho-v1}, page-size bitmaps ({@code luo-v1}, {@code memfd-v1} from 6.19). */
    KHO_V1_BITMAP_PAGE("kho-v1", "fdt", null, MemoryMapFormat.CHUNKS_BITMAP_PAGE, true, false,
            EnumSet.of(RootLayout.SEQUENTIAL, RootLayout.EDITED_IN_PLACE), "6.17.9+, 6.18 - 7.0"),
    /** Development trees of the 7.1 merge window only: {@code kho-v2}, radix tree, {@code preserved-data}, no finalize. */
    KHO_V2_RADIX("kho-v2", "preserved-data", null, MemoryMapFormat.RADIX_16K_PREFIX, false, true,
            EnumSet.of(RootLayout.EDITED_IN_PLACE), "7.1 merge-window snapshots (no tagged release)"),
    /** 7.1: {@code kho-v3}, {@code preserved-data} + {@code blob-size}, kexec-metadata subtree, {@code memfd-v2}. */
    KHO_V3_BLOB_SIZE("kho-v3", "preserved-data", "blob-size", MemoryMapFormat.RADIX, false, true,
            EnumSet.of(RootLayout.EDITED_IN_PLACE), "7.1-rc1 - 7.1.x"),
    /** 7.2 – 7.4: {@code kho-v4}, root as v3, linked-block sets ({@code luo-v5}). */
    KHO_V4_BLOCKS("kho-v4", "preserved-data", "blob-size", MemoryMapFormat.RADIX, false, true,
            EnumSet.of(RootLayout.EDITED_IN_PLACE), "7.2 - 7.4");

    /** Property holding the memory-map root address in every generation (kho-abi.md §1). */
    public static final String MEMORY_MAP_PROPERTY = "preserved-memory-map";

    private static final KernelRelease FIRST_KHO = KernelRelease.rc(6, 16, 1);

    private final String rootCompatible;
    private final String subtreeProperty;
    private final String sizeProperty;
    private final MemoryMapFormat memoryMap;
    private final boolean finalize;
    private final boolean rawBlobs;
    private final Set<RootLayout> layouts;
    private final String kernels;

    AbiGeneration(String rootCompatible, String subtreeProperty, String sizeProperty, MemoryMapFormat memoryMap,
            boolean finalize, boolean rawBlobs, Set<RootLayout> layouts, String kernels) {
        this.rootCompatible = rootCompatible;
        this.subtreeProperty = subtreeProperty;
        this.sizeProperty = sizeProperty;
        this.memoryMap = memoryMap;
        this.finalize = finalize;
        this.rawBlobs = rawBlobs;
        this.layouts = layouts;
        this.kernels = kernels;
    }

    /** @return the root node's {@code compatible} ({@code KHO_FDT_COMPATIBLE}) */
    public CompatibleString rootCompatible() {
        return CompatibleString.of(rootCompatible);
    }

    /**
     * @return the property of each root child holding the subtree's physical address (u64, native endian):
     *     {@code "fdt"} ({@code PROP_SUB_FDT}) in kho-v1, {@code "preserved-data"} ({@code KHO_SUB_TREE_PROP_NAME})
     *     from kho-v2 (kho-abi.md §1)
     */
    public String subtreeProperty() {
        return subtreeProperty;
    }

    /**
     * @return the property holding the subtree blob's size (u64, native), {@code "blob-size"}
     *     ({@code KHO_SUB_TREE_SIZE_PROP_NAME}), from kho-v3; empty before
     */
    public Optional<String> sizeProperty() {
        return Optional.ofNullable(sizeProperty);
    }

    /** @return how {@code preserved-memory-map} is encoded */
    public MemoryMapFormat memoryMap() {
        return memoryMap;
    }

    /** @return whether the producer must finalize ({@code echo 1 > /sys/kernel/debug/kho/out/finalize}) before kexec */
    public boolean needsFinalize() {
        return finalize;
    }

    /**
     * @return whether a subtree may be a raw blob rather than an FDT: "preserved state may use formats other than
     *     FDT" (the kho-v2 commit message); a kho-v1 child's {@code fdt} must point at an FDT
     */
    public boolean allowsRawBlobs() {
        return rawBlobs;
    }

    /** @return the root layouts the kernels of this generation write */
    public Set<RootLayout> rootLayouts() {
        return EnumSet.copyOf(layouts);
    }

    /** @return the kernels that write this generation, in words */
    public String kernels() {
        return kernels;
    }

    /** @return the name used on command lines, e.g. {@code kho-v1-bitmap512} (DESIGN.md §4) */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a generation name case-insensitively, with {@code -} or {@code _} ({@code kho-v1-bitmap512},
     * {@code KHO_V2_RADIX}).
     *
     * @param text the name
     * @return the generation
     * @throws GenerationException of kind {@link GenerationException.Kind#UNKNOWN_NAME} listing the valid names
     */
    public static AbiGeneration parse(String text) throws GenerationException {
        String key = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (AbiGeneration g : values()) {
            if (g.name().equals(key)) {
                return g;
            }
        }
        List<String> names = new ArrayList<>();
        for (AbiGeneration g : values()) {
            names.add(g.cliName());
        }
        throw new GenerationException(GenerationException.Kind.UNKNOWN_NAME,
                "\"" + text + "\" is not a KHO generation; expected one of " + names);
    }

    /**
     * @param release a kernel release string
     * @return its generation
     * @throws GenerationException see {@link #forKernelRelease(KernelRelease)}
     */
    public static AbiGeneration forKernelRelease(String release) throws GenerationException {
        return forKernelRelease(KernelRelease.parse(release));
    }

    /**
     * Maps a kernel release to the generation it writes and reads.
     *
     * <ul>
     *   <li>6.16-rc1 – 6.17.8: {@link #KHO_V1_BITMAP512}; 6.17.9 and later 6.17.y: {@link #KHO_V1_BITMAP_PAGE}
     *       (the stable backport, kho-abi.md §9.x);</li>
     *   <li>6.18-rc1 – rc3: {@link #KHO_V1_BITMAP512}; 6.18-rc4 – rc6: refused, because the fix reached mainline
     *       between 2025-10-23 (still only in mm-hotfixes) and the 6.17 stable review of 2025-11-21, and which of
     *       those release candidates carries it is not known; 6.18-rc7 – 7.0.y: {@link #KHO_V1_BITMAP_PAGE};</li>
     *   <li>7.1-rc1 – 7.1.y: {@link #KHO_V3_BLOB_SIZE} (see the class comment on {@link #KHO_V2_RADIX});</li>
     *   <li>7.2-rc1 – 7.4.y: {@link #KHO_V4_BLOCKS}.</li>
     * </ul>
     * A vendor or locally built kernel (a local version such as {@code -14-generic}) whose numbers say
     * {@link #KHO_V1_BITMAP512} is refused: the bitmap fix was tagged for stable and vendors backport such fixes
     * without changing the base version (Ubuntu's 6.17.0-N kernels follow 6.17.y stable this way).
     *
     * @param release the kernel release
     * @return its generation
     * @throws GenerationException {@link GenerationException.Kind#UNSUPPORTED_RELEASE} before 6.16 (no KHO),
     *     for releases after the 7.4 series (the newest modelled, kho-abi.md §9.1), for series that do not exist (6.20) and for linux-next
     *     snapshots; {@link GenerationException.Kind#AMBIGUOUS_RELEASE} as described above
     */
    public static AbiGeneration forKernelRelease(KernelRelease release) throws GenerationException {
        if (release.localVersion().contains("next-")) {
            throw unsupported(release, "linux-next snapshots are not modelled; name the generation explicitly");
        }
        if (release.isBefore(FIRST_KHO)) {
            throw unsupported(release, "KHO was merged in 6.16; older kernels cannot hand over state");
        }
        if (release.major() > 7 || (release.major() == 7 && release.minor() > 4)) {
            throw unsupported(release, "newer than the newest modelled release (7.4); its ABI is unknown to this"
                    + " library version");
        }
        AbiGeneration g = byNumbers(release);
        if (g == KHO_V1_BITMAP512 && release.local().isPresent()) {
            throw new GenerationException(GenerationException.Kind.AMBIGUOUS_RELEASE, "kernel " + release
                    + " is a vendor or local build (\"" + release.localVersion() + "\") of a release with 512-byte"
                    + " bitmaps, but \"kho: increase metadata bitmap size to PAGE_SIZE\" is tagged for stable and may"
                    + " be backported; both write kho-v1. Check the kernel source for PRESERVE_BITS and name the"
                    + " generation (" + KHO_V1_BITMAP512.cliName() + " or " + KHO_V1_BITMAP_PAGE.cliName() + ")");
        }
        return g;
    }

    private static AbiGeneration byNumbers(KernelRelease r) throws GenerationException {
        if (r.major() == 6) {
            switch (r.minor()) {
                case 16:
                    return KHO_V1_BITMAP512;
                case 17:
                    return r.patch() >= 9 ? KHO_V1_BITMAP_PAGE : KHO_V1_BITMAP512;
                case 18:
                    if (r.rc() >= 1 && r.rc() <= 3) {
                        return KHO_V1_BITMAP512;
                    }
                    if (r.rc() >= 4 && r.rc() <= 6) {
                        throw new GenerationException(GenerationException.Kind.AMBIGUOUS_RELEASE, "kernel " + r
                                + ": the page-size bitmap fix reached mainline during 6.18-rc4 .. rc6 and it is not"
                                + " known which; name the generation (" + KHO_V1_BITMAP512.cliName() + " or "
                                + KHO_V1_BITMAP_PAGE.cliName() + ")");
                    }
                    return KHO_V1_BITMAP_PAGE;
                case 19:
                    return KHO_V1_BITMAP_PAGE;
                default:
                    throw unsupported(r, "there is no 6." + r.minor() + " series after 6.19 (the next was 7.0)");
            }
        }
        switch (r.minor()) {
            case 0:
                return KHO_V1_BITMAP_PAGE;
            case 1:
                return KHO_V3_BLOB_SIZE;
            default:
                return KHO_V4_BLOCKS;
        }
    }

    private static GenerationException unsupported(KernelRelease r, String why) {
        return new GenerationException(GenerationException.Kind.UNSUPPORTED_RELEASE, "kernel " + r + ": " + why);
    }

    /**
     * Detects the generation from a root tree's {@code compatible} strings, as the kernel matches them
     * ({@code fdt_node_check_compatible}: the expected string anywhere in the list).
     *
     * @param rootCompatibles the root node's compatible strings, in order
     * @return the one generation they name
     * @throws GenerationException {@link GenerationException.Kind#AMBIGUOUS_TREE} for {@code kho-v1} (both v1
     *     generations write it; the caller must name the kernel release that wrote the tree) or for a list naming
     *     several generations; {@link GenerationException.Kind#UNKNOWN_COMPATIBLE} if none is named
     */
    public static AbiGeneration detect(List<String> rootCompatibles) throws GenerationException {
        List<AbiGeneration> found = candidates(rootCompatibles);
        if (found.isEmpty()) {
            throw new GenerationException(GenerationException.Kind.UNKNOWN_COMPATIBLE, "root compatible "
                    + rootCompatibles + " names no KHO generation this library knows (kho-v1 .. kho-v4)");
        }
        if (found.size() > 1) {
            boolean onlyV1 = found.equals(Arrays.asList(KHO_V1_BITMAP512, KHO_V1_BITMAP_PAGE));
            throw new GenerationException(GenerationException.Kind.AMBIGUOUS_TREE, onlyV1
                    ? "root compatible \"kho-v1\" is written by " + KHO_V1_BITMAP512 + " (" + KHO_V1_BITMAP512.kernels
                            + ") and " + KHO_V1_BITMAP_PAGE + " (" + KHO_V1_BITMAP_PAGE.kernels + "), which disagree on"
                            + " the memory-map bitmap size; name the kernel release that wrote the tree"
                    : "root compatible " + rootCompatibles + " names several generations " + found);
        }
        return found.get(0);
    }

    /**
     * @param rootCompatibles a root node's compatible strings
     * @return every generation whose root string is among them, in enum order (both kho-v1 generations for
     *     {@code "kho-v1"}): what a reader knows before anyone names a kernel release
     */
    public static List<AbiGeneration> candidates(List<String> rootCompatibles) {
        List<AbiGeneration> found = new ArrayList<>();
        for (AbiGeneration g : values()) {
            if (rootCompatibles.contains(g.rootCompatible)) {
                found.add(g);
            }
        }
        return found;
    }

    /**
     * Answers whether state handed over from one release survives in the other (both on 4 KiB pages).
     *
     * @param from the kernel that hands over
     * @param to the successor kernel
     * @return the verdict with every reason state would be lost
     * @throws GenerationException if either release cannot be mapped to a generation
     */
    public static Compatibility compatible(String from, String to) throws GenerationException {
        return compatible(KernelRelease.parse(from), 4096, KernelRelease.parse(to), 4096);
    }

    /**
     * Answers whether state handed over from one kernel survives in the other.
     *
     * @param from the kernel that hands over
     * @param fromPageSize its PAGE_SIZE in bytes
     * @param to the successor kernel
     * @param toPageSize its PAGE_SIZE in bytes
     * @return the verdict with every reason state would be lost
     * @throws GenerationException if either release cannot be mapped to a generation
     */
    public static Compatibility compatible(KernelRelease from, int fromPageSize, KernelRelease to, int toPageSize)
            throws GenerationException {
        return Compatibility.judge(from, fromPageSize, forKernelRelease(from), to, toPageSize, forKernelRelease(to));
    }
}
