package io.kho4j.handover;

import io.kho4j.abi.Arch;
import io.kho4j.abi.CompatibleString;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.handover.internal.Phases;
import io.kho4j.host.KhoState;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.MapPageVisitor;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapCodecConfig;
import io.kho4j.preserve.MemoryMapFormatException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.preserve.PreservedMemoryMap;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.DigestScope;
import io.kho4j.proto.HandOff;
import io.kho4j.proto.HandoverManifest;
import io.kho4j.proto.PreservedBlock;
import io.kho4j.proto.Region;
import io.kho4j.proto.ScratchAreaEntry;
import io.kho4j.proto.SubsystemEntry;
import io.kho4j.scratch.KexecSegments;
import io.kho4j.scratch.KhoCommandLine;
import io.kho4j.scratch.MachineDescription;
import io.kho4j.scratch.MemoryBank;
import io.kho4j.scratch.ScratchArea;
import io.kho4j.scratch.ScratchChecks;
import io.kho4j.scratch.ScratchFinding;
import io.kho4j.scratch.ScratchPlan;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import io.kho4j.spi.internal.FolioAllocator;
import io.kho4j.abi.KernelRelease;
import io.kho4j.tree.DuplicateSubtreeException;
import io.kho4j.tree.RootOverflowException;
import io.kho4j.tree.TreeAssembler;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a handover into a machine's physical memory the way the kernel does (kho-abi.md §1 – §3, §9.5), in
 * three steps:
 * <ol>
 *   <li>{@link #create}: refuses kernels that would lose the state (before anything is written) and plans the
 *       scratch areas from the first kernel's command line;</li>
 *   <li>{@link #finalizeState()}: runs every serializer, places each blob in its own folio outside scratch and
 *       preserves it ("The pages of @fdt must also be preserved", kho-abi.md §5), encodes the preserved-memory
 *       map in the generation's layout (blocks split at NUMA boundaries from 7.1), and assembles the root FDT
 *       with its {@code preserved-memory-map} filled last, as {@code kho_finalize} does;</li>
 *   <li>{@link #load}: places the kexec segments inside scratch as {@code kexec_file_load} does on a KHO kernel
 *       (scratch array, kernel, initrd, and the hand-off: an x86 {@code setup_data} node linked in front of the
 *       existing chain, or the arm64 boot DTB with its {@code /chosen} properties), checks the 7.3 producer
 *       rules, and digests what was written into the {@linkplain HandoverManifest manifest}.</li>
 * </ol>
 * Blobs, subsystem folios and memory-map pages are allocated top-down from free RAM, never inside scratch, the
 * kernel or firmware-reserved memory; kexec segments go inside scratch, where the successor boots. From kho-v3
 * the builder adds KHO's own {@link KexecMetadata} subtree first. One builder builds one handover.
 *
 * <p>Digests: CRC32C by default. The default scope is {@link DigestScope#METADATA}: every byte the successor must
 * parse (root, blobs, subsystem folios, map pages, scratch array, hand-off), the same trade-off as kexec
 * purgatory, which checks the segments it loads but not the memory the kernels keep. Hashing every preserved
 * range ({@link DigestScope#ALL}) would read all guest RAM of a VM host on both sides of the kexec.
 */
public final class HandoverBuilder {
    /** The subsystem name used in regions and digests for KHO's own structures. */
    public static final String KHO_OWNER = "kho";
    /** kexec_file_load on x86 loads the kernel at CONFIG_PHYSICAL_ALIGN (2 MiB by default; derived, not kho-abi.md). */
    private static final long KERNEL_ALIGN = 2L << 20;

    private final HandoverTarget target;
    private final MachineDescription machine;
    private final PhysicalMemory memory;
    private final ScratchPlan plan;
    private final FolioAllocator folios;
    private final Phases phases;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Region> regions = new ArrayList<>();
    private DigestAlgorithm algorithm = DigestAlgorithm.CRC32C;
    private DigestScope scope = DigestScope.METADATA;
    private long setupDataHead;
    private byte[] bootDtb;
    private boolean crashKernel;
    private int kexecCount = 1;
    private Finalized finalized;
    private Handover loaded;

    private record Entry(SubsystemSerializer<?> serializer, Object state, String description) {
    }

    /** One subsystem after serialization and placement. */
    private record Placed(Entry entry, SerializedSubtree subtree, List<Preservation> own, List<Preservation> folios,
            long blobPhys) {
        long ownBytes() {
            long n = 0;
            for (Preservation p : own) {
                n += p.range().size();
            }
            for (Preservation p : folios) {
                n += p.range().size();
            }
            return n;
        }
    }

    /** What {@link #finalizeState} wrote. */
    private record Finalized(List<Placed> placed, long rootPhys, byte[] root, long mapRoot, PreservedMemoryMap map,
            List<PhysRange> mapPages) {
    }

    private HandoverBuilder(HandoverTarget target, MachineDescription machine, PhysicalMemory memory, ScratchPlan plan,
            boolean zeroedMemory, Phases phases) {
        this.target = target;
        this.phases = phases;
        this.machine = machine;
        this.memory = memory;
        this.plan = plan;
        List<PhysRange> free = new ArrayList<>();
        machine.banks().forEach(b -> free.add(b.range()));
        List<PhysRange> excluded = new ArrayList<>(plan.areaRanges());
        excluded.addAll(machine.reserved());
        excluded.addAll(machine.kernelReserved());
        this.folios = new FolioAllocator(memory, target.pageSize().bytes(), free, excluded, !zeroedMemory);
    }

    /**
     * Starts a handover: checks the kernels and plans scratch. Writes nothing.
     *
     * @param target the kernels, page size and architecture
     * @param machine RAM banks per node and reserved memory of the first kernel's boot
     * @param commandLine the first kernel's command line: {@code kho=on} and {@code kho_scratch=} (up to 7.3)
     *     or {@code kho_bootmem=} (7.4+) decide whether and where scratch is
     * @param memory the machine's physical memory
     * @param zeroedMemory whether free memory reads as zero (a new sparse image): folios are then not
     *     zero-filled, which keeps the image sparse
     * @return the builder
     * @throws HandoverBuildException {@link HandoverBuildException.Kind#INCOMPATIBLE_KERNELS} when the successor
     *     would lose the state, {@link HandoverBuildException.Kind#KHO_DISABLED}, or
     *     {@link HandoverBuildException.Kind#SCRATCH_INFEASIBLE}
     */
    public static HandoverBuilder create(HandoverTarget target, MachineDescription machine, String commandLine,
            PhysicalMemory memory, boolean zeroedMemory) throws HandoverBuildException {
        Objects.requireNonNull(memory, "memory");
        if (machine.pageSize() != target.pageSize()) {
            throw new IllegalArgumentException("machine has " + machine.pageSize() + " but the target " + target.pageSize());
        }
        Phases clock = new Phases();
        target.requireCompatible();
        KhoCommandLine cmdline = KhoCommandLine.parse(commandLine, target.scratchRules());
        ScratchPlan plan = ScratchPlan.plan(machine, cmdline, target.scratchRules(), false);
        if (!plan.enabled()) {
            throw new HandoverBuildException(HandoverBuildException.Kind.KHO_DISABLED, "KHO is off on the command line"
                    + " \"" + commandLine + "\"", plan.notes(), null);
        }
        if (!plan.feasible()) {
            throw new HandoverBuildException(HandoverBuildException.Kind.SCRATCH_INFEASIBLE, plan.failure().orElseThrow(),
                    plan.notes(), null);
        }
        clock.end("plan");
        return new HandoverBuilder(target, machine, memory, plan, zeroedMemory, clock);
    }

    /** @return the kernels and machine facts */
    public HandoverTarget target() {
        return target;
    }

    /** @return the scratch plan */
    public ScratchPlan plan() {
        return plan;
    }

    /**
     * @return the machine as sample providers see it: sample data is allocated from the same free memory as
     *     the handover's own structures, so nothing overlaps
     */
    public SampleMachine sampleMachine() {
        return new SampleMachine() {
            @Override
            public WriteContext context() {
                return target.context();
            }

            @Override
            public KernelRelease from() {
                return target.from();
            }

            @Override
            public KernelRelease to() {
                return target.to();
            }

            @Override
            public PhysRange allocate(long bytes) throws PhysicalMemoryException {
                requireOpen();
                PhysRange r = folios.allocateRange(bytes);
                regions.add(region("SAMPLE_DATA", "data", r));
                return r;
            }

            @Override
            public PhysicalMemory memory() {
                return memory;
            }

            @Override
            public Arch arch() {
                return target.arch();
            }
        };
    }

    /**
     * Adds a subsystem. Subtrees appear in the root in the order added (the {@code kexec-metadata} subtree of
     * kho-v3+ first).
     *
     * @param <S> the state type
     * @param serializer the serializer
     * @param state its state
     * @param description one line for reports
     * @return this builder
     * @throws IllegalArgumentException if a subsystem of that name was added already
     */
    public <S> HandoverBuilder add(SubsystemSerializer<S> serializer, S state, String description) {
        requireOpen();
        for (Entry e : entries) {
            if (e.serializer().name().equals(serializer.name())) {
                throw new IllegalArgumentException("a subsystem named \"" + serializer.name() + "\" was added already;"
                        + " subtree names are unique (kho_add_subtree: -EEXIST)");
            }
        }
        entries.add(new Entry(serializer, Objects.requireNonNull(state, "state"), description));
        return this;
    }

    /** @param sample a provider's sample @return this builder @throws IllegalArgumentException as {@link #add} */
    public HandoverBuilder add(SampleStateProvider.Sample<?> sample) {
        return addSample(sample);
    }

    private <S> HandoverBuilder addSample(SampleStateProvider.Sample<S> sample) {
        return add(sample.serializer(), sample.state(), sample.description());
    }

    /**
     * @param algorithm CRC32C (default) or SHA256
     * @param scope METADATA (default) or ALL
     * @return this builder
     */
    public HandoverBuilder digests(DigestAlgorithm algorithm, DigestScope scope) {
        requireOpen();
        if (algorithm != DigestAlgorithm.CRC32C && algorithm != DigestAlgorithm.SHA256) {
            throw new IllegalArgumentException("digest algorithm must be CRC32C or SHA256: " + algorithm);
        }
        if (scope != DigestScope.METADATA && scope != DigestScope.ALL) {
            throw new IllegalArgumentException("digest scope must be METADATA or ALL: " + scope);
        }
        this.algorithm = algorithm;
        this.scope = scope;
        return this;
    }

    /**
     * @param head physical address of the existing x86 {@code setup_data} chain (0 if none): the KHO node is
     *     linked in front of it
     * @return this builder
     */
    public HandoverBuilder setupDataChain(long head) {
        this.setupDataHead = head;
        return this;
    }

    /** @param dtb the arm64 boot DTB to add the {@code /chosen} properties to @return this builder */
    public HandoverBuilder bootDtb(byte[] dtb) {
        this.bootDtb = dtb.clone();
        return this;
    }

    /**
     * @param crash whether the next kernel is a crash (kdump) kernel: it gets no KHO hand-off, as
     *     {@code kho_fill_kimage} skips crash images, and stale {@code /chosen} properties are removed (kho-abi.md §8)
     * @return this builder
     */
    public HandoverBuilder crashKernel(boolean crash) {
        this.crashKernel = crash;
        return this;
    }

    /** @param count the {@code kexec_count} written into {@link KexecMetadata} (default 1) @return this builder */
    public HandoverBuilder kexecCount(int count) {
        this.kexecCount = count;
        return this;
    }

    /**
     * Serializes every subsystem and writes blobs, the memory map and the root FDT: the state a 6.16 – 7.0 kernel
     * has after {@code echo 1 > finalize}. Later calls return the same state.
     *
     * @return the outgoing state: root FDT, each blob by name, the scratch areas
     * @throws HandoverBuildException if a serializer, a preservation, the memory or the root refuses
     */
    public KhoState finalizeState() throws HandoverBuildException {
        Finalized f = finalizeOnce();
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        f.placed().forEach(p -> blobs.put(p.subtree().name(), p.subtree().bytes()));
        return new KhoState(Optional.of(f.root()), blobs, plan.areaRanges());
    }

    /** @return the state {@link #writeState} wrote, written on the first call */
    private Finalized finalizeOnce() throws HandoverBuildException {
        if (finalized == null) {
            finalized = writeState();
        }
        return finalized;
    }

    /**
     * Loads the next kernel: places the kexec segments in scratch, writes the hand-off, checks the producer rules
     * and digests everything into the manifest. Finalizes first if needed.
     *
     * @param kernelBytes size of the next kernel image
     * @param initrdBytes size of its initrd, 0 for none
     * @return the handover
     * @throws HandoverBuildException if anything refuses; {@link HandoverBuildException.Kind#SEGMENTS_DO_NOT_FIT}
     *     if the kernel and initrd do not fit scratch
     * @throws IllegalStateException if called twice
     */
    public Handover load(long kernelBytes, long initrdBytes) throws HandoverBuildException {
        if (loaded != null) {
            throw new IllegalStateException("this handover is loaded already");
        }
        if (kernelBytes < 1 || initrdBytes < 0) {
            throw new IllegalArgumentException("kernel of " + kernelBytes + " bytes, initrd of " + initrdBytes);
        }
        finalizeOnce(); // not finalizeState(): load returns no KhoState, so it copies no blob
        try {
            loaded = writeHandOff(kernelBytes, initrdBytes);
        } catch (PhysicalMemoryException e) {
            throw new HandoverBuildException(HandoverBuildException.Kind.OUT_OF_MEMORY, e.getMessage(), List.of(), e);
        }
        return loaded;
    }

    private void requireOpen() {
        if (finalized != null) {
            throw new IllegalStateException("the handover is finalized: no more state can be added");
        }
    }

    private Finalized writeState() throws HandoverBuildException {
        phases.start();
        List<Entry> all = new ArrayList<>();
        if (target.generation().sizeProperty().isPresent()
                && entries.stream().noneMatch(e -> e.serializer().name().equals(KexecMetadata.NODE_NAME))) {
            all.add(new Entry(KexecMetadata.subsystem(), new KexecMetadata(target.from().toString(), kexecCount),
                    "previous release " + target.from() + ", kexec " + Integer.toUnsignedString(kexecCount)));
        }
        all.addAll(entries);
        List<Placed> placed = new ArrayList<>();
        try {
            for (Entry e : all) {
                placed.add(serialize(e));
            }
            phases.end("serialize");
            long rootPhys = folios.allocateFolio(0);
            regions.add(region("ROOT_FDT", KHO_OWNER, new PhysRange(rootPhys, target.pageSize().bytes())));
            PreservedMemoryMap map = preservedMap(placed, rootPhys);
            phases.end("place");
            MemoryMapCodec codec = codec();
            List<PhysRange> mapPages = new ArrayList<>();
            long mapRoot = codec.encode(map, memory, () -> {
                long page = folios.allocateFolio(0);
                mapPages.add(new PhysRange(page, target.pageSize().bytes()));
                return page;
            });
            mapPages.forEach(p -> regions.add(region("MAP_PAGE", KHO_OWNER, p)));
            phases.end("memory map");
            TreeAssembler assembler = TreeAssembler.create(target.generation(), target.rootLayout(),
                    target.pageSize().bytes(), ByteOrder.LITTLE_ENDIAN);
            for (Placed p : placed) {
                assembler.addSubtree(p.subtree().name(), p.blobPhys(), p.subtree().size());
            }
            byte[] root = assembler.build(mapRoot);
            memory.write(rootPhys, root);
            phases.end("root tree");
            return new Finalized(placed, rootPhys, root, mapRoot, map, mapPages);
        } catch (PhysicalMemoryException e) {
            throw new HandoverBuildException(HandoverBuildException.Kind.OUT_OF_MEMORY, e.getMessage(), List.of(), e);
        } catch (MemoryMapFormatException e) {
            throw new HandoverBuildException(HandoverBuildException.Kind.PRESERVATION_INVALID, target.generation()
                    + "'s memory map cannot hold the preserved blocks: " + e.getMessage(), List.of(), e);
        } catch (DuplicateSubtreeException | RootOverflowException e) {
            throw new HandoverBuildException(HandoverBuildException.Kind.ROOT_INVALID, e.getMessage(), List.of(), e);
        }
    }

    private MemoryMapCodec codec() {
        return MemoryMapCodec.of(new MemoryMapCodecConfig(target.generation().memoryMap(), target.pageSize(),
                ByteOrder.LITTLE_ENDIAN, false));
    }

    private <S> Placed serialize(Entry e) throws HandoverBuildException, PhysicalMemoryException {
        @SuppressWarnings("unchecked")
        SubsystemSerializer<S> s = (SubsystemSerializer<S>) e.serializer();
        @SuppressWarnings("unchecked")
        S state = (S) e.state();
        Optional<CompatibleString> version = s.versionFor(target.generation());
        if (version.isEmpty()) {
            throw new HandoverBuildException(HandoverBuildException.Kind.SERIALIZER_FAILED, "subsystem \"" + s.name()
                    + "\" writes no version for " + target.generation() + " (it writes " + s.writes() + ")");
        }
        int before = folios.allocations().size();
        SerializedSubtree subtree;
        try {
            subtree = Subtrees.write(s, state, version.get(), target.context(), folios);
        } catch (IllegalArgumentException | IllegalStateException x) {
            throw new HandoverBuildException(HandoverBuildException.Kind.SERIALIZER_FAILED, "subsystem \"" + s.name()
                    + "\" refused its state: " + x.getMessage(), List.of(), x);
        }
        List<Preservation> made = folios.allocations();
        List<Preservation> own = new ArrayList<>(subtree.preservations());
        List<Preservation> folioList = new ArrayList<>(made.subList(before, made.size()));
        own.removeAll(folioList);
        folioList.forEach(f -> regions.add(region("FOLIO", s.name(), f.range())));
        long blobPhys = subtree.placeIn(folios);
        regions.add(region("BLOB", s.name(), new PhysRange(blobPhys, Math.max(1, subtree.size()))));
        return new Placed(e, subtree, own, folioList, blobPhys);
    }

    private PreservedMemoryMap preservedMap(List<Placed> placed, long rootPhys) throws HandoverBuildException {
        PreservedMemoryMap.Builder b = PreservedMemoryMap.builder(target.pageSize());
        if (target.splitsAtNodes()) {
            b.nodeBoundaries(nodeBoundaries());
        }
        for (Placed p : placed) {
            String name = p.subtree().name();
            List<Preservation> blocks = new ArrayList<>(p.own());
            blocks.addAll(p.folios());
            int blobOrder = folios.orderFor(p.subtree().size());
            blocks.add(new Preservation(new PhysRange(p.blobPhys(), (long) target.pageSize().bytes() << blobOrder),
                    blobOrder));
            for (Preservation x : blocks) {
                checkPreservation(name, x.range());
                try {
                    if (x.isFolio()) {
                        b.addFolio(x.range().start(), x.folioOrder());
                    } else {
                        b.addRange(x.range());
                    }
                } catch (IllegalArgumentException e) {
                    throw new HandoverBuildException(HandoverBuildException.Kind.PRESERVATION_INVALID, "subsystem \""
                            + name + "\" preserves " + x.range() + (x.isFolio() ? " as a folio of order "
                            + x.folioOrder() : "") + ": " + e.getMessage(), List.of(), e);
                }
            }
        }
        if (target.extendedScratch()) {
            // 7.3+: the successor reads the root before anything is restored, so it must be a preserved key (§9.5)
            b.addFolio(rootPhys, 0);
        }
        return b.build();
    }

    private void checkPreservation(String name, PhysRange range) throws HandoverBuildException {
        long covered = range.start();
        for (MemoryBank bank : machine.banks()) {
            if (bank.range().contains(covered)) {
                covered = bank.range().end();
            }
        }
        if (covered < range.end()) {
            throw new HandoverBuildException(HandoverBuildException.Kind.PRESERVATION_INVALID, "subsystem \"" + name
                    + "\" preserves " + range + String.format(", but 0x%x is not RAM", covered));
        }
        for (ScratchArea a : plan.areas()) {
            if (a.overlaps(range)) {
                throw new HandoverBuildException(HandoverBuildException.Kind.PRESERVATION_INVALID, "subsystem \""
                        + name + "\" preserves " + range + ", which overlaps the " + a.label() + " scratch area"
                        + String.format(" [0x%x, 0x%x)", a.address(), a.end())
                        + ": the successor allocates there before it reads the map (kho_scratch_overlap: -EINVAL)");
            }
        }
    }

    /** @return addresses at which a bank of another node begins */
    private long[] nodeBoundaries() {
        List<Long> out = new ArrayList<>();
        MemoryBank previous = null;
        for (MemoryBank bank : machine.banks()) {
            if (previous != null && previous.node() != bank.node()) {
                out.add(bank.range().start());
            }
            previous = bank;
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private Handover writeHandOff(long kernelBytes, long initrdBytes)
            throws HandoverBuildException, PhysicalMemoryException {
        phases.start();
        Finalized f = finalized;
        List<String> problems = new ArrayList<>();
        checkProducerRules(f, problems);
        if (!problems.isEmpty()) {
            throw new HandoverBuildException(HandoverBuildException.Kind.PRODUCER_RULE, "the successor ("
                    + target.to() + ") may reuse memory it still has to read (kho-abi.md §9.5)", problems, null);
        }
        phases.end("checks");
        byte[] scratchArray = plan.arrayBytes(ByteOrder.LITTLE_ENDIAN);
        // the DTB's size does not depend on the values in it, so a placeholder sizes the segment
        int handOffBytes = handOffBytes(new KhoData(0, 0, 0, 0)).length;
        List<KexecSegments.Request> requests = new ArrayList<>();
        if (!crashKernel) {
            requests.add(KexecSegments.Request.scratchArray(plan.areas().size()));
        }
        requests.add(new KexecSegments.Request("kernel", kernelBytes, KERNEL_ALIGN, 0, true));
        if (initrdBytes > 0) {
            requests.add(new KexecSegments.Request("initrd", initrdBytes, target.pageSize().bytes(), 0, true));
        }
        if (handOffBytes > 0) {
            requests.add(new KexecSegments.Request(target.arch() == Arch.X86_64 ? "setup_data" : "dtb",
                    handOffBytes, target.pageSize().bytes(), 0, true));
        }
        KexecSegments.Result segments = KexecSegments.place(plan.areas(), requests, target.pageSize());
        if (!segments.findings().isEmpty()) {
            throw new HandoverBuildException(HandoverBuildException.Kind.SEGMENTS_DO_NOT_FIT, "the next kernel does not"
                    + " fit the scratch areas, where kexec_file_load must place it on a KHO kernel",
                    segments.findings().stream().map(ScratchFinding::message).toList(), null);
        }
        List<KexecSegments.Placement> placements = new ArrayList<>(segments.placements());
        KhoData data = null;
        if (!crashKernel) {
            KexecSegments.Placement array = placements.remove(0);
            memory.write(array.range().start(), scratchArray);
            regions.add(region("SCRATCH_ARRAY", KHO_OWNER, new PhysRange(array.range().start(), scratchArray.length)));
            data = new KhoData(f.rootPhys(), target.pageSize().bytes(), array.range().start(), scratchArray.length);
        }
        regions.add(region("KERNEL", KHO_OWNER, placements.get(0).range()));
        if (initrdBytes > 0) {
            regions.add(region("INITRD", KHO_OWNER, placements.get(1).range()));
        }
        byte[] handOff = handOffBytes(data);
        long handOffAt = setupDataHead;
        if (handOff.length > 0) {
            handOffAt = placements.get(placements.size() - 1).range().start();
            memory.write(handOffAt, handOff);
            regions.add(region("HAND_OFF", KHO_OWNER, new PhysRange(handOffAt, handOff.length)));
        }
        HandOff.Builder h = HandOff.newBuilder().setAddress(handOffAt).setSize(handOff.length)
                .setKind(target.arch() == Arch.X86_64 ? HandOff.Kind.SETUP_DATA : HandOff.Kind.DEVICE_TREE);
        if (data != null) {
            h.setFdtAddr(data.fdtAddr()).setFdtSize(data.fdtSize()).setScratchAddr(data.scratchAddr())
                    .setScratchSize(data.scratchSize());
        }
        phases.end("hand-off");
        HandoverManifest manifest = manifest(f, h.build(), handOffAt, handOff.length);
        phases.end("digests");
        return new Handover(target, plan, f.rootPhys(), f.root(), f.map(), h.build(), manifest, phases.nanos());
    }

    /** The hand-off bytes: the 48-byte setup_data node (none for a crash kernel), or the boot DTB with /chosen set. */
    private byte[] handOffBytes(KhoData data) throws HandoverBuildException {
        if (target.arch() == Arch.X86_64) {
            return crashKernel ? new byte[0] : SetupDataChain.encodeKhoNode(setupDataHead, data);
        }
        try {
            ValidatedFdt dtb = FdtValidator.standard().validate(bootDtb != null ? bootDtb : BootDtb.minimal(machine));
            return ChosenHandOff.apply(dtb, data == null ? new KhoData(0, 0, 0, 0) : data, crashKernel);
        } catch (FdtFormatException | HandOffFormatException e) {
            throw new HandoverBuildException(HandoverBuildException.Kind.HAND_OFF_INVALID, "the boot DTB: "
                    + e.getMessage(), List.of(), e);
        }
    }

    /**
     * The 7.3 rules: every page the successor reads is a preserved key, and every 1 GiB block it reads from holds
     * a key or a radix table page. Radix leaves are not keys ("Tree pages are not keys themselves", kho-abi.md §2)
     * but must sit in a busy GiB, so only their GiB finding counts.
     */
    private void checkProducerRules(Finalized f, List<String> problems) throws HandoverBuildException {
        for (ScratchFinding x : ScratchChecks.preservedOutsideScratch(f.map(), plan.areas())) {
            problems.add(x.message());
        }
        List<Long> tables = new ArrayList<>();
        List<PhysRange> leaves = new ArrayList<>();
        PreservedMemoryMap decoded;
        try {
            decoded = codec().decode(memory, f.mapRoot(), (phys, length, kind) -> {
                if (kind == MapPageVisitor.Kind.RADIX_TABLE) {
                    tables.add(phys);
                } else if (kind == MapPageVisitor.Kind.RADIX_LEAF) {
                    leaves.add(new PhysRange(phys, length));
                }
            });
        } catch (MemoryMapFormatException e) {
            throw new IllegalStateException("the memory map just written does not decode: " + e.getMessage(), e);
        }
        if (!decoded.equals(f.map())) {
            throw new IllegalStateException("the memory map just written decodes to " + decoded + ", not " + f.map());
        }
        if (!target.extendedScratch()) {
            return;
        }
        List<PhysRange> mustRead = new ArrayList<>();
        mustRead.add(new PhysRange(f.rootPhys(), f.root().length));
        for (Placed p : f.placed()) {
            mustRead.add(new PhysRange(p.blobPhys(), Math.max(1, p.subtree().size())));
            p.folios().forEach(x -> mustRead.add(x.range()));
        }
        mustRead.addAll(leaves);
        Set<PhysRange> leafSet = new HashSet<>(leaves);
        for (ScratchFinding x : ScratchChecks.extendedScratch(f.map(), tables, mustRead)) {
            if (!(x.kind() == ScratchFinding.Kind.NOT_PRESERVED && leafSet.contains(x.range()))) {
                problems.add(x.message());
            }
        }
    }

    private HandoverManifest manifest(Finalized f, HandOff handOff, long handOffAt, int handOffBytes)
            throws PhysicalMemoryException {
        long page = target.pageSize().bytes();
        HandoverManifest.Builder m = HandoverManifest.newBuilder().setFormatVersion(1)
                .setGeneration(target.generation().name()).setFromRelease(target.from().toString())
                .setToRelease(target.to().toString()).setPageSize((int) page).setArch(target.arch().cliName())
                .setRootFdtPhys(f.rootPhys()).setMemoryMapRoot(f.mapRoot()).setDigestAlgorithm(algorithm)
                .setDigestScope(scope).setCreatedMillis(System.currentTimeMillis()).setHandOff(handOff)
                .setPreservedBytes(f.map().preservedBytes()).addAllRegions(regions);
        for (ScratchArea a : plan.areas()) {
            m.addScratch(ScratchAreaEntry.newBuilder().setLabel(a.label()).setPhys(a.address()).setSize(a.size()));
        }
        f.map().forEachBlock((phys, order) -> m.addBlocks(PreservedBlock.newBuilder().setPhys(phys).setOrder(order)));
        m.addDigests(RangeDigests.digest(memory, KHO_OWNER, new PhysRange(f.rootPhys(), f.root().length), algorithm,
                page));
        for (Placed p : f.placed()) {
            String name = p.subtree().name();
            m.addSubsystems(SubsystemEntry.newBuilder().setName(name).addCompatible(p.subtree().version().toString())
                    .setBlobPhys(p.blobPhys()).setBlobSize(p.subtree().size()).setDescription(p.entry().description())
                    .setPreservedBytes(p.ownBytes()));
            if (p.subtree().size() > 0) {
                m.addDigests(RangeDigests.digest(memory, name, new PhysRange(p.blobPhys(), p.subtree().size()),
                        algorithm, page));
            }
            for (Preservation x : p.folios()) {
                m.addDigests(RangeDigests.digest(memory, name, x.range(), algorithm, page));
            }
            if (scope == DigestScope.ALL) {
                for (Preservation x : p.own()) {
                    m.addDigests(RangeDigests.digest(memory, name, x.range(), algorithm, page));
                }
            }
        }
        for (PhysRange r : f.mapPages()) {
            m.addDigests(RangeDigests.digest(memory, KHO_OWNER, r, algorithm, page));
        }
        if (!crashKernel) {
            m.addDigests(RangeDigests.digest(memory, KHO_OWNER, new PhysRange(handOff.getScratchAddr(),
                    handOff.getScratchSize()), algorithm, page));
        }
        if (handOffBytes > 0) {
            m.addDigests(RangeDigests.digest(memory, KHO_OWNER, new PhysRange(handOffAt, handOffBytes), algorithm, page));
        }
        return m.build();
    }

    private static Region region(String kind, String owner, PhysRange r) {
        return Region.newBuilder().setKind(kind).setOwner(owner).setPhys(r.start()).setSize(r.size()).build();
    }
}
