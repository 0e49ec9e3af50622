package io.kho4j.tree;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.spi.InboundSubtree;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a KHO root FDT the way the successor kernel does, and, given the physical memory, the subtree blobs
 * its pointers lead to. The root is hostile input; so is every pointer in it.
 *
 * <p>Root-level rules, each giving {@link InboundResult.Refused} (the kernel disables the whole handover):
 * the blob must be a valid FDT (we run the full {@link FdtValidator}, the kernel only {@code fdt_check_header})
 * of at most one page; its {@code compatible} list must contain the expected generation's string
 * ({@code fdt_node_check_compatible}); {@code preserved-memory-map} must exist with exactly 8 bytes; from 6.19
 * (and for kho-v2+) it must not be 0 ({@code kho_get_mem_map_phys}, {@code kho_mem_retrieve}; kho-abi.md §1,
 * §3, §8).
 *
 * <p>Child-level rules, each giving a {@link SubtreeIssue} for that child only ({@code kho_retrieve_subtree}
 * returns {@code -EINVAL}): the pointer property ({@code fdt} / {@code preserved-data}) and, from kho-v3,
 * {@code blob-size} must exist with exactly 8 bytes. A child whose name resolves to an earlier child (libfdt's
 * {@code fdt_subnode_offset} returns the first match) cannot be retrieved either. With memory, a blob must lie
 * in RAM, be at most {@link #withMaxBlobSize the size limit}, and be a valid FDT where the generation requires
 * one (kho-v1) or where its size must come from the FDT header (kho-v2 has no {@code blob-size}).
 *
 * <p>Immutable; the {@code with...} methods return copies.
 */
public final class KhoTreeParser {
    /** Default bound on one subtree blob: far above the kernel's own (one page to a few MiB). */
    public static final long DEFAULT_MAX_BLOB_SIZE = 64L << 20;

    private static final int FDT_MAGIC = 0xd00dfeed;
    private static final int FDT_HEADER_SIZE = 40;
    private static final KernelRelease ZERO_MAP_REFUSED_FROM = KernelRelease.rc(6, 19, 1);

    private final AbiGeneration expected;
    private final KernelRelease successor;
    private final PhysicalMemory memory;
    private final int pageSize;
    private final ByteOrder order;
    private final long maxBlobSize;
    private final FdtValidator validator;

    private KhoTreeParser(AbiGeneration expected, KernelRelease successor, PhysicalMemory memory, int pageSize,
            ByteOrder order, long maxBlobSize, FdtValidator validator) {
        this.expected = expected;
        this.successor = successor;
        this.memory = memory;
        this.pageSize = pageSize;
        this.order = order;
        this.maxBlobSize = maxBlobSize;
        this.validator = validator;
    }

    /** @return a parser that detects the generation, for a little-endian machine with 4 KiB pages, without memory */
    public static KhoTreeParser create() {
        return new KhoTreeParser(null, null, null, 4096, ByteOrder.LITTLE_ENDIAN, DEFAULT_MAX_BLOB_SIZE,
                FdtValidator.standard());
    }

    /**
     * @param release the successor kernel, whose generation and rules apply
     * @return a copy that reads as that kernel does
     * @throws GenerationException if the release maps to no single generation
     */
    public KhoTreeParser forSuccessor(KernelRelease release) throws GenerationException {
        return new KhoTreeParser(AbiGeneration.forKernelRelease(release), release, memory, pageSize, order,
                maxBlobSize, validator);
    }

    /** @param generation the successor's generation @return a copy that expects it (no release-specific rules) */
    public KhoTreeParser expecting(AbiGeneration generation) {
        return new KhoTreeParser(Objects.requireNonNull(generation), successor, memory, pageSize, order, maxBlobSize,
                validator);
    }

    /** @param memory physical memory holding the subtree blobs @return a copy that follows subtree pointers */
    public KhoTreeParser withMemory(PhysicalMemory memory) {
        return new KhoTreeParser(expected, successor, Objects.requireNonNull(memory), pageSize, order, maxBlobSize,
                validator);
    }

    /** @param pageSize the successor's PAGE_SIZE: the root must fit in it @return a copy */
    public KhoTreeParser withPageSize(int pageSize) {
        if (pageSize < 256 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two of at least 256: " + pageSize);
        }
        return new KhoTreeParser(expected, successor, memory, pageSize, order, maxBlobSize, validator);
    }

    /** @param order byte order of native values @return a copy */
    public KhoTreeParser withNativeOrder(ByteOrder order) {
        return new KhoTreeParser(expected, successor, memory, pageSize, Objects.requireNonNull(order), maxBlobSize,
                validator);
    }

    /** @param bytes largest subtree blob read from memory @return a copy */
    public KhoTreeParser withMaxBlobSize(long bytes) {
        if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("max blob size must be 1 .. " + (Integer.MAX_VALUE - 8) + ": " + bytes);
        }
        return new KhoTreeParser(expected, successor, memory, pageSize, order, bytes, validator);
    }

    /** @param validator validator for the root and FDT blobs (limits, libfdt cross-check) @return a copy */
    public KhoTreeParser withValidator(FdtValidator validator) {
        return new KhoTreeParser(expected, successor, memory, pageSize, order, maxBlobSize,
                Objects.requireNonNull(validator));
    }

    /** @param root the root FDT (trailing bytes after totalsize are ignored) @return the verdict */
    public InboundResult parse(byte[] root) {
        return parse(ByteBuffer.wrap(root));
    }

    /** @param root the root FDT from the buffer's position @return the verdict */
    public InboundResult parse(ByteBuffer root) {
        ValidatedFdt fdt;
        try {
            fdt = validator.validate(root);
        } catch (FdtFormatException e) {
            return new InboundResult.Refused(InboundResult.Reason.INVALID_FDT, e.offset(),
                    "handover FDT is invalid: " + e.getMessage());
        }
        if (fdt.totalSize() > pageSize) {
            return new InboundResult.Refused(InboundResult.Reason.ROOT_TOO_LARGE, 4, "totalsize " + fdt.totalSize()
                    + " exceeds the " + pageSize + "-byte page the kernel maps (kho_data.fdt_size = PAGE_SIZE)");
        }
        FdtNode top = fdt.root();
        List<String> compatibles = compatibles(top);
        List<AbiGeneration> generations = new ArrayList<>();
        if (expected != null) {
            if (!compatibles.contains(expected.rootCompatible().toString())) {
                return new InboundResult.Refused(InboundResult.Reason.INCOMPATIBLE, top.offset(), "handover FDT is"
                        + " incompatible with '" + expected.rootCompatible() + "': root compatible is " + compatibles);
            }
            generations.add(expected);
        } else {
            generations.addAll(AbiGeneration.candidates(compatibles));
            if (generations.isEmpty()) {
                return new InboundResult.Refused(InboundResult.Reason.INCOMPATIBLE, top.offset(), "root compatible "
                        + compatibles + " names no KHO generation (kho-v1 .. kho-v4)");
            }
            AbiGeneration first = generations.get(0);
            for (AbiGeneration g : generations) {
                if (!g.rootCompatible().equals(first.rootCompatible())) {
                    return new InboundResult.Refused(InboundResult.Reason.INCOMPATIBLE, top.offset(), "root compatible "
                            + compatibles + " names several generations " + generations + "; name the successor");
                }
            }
        }
        AbiGeneration layout = generations.get(0);
        Optional<FdtProperty> map = top.property(AbiGeneration.MEMORY_MAP_PROPERTY);
        if (map.isEmpty() || map.get().length() != 8) {
            return new InboundResult.Refused(InboundResult.Reason.MEMORY_MAP_MISSING,
                    map.map(FdtProperty::offset).orElse(top.offset()), "failed to get preserved memory map: "
                    + AbiGeneration.MEMORY_MAP_PROPERTY + (map.isEmpty() ? " is missing" : " is " + map.get().length()
                    + " bytes, not 8"));
        }
        long memoryMap = map.get().value().order(order).getLong(0);
        if (memoryMap == 0 && zeroMapRefused(layout)) {
            return new InboundResult.Refused(InboundResult.Reason.MEMORY_MAP_ZERO, map.get().offset(),
                    AbiGeneration.MEMORY_MAP_PROPERTY + " is 0; 6.19+ kernels refuse it (was the producer finalized?)");
        }
        List<SubtreeIssue> issues = new ArrayList<>();
        List<SubtreeRef> refs = children(top, layout, issues);
        Map<String, InboundSubtree> blobs = new LinkedHashMap<>();
        if (memory != null) {
            AbiGeneration known = generations.size() == 1 ? layout : null;
            for (SubtreeRef ref : refs) {
                readBlob(ref, layout, known, issues).ifPresent(b -> blobs.put(ref.name(), b));
            }
        }
        return new InboundResult.Accepted(new KhoTree(compatibles, memoryMap, refs), generations, fdt.totalSize(),
                issues, blobs);
    }

    private boolean zeroMapRefused(AbiGeneration g) {
        return successor != null ? !successor.isBefore(ZERO_MAP_REFUSED_FROM) : !g.needsFinalize();
    }

    private static List<String> compatibles(FdtNode top) {
        Optional<FdtProperty> p = top.property("compatible");
        if (p.isEmpty()) {
            return List.of();
        }
        try {
            return p.get().strings();
        } catch (FdtFormatException e) {
            // fdt_stringlist_contains finds no match in a value that is not NUL-terminated.
            return List.of();
        }
    }

    private List<SubtreeRef> children(FdtNode top, AbiGeneration g, List<SubtreeIssue> issues) {
        List<SubtreeRef> refs = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (FdtNode child : top.children()) {
            String name = child.name();
            Optional<String> shadow = seen.stream().filter(s -> TreeAssembler.nodeNameMatches(s, name)).findFirst();
            seen.add(name);
            if (shadow.isPresent()) {
                issues.add(new SubtreeIssue(name, child.offset(), false, "unreachable: fdt_subnode_offset(\"" + name
                        + "\") finds the earlier child \"" + shadow.get() + "\""));
                continue;
            }
            OptionalLong address = u64(child, g.subtreeProperty(), issues);
            if (address.isEmpty()) {
                continue;
            }
            OptionalLong size = OptionalLong.empty();
            if (g.sizeProperty().isPresent()) {
                size = u64(child, g.sizeProperty().get(), issues);
                if (size.isEmpty()) {
                    continue;
                }
                if (size.getAsLong() < 0) {
                    issues.add(new SubtreeIssue(name, child.offset(), false, g.sizeProperty().get() + " "
                            + Long.toUnsignedString(size.getAsLong()) + " is larger than any memory"));
                    continue;
                }
            }
            refs.add(new SubtreeRef(name, address.getAsLong(), size));
        }
        return refs;
    }

    private OptionalLong u64(FdtNode child, String property, List<SubtreeIssue> issues) {
        Optional<FdtProperty> p = child.property(property);
        if (p.isEmpty()) {
            issues.add(new SubtreeIssue(child.name(), child.offset(), false, "no \"" + property
                    + "\" property (kho_retrieve_subtree: -EINVAL)"));
            return OptionalLong.empty();
        }
        if (p.get().length() != 8) {
            issues.add(new SubtreeIssue(child.name(), p.get().offset(), false, "\"" + property + "\" is "
                    + p.get().length() + " bytes, not 8 (kho_retrieve_subtree: -EINVAL)"));
            return OptionalLong.empty();
        }
        return OptionalLong.of(p.get().value().order(order).getLong(0));
    }

    private Optional<InboundSubtree> readBlob(SubtreeRef ref, AbiGeneration g, AbiGeneration known,
            List<SubtreeIssue> issues) {
        long at = ref.address();
        try {
            long size;
            if (ref.size().isPresent()) {
                size = ref.size().getAsLong();
            } else {
                if (!memory.isRam(at, FDT_HEADER_SIZE)) {
                    return issue(issues, ref, "pointer is outside RAM (not even an FDT header fits there)");
                }
                byte[] head = memory.read(at, 8);
                ByteBuffer h = ByteBuffer.wrap(head);
                if (h.getInt(0) != FDT_MAGIC) {
                    return issue(issues, ref, g.allowsRawBlobs()
                            ? "not an FDT, and " + g.rootCompatible() + " has no blob-size: the blob's size is known"
                                    + " only to its subsystem"
                            : String.format("not an FDT (magic 0x%08x, expected 0xd00dfeed); %s subtrees must be FDTs",
                                    h.getInt(0), g.rootCompatible()));
                }
                size = Integer.toUnsignedLong(h.getInt(4));
            }
            if (size > maxBlobSize) {
                return issue(issues, ref, "blob of " + size + " bytes exceeds the limit of " + maxBlobSize
                        + " (KhoTreeParser.withMaxBlobSize)");
            }
            if (!memory.isRam(at, size)) {
                return issue(issues, ref, String.format("blob [0x%x, +0x%x) runs outside RAM %s", at, size, memory.ram()));
            }
            InboundSubtree blob = InboundSubtree.of(ref.name(), at, memory.read(at, (int) size), known, memory,
                    validator);
            if (!g.allowsRawBlobs() || ref.size().isEmpty()) {
                try {
                    blob.fdt();
                } catch (io.kho4j.spi.RestoreException e) {
                    return issue(issues, ref, "not a valid FDT: " + e.getCause().getMessage());
                }
            }
            return Optional.of(blob);
        } catch (PhysicalMemoryException e) {
            return issue(issues, ref, e.getMessage());
        }
    }

    private static Optional<InboundSubtree> issue(List<SubtreeIssue> issues, SubtreeRef ref, String problem) {
        issues.add(new SubtreeIssue(ref.name(), ref.address(), true, problem));
        return Optional.empty();
    }
}
