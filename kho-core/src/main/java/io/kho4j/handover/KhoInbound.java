package io.kho4j.handover;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.abi.NegotiationException;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.handover.InboundOutcome.DropReason;
import io.kho4j.handover.InboundOutcome.Dropped;
import io.kho4j.handover.InboundOutcome.Status;
import io.kho4j.handover.internal.Phases;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapCodecConfig;
import io.kho4j.preserve.MemoryMapFormatException;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.preserve.PreservedBlock;
import io.kho4j.preserve.PreservedMemoryMap;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.HandOff;
import io.kho4j.proto.HandoverManifest;
import io.kho4j.proto.SubsystemEntry;
import io.kho4j.scratch.ScratchArea;
import io.kho4j.scratch.ScratchArray;
import io.kho4j.scratch.ScratchChecks;
import io.kho4j.scratch.ScratchFinding;
import io.kho4j.scratch.ScratchParameterException;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.spi.Subtrees;
import io.kho4j.tree.InboundResult;
import io.kho4j.tree.KhoTreeParser;
import io.kho4j.tree.SubtreeIssue;
import io.kho4j.tree.SubtreeRef;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The successor kernel's walk, in Java: from the hand-off to restored subsystem states. Everything read from
 * memory is hostile input. The walk, and what ends it:
 * <ol>
 *   <li>the hand-off: the x86 {@code setup_data} chain or the DTB's {@code /chosen} ({@link SetupDataChain},
 *       {@link ChosenHandOff}) gives {@link KhoData}; the scratch array it names must be readable RAM;</li>
 *   <li>the root FDT, checked as {@code kho_populate} checks it ({@link KhoTreeParser}); the successor's own
 *       release decides between the two {@code kho-v1} generations;</li>
 *   <li>the preserved-memory map, decoded in the generation's layout;</li>
 * </ol>
 * a failure in any of these drops the whole handover ({@link InboundOutcome.Dropped}), as the kernel disables
 * KHO revival. Then each subtree is negotiated and restored on its own ({@link SubsystemRegistry#negotiate},
 * {@link Restorer}); a subtree that cannot be read or restored is a failure of that subsystem only. With a
 * manifest, its digests are checked page by page and its record of subsystems and blocks is compared with what
 * arrived. Every problem is in {@link InboundOutcome.Restored#failures()}.
 *
 * <p>A subtree without a restorer counts as a failure: the caller asked for every subsystem to come back.
 * {@link KexecMetadata} is always readable. Immutable; the {@code with...} methods return copies.
 */
public final class KhoInbound {
    /** arm64 refuses boot DTBs over 2 MiB ({@code MAX_FDT_SIZE}; derived, not in kho-abi.md): the read bound. */
    public static final int MAX_BOOT_DTB_BYTES = 2 << 20;
    /** More scratch entries than any kernel writes (MAX_NUMNODES 1024 + 2, rounded up generously). */
    public static final int MAX_SCRATCH_ENTRIES = 4096;
    /** Manifest and map disagreements listed one by one; the rest are counted. */
    private static final int MAX_LISTED = 20;

    private final AbiGeneration generation;
    private final KernelRelease release;
    private final PageSize pageSize;
    private final SubsystemRegistry registry;
    private final HandoverManifest manifest;

    private KhoInbound(AbiGeneration generation, KernelRelease release, PageSize pageSize, SubsystemRegistry registry,
            HandoverManifest manifest) {
        this.generation = generation;
        this.release = release;
        this.pageSize = Objects.requireNonNull(pageSize, "pageSize");
        this.registry = registry;
        this.manifest = manifest;
    }

    /**
     * @param release the successor's release: its generation and rules apply
     * @param pageSize its PAGE_SIZE
     * @return a reader as that kernel reads
     * @throws GenerationException if the release maps to no single generation
     */
    public static KhoInbound forSuccessor(KernelRelease release, PageSize pageSize) throws GenerationException {
        return new KhoInbound(AbiGeneration.forKernelRelease(release), release, pageSize, SubsystemRegistry.empty(),
                null);
    }

    /**
     * @param target a handover target: reads as its successor ({@code to}) does, expecting its generation
     * @return the reader
     */
    public static KhoInbound forTarget(HandoverTarget target) {
        return new KhoInbound(target.generation(), target.to(), target.pageSize(), SubsystemRegistry.empty(), null);
    }

    /**
     * @param pageSize the successor's PAGE_SIZE
     * @return a reader that detects the generation from the root; a {@code kho-v1} root is then dropped as
     *     ambiguous, since only a release tells its bitmap size
     */
    public static KhoInbound detecting(PageSize pageSize) {
        return new KhoInbound(null, null, pageSize, SubsystemRegistry.empty(), null);
    }

    /**
     * @param restorers the successor's restorers (only restorers are used)
     * @return a copy that restores with them
     */
    public KhoInbound withRestorers(SubsystemRegistry restorers) {
        return new KhoInbound(generation, release, pageSize, Objects.requireNonNull(restorers), manifest);
    }

    /**
     * @param manifest what the first side wrote: its digests are verified and its records compared
     * @return a copy
     */
    public KhoInbound withManifest(HandoverManifest manifest) {
        return new KhoInbound(generation, release, pageSize, registry, Objects.requireNonNull(manifest));
    }

    /**
     * Walks a handover.
     *
     * @param memory the successor's view of physical memory
     * @param handOff where the hand-off is: the setup_data chain head (x86) or the boot DTB (arm64)
     * @return the outcome; never null, never an exception for anything found in memory
     */
    public InboundOutcome read(PhysicalMemory memory, HandOff handOff) {
        Phases phases = new Phases();
        Object found = handOffData(memory, handOff);
        if (found instanceof Dropped d) {
            return d;
        }
        KhoData data = (KhoData) found;
        Object scratchOrDrop = scratch(memory, data);
        if (scratchOrDrop instanceof Dropped d) {
            return d;
        }
        @SuppressWarnings("unchecked")
        List<ScratchArea> scratch = (List<ScratchArea>) scratchOrDrop;
        phases.end("hand-off");

        int rootBytes = (int) Math.min(data.fdtSize(), pageSize.bytes());
        if (!memory.isRam(data.fdtAddr(), rootBytes)) {
            return new Dropped(DropReason.HAND_OFF_INVALID, data.fdtAddr(), String.format("the root FDT [0x%x, +0x%x)"
                    + " named by kho_data is not RAM", data.fdtAddr(), rootBytes));
        }
        InboundResult parsed;
        try {
            parsed = parser(memory).parse(memory.read(data.fdtAddr(), rootBytes));
        } catch (PhysicalMemoryException e) {
            return new Dropped(DropReason.HAND_OFF_INVALID, data.fdtAddr(), "the root FDT cannot be read: "
                    + e.getMessage());
        }
        if (parsed instanceof InboundResult.Refused r) {
            return new Dropped(DropReason.ROOT_REFUSED, data.fdtAddr() + r.offset(), r.toString());
        }
        InboundResult.Accepted root = (InboundResult.Accepted) parsed;
        AbiGeneration g;
        try {
            g = root.generation();
        } catch (GenerationException e) {
            return new Dropped(DropReason.GENERATION_AMBIGUOUS, data.fdtAddr(), e.getMessage());
        }
        phases.end("root");

        PreservedMemoryMap map;
        try {
            map = MemoryMapCodec.of(new MemoryMapCodecConfig(g.memoryMap(), pageSize, ByteOrder.LITTLE_ENDIAN, false))
                    .decode(memory, root.tree().memoryMap());
        } catch (MemoryMapFormatException e) {
            return new Dropped(DropReason.MEMORY_MAP_INVALID, e.address(), "the preserved-memory map cannot be"
                    + " decoded, so the successor drops the handover: " + e.getMessage());
        }
        phases.end("memory map");

        List<String> failures = new ArrayList<>();
        for (ScratchFinding f : ScratchChecks.preservedOutsideScratch(map, scratch)) {
            failures.add(f.message() + ": the successor allocates there before it reads the map");
        }
        Map<String, Object> states = new LinkedHashMap<>();
        List<InboundOutcome.Subsystem> subsystems = restore(root, map, states, failures);
        phases.end("restore");

        List<RangeDigests.Mismatch> mismatches = List.of();
        int checked = 0;
        if (manifest != null) {
            compareWithManifest(g, data, root, map, failures);
            if (manifest.getDigestAlgorithm() == DigestAlgorithm.CRC32C
                    || manifest.getDigestAlgorithm() == DigestAlgorithm.SHA256) {
                mismatches = RangeDigests.verify(memory, manifest.getDigestAlgorithm(), manifest.getDigestsList());
                checked = manifest.getDigestsCount();
                mismatches.forEach(m -> failures.add("digest mismatch: " + m));
            } else if (manifest.getDigestsCount() > 0) {
                failures.add("the manifest's digest algorithm " + manifest.getDigestAlgorithm() + " is not CRC32C or"
                        + " SHA256: its " + manifest.getDigestsCount() + " digests cannot be checked");
            }
            phases.end("verify");
        }
        return new InboundOutcome.Restored(g, data, scratch, root.tree(), map, subsystems, states, mismatches, checked,
                failures, phases.nanos());
    }

    private KhoTreeParser parser(PhysicalMemory memory) {
        KhoTreeParser p = KhoTreeParser.create().withMemory(memory).withPageSize(pageSize.bytes())
                .withNativeOrder(ByteOrder.LITTLE_ENDIAN);
        if (release != null) {
            try {
                p = p.forSuccessor(release);
            } catch (GenerationException e) {
                // the release names no generation on its own (a kho-v2 development kernel): the generation decides
                p = p.expecting(generation);
            }
        }
        return generation != null ? p.expecting(generation) : p;
    }

    /** @return the hand-off's KhoData, or a Dropped */
    private static Object handOffData(PhysicalMemory memory, HandOff handOff) {
        try {
            Optional<KhoData> data;
            switch (handOff.getKind()) {
                case SETUP_DATA:
                    data = SetupDataChain.findKho(memory, handOff.getAddress());
                    break;
                case DEVICE_TREE:
                    data = ChosenHandOff.read(bootDtb(memory, handOff.getAddress()));
                    break;
                default:
                    return new Dropped(DropReason.HAND_OFF_INVALID, handOff.getAddress(), "hand-off kind "
                            + handOff.getKind() + " is neither setup_data nor a device tree");
            }
            if (data.isEmpty()) {
                return new Dropped(DropReason.NO_HANDOVER, handOff.getAddress(), handOff.getKind()
                        == HandOff.Kind.SETUP_DATA ? "the setup_data chain has no SETUP_KEXEC_KHO node"
                        : "/chosen has no linux,kho-fdt: this boot did not come through KHO");
            }
            return data.get();
        } catch (HandOffFormatException e) {
            return new Dropped(DropReason.HAND_OFF_INVALID, e.address(), e.getMessage());
        }
    }

    private static ValidatedFdt bootDtb(PhysicalMemory memory, long address) throws HandOffFormatException {
        try {
            if (!memory.isRam(address, 8)) {
                throw new HandOffFormatException(address, "the boot DTB is not in RAM");
            }
            long total = Integer.toUnsignedLong(memory.readU32(address + 4, ByteOrder.BIG_ENDIAN));
            if (total > MAX_BOOT_DTB_BYTES || !memory.isRam(address, total)) {
                throw new HandOffFormatException(address, "the boot DTB's totalsize " + total + " exceeds "
                        + MAX_BOOT_DTB_BYTES + " bytes or runs outside RAM");
            }
            return FdtValidator.standard().validate(memory.read(address, (int) total));
        } catch (PhysicalMemoryException e) {
            throw new HandOffFormatException(address, "the boot DTB cannot be read: " + e.getMessage());
        } catch (FdtFormatException e) {
            throw new HandOffFormatException(address, "the boot DTB is not a valid FDT: " + e.getMessage());
        }
    }

    /** @return the scratch areas, or a Dropped */
    private static Object scratch(PhysicalMemory memory, KhoData data) {
        long entries = data.scratchSize() / ScratchArray.ENTRY_BYTES;
        if (data.scratchSize() < 0 || entries == 0 || entries > MAX_SCRATCH_ENTRIES) {
            return new Dropped(DropReason.SCRATCH_INVALID, data.scratchAddr(), "scratch_size "
                    + Long.toUnsignedString(data.scratchSize()) + " gives " + (data.scratchSize() < 0 ? "no" : entries)
                    + " areas; the successor needs 1 to " + MAX_SCRATCH_ENTRIES + " to boot from");
        }
        int bytes = (int) entries * ScratchArray.ENTRY_BYTES;
        try {
            if (!memory.isRam(data.scratchAddr(), bytes)) {
                return new Dropped(DropReason.SCRATCH_INVALID, data.scratchAddr(), String.format("the scratch array"
                        + " [0x%x, +0x%x) is not RAM", data.scratchAddr(), bytes));
            }
            List<ScratchArea> areas = ScratchArray.decode(memory.read(data.scratchAddr(), bytes),
                    ByteOrder.LITTLE_ENDIAN);
            for (ScratchArea a : areas) {
                if (a.size() > 0 && !memory.isRam(a.address(), a.size())) {
                    return new Dropped(DropReason.SCRATCH_INVALID, a.address(), String.format("scratch area %s"
                            + " [0x%x, 0x%x) is not RAM", a.label(), a.address(), a.end()));
                }
            }
            return areas;
        } catch (PhysicalMemoryException | ScratchParameterException e) {
            return new Dropped(DropReason.SCRATCH_INVALID, data.scratchAddr(), e.getMessage());
        }
    }

    private SubsystemRegistry restorers() {
        SubsystemRegistry all = SubsystemRegistry.empty();
        registry.restorers().forEach(all::register);
        if (all.restorer(KexecMetadata.NODE_NAME).isEmpty()) {
            all.register((Restorer<?>) KexecMetadata.subsystem());
        }
        return all;
    }

    private List<InboundOutcome.Subsystem> restore(InboundResult.Accepted root, PreservedMemoryMap map,
            Map<String, Object> states, List<String> failures) {
        SubsystemRegistry all = restorers();
        List<InboundOutcome.Subsystem> out = new ArrayList<>();
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (SubtreeIssue issue : root.issues()) {
            problems.computeIfAbsent(issue.name(), k -> new ArrayList<>()).add(issue.toString());
        }
        for (SubtreeRef ref : root.tree().subtrees()) {
            InboundSubtree blob = root.blobs().get(ref.name());
            long size = ref.size().orElse(blob == null ? 0 : blob.size());
            if (blob == null) {
                continue;
            }
            problems.remove(ref.name());
            unpreserved(map, ref.name(), new PhysRange(ref.address(), Math.max(1, size))).ifPresent(failures::add);
            out.add(restoreOne(all, blob, states));
        }
        for (Map.Entry<String, List<String>> e : problems.entrySet()) {
            long at = root.tree().subtree(e.getKey()).map(SubtreeRef::address).orElse(0L);
            out.add(new InboundOutcome.Subsystem(e.getKey(), Status.UNREADABLE, "", at, 0, String.join("; ",
                    e.getValue())));
        }
        for (InboundOutcome.Subsystem s : out) {
            if (s.status() != Status.RESTORED) {
                failures.add("subsystem " + s.name() + " " + s.status() + ": " + s.message());
            }
        }
        return out;
    }

    private static InboundOutcome.Subsystem restoreOne(SubsystemRegistry all, InboundSubtree blob,
            Map<String, Object> states) {
        String name = blob.name();
        Optional<Restorer<?>> restorer = all.restorer(name);
        if (restorer.isEmpty()) {
            return new InboundOutcome.Subsystem(name, Status.NO_RESTORER, declared(blob), blob.address(), blob.size(),
                    "no restorer named \"" + name + "\" is registered, so nobody retrieves this subtree");
        }
        CompatibleString version;
        try {
            version = all.negotiate(List.of(blob)).get(name);
        } catch (NegotiationException e) {
            return new InboundOutcome.Subsystem(name, Status.NOT_NEGOTIATED, declared(blob), blob.address(),
                    blob.size(), e.getMessage());
        }
        try {
            states.put(name, Subtrees.restore(restorer.get(), blob, version));
            return new InboundOutcome.Subsystem(name, Status.RESTORED, version.toString(), blob.address(), blob.size(),
                    "");
        } catch (RestoreException e) {
            return new InboundOutcome.Subsystem(name, Status.FAILED, version.toString(), blob.address(), blob.size(),
                    e.getMessage());
        } catch (RuntimeException e) {
            // a restorer bug must not take the other subsystems down with it
            return new InboundOutcome.Subsystem(name, Status.FAILED, version.toString(), blob.address(), blob.size(),
                    "the restorer threw " + e);
        }
    }

    private static String declared(InboundSubtree blob) {
        try {
            return blob.looksLikeFdt() ? String.join(" ", blob.rootCompatibles()) : "";
        } catch (RestoreException e) {
            return "";
        }
    }

    /** "The pages of @fdt must also be preserved" (kho-abi.md §5): else the successor may hand them out. */
    private Optional<String> unpreserved(PreservedMemoryMap map, String name, PhysRange blob) {
        long page = pageSize.bytes();
        long cursor = blob.start() & -page;
        long end = blob.end();
        while (cursor < end) {
            Optional<PreservedBlock> b = map.firstIntersecting(PhysRange.ofEnd(cursor, end));
            if (b.isEmpty() || b.get().phys() > cursor) {
                return Optional.of(String.format("subsystem %s: its blob page at 0x%x is not preserved; the successor"
                        + " may hand it out before the subsystem reads it", name, cursor));
            }
            cursor = b.get().range(pageSize).end();
        }
        return Optional.empty();
    }

    private void compareWithManifest(AbiGeneration g, KhoData data, InboundResult.Accepted root,
            PreservedMemoryMap map, List<String> failures) {
        if (!manifest.getGeneration().equals(g.name())) {
            failures.add("the manifest records generation " + manifest.getGeneration() + ", the successor read " + g);
        }
        if (manifest.getRootFdtPhys() != data.fdtAddr() || manifest.getMemoryMapRoot() != root.tree().memoryMap()) {
            failures.add(String.format("the manifest records the root at 0x%x and the map at 0x%x; the hand-off"
                    + " leads to 0x%x and 0x%x", manifest.getRootFdtPhys(), manifest.getMemoryMapRoot(), data.fdtAddr(),
                    root.tree().memoryMap()));
        }
        for (SubsystemEntry e : manifest.getSubsystemsList()) {
            Optional<SubtreeRef> ref = root.tree().subtree(e.getName());
            if (ref.isEmpty()) {
                failures.add("subsystem " + e.getName() + " is in the manifest but not in the root");
            } else if (ref.get().address() != e.getBlobPhys()
                    || ref.get().size().isPresent() && ref.get().size().getAsLong() != e.getBlobSize()) {
                failures.add(String.format("subsystem %s: the manifest records its blob at 0x%x+%d, the root points"
                        + " at %s", e.getName(), e.getBlobPhys(), e.getBlobSize(), ref.get()));
            }
        }
        PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(pageSize);
        for (io.kho4j.proto.PreservedBlock x : manifest.getBlocksList()) {
            try {
                b.addBlock(x.getPhys(), x.getOrder());
            } catch (IllegalArgumentException e) {
                failures.add("the manifest lists an impossible block: " + e.getMessage());
            }
        }
        PreservedMemoryMap recorded;
        try {
            recorded = b.build();
        } catch (IllegalArgumentException e) {
            failures.add("the manifest lists overlapping blocks: " + e.getMessage());
            return;
        }
        if (!recorded.equals(map)) {
            listMissing(recorded, map, "preserved block %s is in the manifest but not in the successor's map", failures);
            listMissing(map, recorded, "preserved block %s is in the successor's map but not in the manifest", failures);
        }
    }

    private static void listMissing(PreservedMemoryMap from, PreservedMemoryMap in, String format,
            List<String> failures) {
        int[] n = {0};
        from.forEachBlock((phys, order) -> {
            PreservedBlock block = new PreservedBlock(phys, order);
            if (!in.contains(block) && n[0]++ < MAX_LISTED) {
                failures.add(String.format(format, block));
            }
        });
        if (n[0] > MAX_LISTED) {
            failures.add((n[0] - MAX_LISTED) + " more such blocks");
        }
    }
}
