package io.kho4j.host;

import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.handover.Handover;
import io.kho4j.handover.HandoverBuildException;
import io.kho4j.handover.HandoverBuilder;
import io.kho4j.handover.InboundOutcome;
import io.kho4j.handover.KhoInbound;
import io.kho4j.host.internal.SuccessorMain;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.DigestScope;
import io.kho4j.proto.HandoverManifest;
import io.kho4j.proto.SimulatedHostState;
import io.kho4j.proto.SuccessorReport;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.spi.SubsystemSerializer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A described machine ({@link SimulatedMachine}) as a {@link KhoHost}, with its physical memory in a sparse
 * memory-image file (DESIGN.md §5). {@link #boot} starts the first kernel: subsystems add their state,
 * {@link #finalizeOutgoing()} and {@link #loadKernel} build the handover in memory as the kernel does
 * ({@link HandoverBuilder}), and {@link #rebootIntoLoadedKernel} "kexecs": it persists the image, the hand-off
 * and the manifest, then starts the successor in a separate JVM that opens the image ({@link #open}), walks it
 * as the successor kernel would ({@link KhoInbound}) and writes its report.
 *
 * <p>Crash safety: each handover writes a new image file {@code memory-<n>.img} and manifest, both synced; the
 * commit point is the small state file {@value #STATE_FILE}, replaced atomically ({@link AtomicFiles}) and
 * naming them. A reader therefore sees the previous complete handover or the new one, never a torn one; files
 * the state does not name are leftovers of an interrupted write and are removed by the next {@link #boot}.
 *
 * <p>A successor opened with {@link #open} reads its incoming state; it cannot hand over again (its memory image
 * belongs to the committed handover). Not thread-safe.
 */
public final class SimulatedKhoHost implements KhoHost, Closeable {
    /** The commit point, in the state directory. */
    public static final String STATE_FILE = "kho-host.state";
    /** What the state file, manifests and reports may be at most: they describe, they do not hold memory. */
    private static final int MAX_STATE_BYTES = 1 << 20;
    private static final int MAX_MANIFEST_BYTES = 256 << 20;
    private static final int FORMAT_VERSION = 1;

    private final Path dir;
    private final SimulatedMachine machine;
    private final SimulatedHostState committed;
    private final MemoryImage memory;
    /** First kernel only. */
    private final HandoverBuilder builder;
    private final long sequence;
    /** Successor only. */
    private final HandoverManifest incomingManifest;
    private boolean finalized;
    private Handover handover;
    private boolean handedOver;
    private SubsystemRegistry inProcessRestorers;
    /** kho-core's module name (its module-info.java). */
    static final String CORE_MODULE = "io.kho4j.core";
    private String successorClassPath = System.getProperty("java.class.path");
    // A successor on the module path sees restorers that modules declare only with `provides`.
    private String successorModulePath = SuccessorMain.class.getModule().isNamed()
            ? System.getProperty("jdk.module.path", "") : "";
    private Duration successorTimeout = Duration.ofSeconds(120);
    private SuccessorReport lastReport;
    private final Map<String, Long> phases = new LinkedHashMap<>();

    private SimulatedKhoHost(Path dir, SimulatedMachine machine, SimulatedHostState committed, MemoryImage memory,
            HandoverBuilder builder, long sequence, HandoverManifest incomingManifest) {
        this.dir = dir;
        this.machine = machine;
        this.committed = committed;
        this.memory = memory;
        this.builder = builder;
        this.sequence = sequence;
        this.incomingManifest = incomingManifest;
    }

    /**
     * Boots the first kernel of a machine in {@code dir}, with fresh memory. The handover it builds replaces any
     * committed one in that directory only when it is committed.
     *
     * @param dir the state directory; created if needed
     * @param machine the machine
     * @return the running first kernel
     * @throws HandoverBuildException if the kernels would lose the state (before any file is written), KHO is
     *     off, or scratch cannot be placed
     * @throws IOException if the directory or image cannot be written
     */
    public static SimulatedKhoHost boot(Path dir, SimulatedMachine machine) throws IOException {
        machine.target().requireCompatible();
        Files.createDirectories(dir);
        Optional<SimulatedHostState> committed = readState(dir);
        removeLeftovers(dir, committed);
        long sequence = committed.map(SimulatedHostState::getSequence).orElse(0L) + 1;
        Path image = dir.resolve("memory-" + sequence + ".img");
        Files.deleteIfExists(image);
        MemoryImage memory = MemoryImage.openWritable(image, machine.ram().start(), machine.ram().size());
        try {
            HandoverBuilder builder = HandoverBuilder.create(machine.target(), machine.description(),
                    machine.commandLine(), memory, true);
            return new SimulatedKhoHost(dir, machine, committed.orElse(null), memory, builder, sequence, null);
        } catch (IOException | RuntimeException e) {
            memory.close();
            Files.deleteIfExists(image);
            throw e;
        }
    }

    /**
     * Opens the committed handover in {@code dir} as the successor kernel sees it after the kexec.
     *
     * @param dir the state directory
     * @return the successor, reading the committed memory image
     * @throws HostFileFormatException if no handover is committed or a state file is malformed
     * @throws IOException if a file cannot be read
     */
    public static SimulatedKhoHost open(Path dir) throws IOException {
        SimulatedHostState state = readState(dir).orElseThrow(() -> new HostFileFormatException(dir.resolve(STATE_FILE),
                0, "no handover is committed here"));
        SimulatedMachine machine;
        try {
            machine = SimulatedMachine.fromSpec(state.getMachine());
        } catch (GenerationException | IllegalArgumentException e) {
            throw new HostFileFormatException(dir.resolve(STATE_FILE), 0, "describes no valid machine: " + e.getMessage());
        }
        Path manifestFile = dir.resolve(fileName(dir, state.getManifestFile()));
        byte[] manifestBytes = HostFiles.read(manifestFile, MAX_MANIFEST_BYTES).orElseThrow(() ->
                new HostFileFormatException(manifestFile, 0, "named by the state file but missing"));
        if (!MessageDigest.isEqual(sha256(manifestBytes), state.getManifestSha256().toByteArray())) {
            throw new HostFileFormatException(manifestFile, 0, "does not match the SHA-256 the state file records");
        }
        HandoverManifest manifest = HandoverManifest.parseFrom(manifestBytes);
        MemoryImage memory = MemoryImage.open(dir.resolve(fileName(dir, state.getImageFile())), machine.ram().start());
        return new SimulatedKhoHost(dir, machine, state, memory, null, state.getSequence(), manifest);
    }

    /** @return the machine */
    public SimulatedMachine machine() {
        return machine;
    }

    /** @return the state directory */
    public Path directory() {
        return dir;
    }

    /** @return the handover number: the one being built, or for a successor the one it received */
    public long sequence() {
        return sequence;
    }

    /** @return the physical memory (the memory image) */
    public PhysicalMemory memory() {
        return memory;
    }

    /** @return the machine as sample providers see it (first kernel only) */
    public SampleMachine sampleMachine() {
        return first().sampleMachine();
    }

    /**
     * @param <S> the state type
     * @param serializer a subsystem
     * @param state its state
     * @param description one line for reports
     * @return this host
     */
    public <S> SimulatedKhoHost add(SubsystemSerializer<S> serializer, S state, String description) {
        first().add(serializer, state, description);
        return this;
    }

    /** @param sample a provider's sample @return this host */
    public SimulatedKhoHost add(SampleStateProvider.Sample<?> sample) {
        first().add(sample);
        return this;
    }

    /**
     * @param algorithm CRC32C (default) or SHA256
     * @param scope METADATA (default) or ALL
     * @return this host
     * @see HandoverBuilder#digests
     */
    public SimulatedKhoHost digests(DigestAlgorithm algorithm, DigestScope scope) {
        first().digests(algorithm, scope);
        return this;
    }

    /**
     * Runs the successor in this JVM, through the same code as the separate process, with these restorers.
     *
     * @param restorers the successor's restorers
     * @return this host
     */
    public SimulatedKhoHost successorInProcess(SubsystemRegistry restorers) {
        this.inProcessRestorers = Objects.requireNonNull(restorers, "restorers");
        return this;
    }

    /** @param classPath the successor JVM's class path (default: this JVM's) @return this host */
    public SimulatedKhoHost successorClassPath(String classPath) {
        this.successorClassPath = Objects.requireNonNull(classPath, "classPath");
        return this;
    }

    /**
     * @param modulePath the successor JVM's module path, holding kho-core as module {@code io.kho4j.core} (default:
     *     this JVM's when kho-core runs as a named module, else empty: a class-path launch)
     * @return this host
     */
    public SimulatedKhoHost successorModulePath(String modulePath) {
        this.successorModulePath = Objects.requireNonNull(modulePath, "modulePath");
        return this;
    }

    /** @param timeout how long the successor may run before it is killed (default 2 minutes) @return this host */
    public SimulatedKhoHost successorTimeout(Duration timeout) {
        this.successorTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    @Override
    public String kernelRelease() {
        KernelRelease r = builder != null ? machine.target().from() : machine.target().to();
        return r.toString();
    }

    @Override
    public Set<KhoCapability> capabilities() {
        Set<KhoCapability> caps = EnumSet.of(KhoCapability.KHO_ENABLED, KhoCapability.PRIVILEGED);
        KernelRelease running = builder != null ? machine.target().from() : machine.target().to();
        if (!running.isBefore(KernelRelease.rc(6, 19, 1))) {
            caps.add(KhoCapability.LIVE_UPDATE);
        }
        if (builder != null) {
            caps.add(KhoCapability.OUTGOING_STATE_READABLE);
            caps.add(KhoCapability.KEXEC);
            if (machine.target().generation().needsFinalize()) {
                caps.add(KhoCapability.FINALIZE_REQUIRED);
            }
        } else {
            caps.add(KhoCapability.INCOMING_STATE);
        }
        return caps;
    }

    /**
     * @return the outgoing state: before finalize on 6.16 – 7.0 only the scratch areas; otherwise the root, the
     *     blobs and the scratch areas (from 7.1 the state is always current, so reading it builds it and no more
     *     subsystems can be added)
     */
    @Override
    public KhoState outgoing() throws IOException {
        HandoverBuilder b = first();
        if (machine.target().generation().needsFinalize() && !finalized) {
            return new KhoState(Optional.empty(), Map.of(), b.plan().areaRanges());
        }
        return b.finalizeState();
    }

    @Override
    public Optional<KhoState> incoming() throws IOException {
        if (builder != null) {
            return Optional.empty();
        }
        InboundOutcome outcome = inbound(SubsystemRegistry.empty());
        if (outcome instanceof InboundOutcome.Dropped d) {
            if (d.reason() == InboundOutcome.DropReason.NO_HANDOVER) {
                return Optional.empty();
            }
            throw new IOException("the incoming handover is dropped: " + d);
        }
        InboundOutcome.Restored r = (InboundOutcome.Restored) outcome;
        int rootBytes = (int) Math.min(r.handOff().fdtSize(), machine.target().pageSize().bytes());
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        for (InboundOutcome.Subsystem s : r.subsystems()) {
            if (s.status() != InboundOutcome.Status.UNREADABLE) {
                blobs.put(s.name(), memory.read(s.blobPhys(), (int) s.blobSize()));
            }
        }
        return Optional.of(new KhoState(Optional.of(memory.read(r.handOff().fdtAddr(), rootBytes)), blobs, List.of()));
    }

    @Override
    public FinalizeResult finalizeOutgoing() throws IOException {
        HandoverBuilder b = first();
        if (!machine.target().generation().needsFinalize()) {
            return FinalizeResult.NOT_NEEDED;
        }
        if (finalized) {
            return FinalizeResult.ALREADY_FINALIZED;
        }
        b.finalizeState();
        finalized = true;
        return FinalizeResult.FINALIZED;
    }

    /**
     * Loads the next kernel: its size and its initrd's are the files' sizes; their content is not used.
     *
     * @param image the next kernel
     * @throws IllegalStateException if the generation needs finalize and the state is not finalized
     * @throws IOException if a file is missing or the handover cannot be built
     */
    @Override
    public void loadKernel(KexecImage image) throws IOException {
        load(Files.size(image.kernel()), image.initrd().isPresent() ? Files.size(image.initrd().get()) : 0);
    }

    /**
     * Loads a next kernel of the given sizes.
     *
     * @param kernelBytes the kernel image's size
     * @param initrdBytes the initrd's size, 0 for none
     * @throws IllegalStateException if the generation needs finalize and the state is not finalized
     * @throws HandoverBuildException if the handover cannot be built or the kernel does not fit scratch
     */
    public void load(long kernelBytes, long initrdBytes) throws HandoverBuildException {
        HandoverBuilder b = first();
        if (machine.target().generation().needsFinalize() && !finalized) {
            throw new IllegalStateException("the outgoing KHO state is not finalized: " + machine.target().generation()
                    + " kernels attach the handover at load time only when finalized");
        }
        long start = System.nanoTime();
        handover = b.load(kernelBytes, initrdBytes);
        phases.put("load", System.nanoTime() - start);
    }

    /**
     * Kexecs: commits the handover, then runs the successor (a separate JVM unless
     * {@link #successorInProcess}) and keeps its report ({@link #lastReport()}).
     *
     * @param confirmed must be true
     * @throws IllegalStateException if not confirmed or nothing is loaded
     * @throws IOException if committing fails or the successor does not report
     */
    @Override
    public void rebootIntoLoadedKernel(boolean confirmed) throws IOException {
        if (!confirmed) {
            throw new IllegalStateException("refusing to kexec without explicit confirmation");
        }
        if (handover == null) {
            throw new IllegalStateException("no kernel is loaded: load one first");
        }
        persist();
        long start = System.nanoTime();
        lastReport = inProcessRestorers != null ? SuccessorMain.run(dir, inProcessRestorers) : runSuccessorProcess();
        phases.put("successor", System.nanoTime() - start);
    }

    /**
     * Finalizes if needed, loads the machine's described kernel and initrd, and kexecs.
     *
     * @return the successor's report
     * @throws IOException as the steps do
     */
    public SuccessorReport kexec() throws IOException {
        finalizeOutgoing();
        load(machine.kernelBytes(), machine.initrdBytes());
        rebootIntoLoadedKernel(true);
        return lastReport;
    }

    /**
     * Commits the loaded handover without running a successor: syncs the image, writes the manifest, then
     * replaces the state file atomically, and removes the previous handover's files.
     *
     * @throws IllegalStateException if nothing is loaded or it was committed already
     * @throws IOException if a write fails; the previous handover then stays committed
     */
    public void persist() throws IOException {
        first();
        if (handover == null) {
            throw new IllegalStateException("no kernel is loaded: load one first");
        }
        long start = System.nanoTime();
        memory.sync();
        byte[] manifest = handover.manifest().toByteArray();
        String manifestFile = "manifest-" + sequence + ".pb";
        AtomicFiles.write(dir.resolve(manifestFile), manifest);
        SimulatedHostState state = SimulatedHostState.newBuilder().setFormatVersion(FORMAT_VERSION)
                .setSequence(sequence).setMachine(machine.toSpec()).setImageFile("memory-" + sequence + ".img")
                .setManifestFile(manifestFile).setManifestSha256(com.google.protobuf.ByteString.copyFrom(sha256(manifest)))
                .setHandOff(handover.handOff()).build();
        AtomicFiles.write(dir.resolve(STATE_FILE), state.toByteArray());
        handedOver = true;
        removeLeftovers(dir, Optional.of(state));
        phases.put("persist", System.nanoTime() - start);
    }

    /** @return the handover built by {@link #load}, if any */
    public Optional<Handover> handover() {
        return Optional.ofNullable(handover);
    }

    /** @return the last successor's report, if it ran */
    public Optional<SuccessorReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    /** @return wall time in nanoseconds of load, persist and the successor run, in order */
    public Map<String, Long> phases() {
        return java.util.Collections.unmodifiableMap(phases);
    }

    /** @return for a successor, the manifest of the handover it received */
    public Optional<HandoverManifest> incomingManifest() {
        return Optional.ofNullable(incomingManifest);
    }

    /**
     * Walks the incoming handover as the successor kernel does, restoring with the given restorers and
     * checking the manifest.
     *
     * @param restorers the successor's restorers
     * @return the outcome
     * @throws IllegalStateException on the first kernel
     */
    public InboundOutcome inbound(SubsystemRegistry restorers) {
        if (builder != null) {
            throw new IllegalStateException("the first kernel has no incoming handover");
        }
        return KhoInbound.forTarget(machine.target()).withRestorers(restorers).withManifest(incomingManifest)
                .read(memory, committed.getHandOff());
    }

    @Override
    public void close() throws IOException {
        memory.close();
    }

    private HandoverBuilder first() {
        if (builder == null) {
            throw new KhoUnavailableException("this is the simulated successor of handover " + sequence + ": it reads"
                    + " its incoming state but cannot hand over again; boot a new first kernel", null);
        }
        if (handedOver) {
            throw new IllegalStateException("this kernel has handed over (handover " + sequence + " is committed)");
        }
        return builder;
    }

    /**
     * How the successor JVM finds its code: with a module path, kho-core runs as module {@code io.kho4j.core} with
     * every module of the path resolved (services declared only with {@code provides} are found); the class path
     * still serves class-path services.
     */
    static List<String> successorLaunch(String classPath, String modulePath) {
        List<String> args = new ArrayList<>();
        if (!modulePath.isEmpty()) {
            args.addAll(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH"));
        }
        if (!classPath.isEmpty()) {
            args.addAll(List.of("-cp", classPath));
        }
        String main = SuccessorMain.class.getName();
        args.addAll(modulePath.isEmpty() ? List.of(main) : List.of("-m", CORE_MODULE + "/" + main));
        return args;
    }

    private SuccessorReport runSuccessorProcess() throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        command.addAll(successorLaunch(successorClassPath, successorModulePath));
        command.add(dir.toAbsolutePath().toString());
        Path log = dir.resolve("successor-" + sequence + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(successorTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("the successor (pid " + p.pid() + ") did not finish within " + successorTimeout
                        + "; its output is in " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the successor ran", e);
        }
        Path report = SuccessorMain.reportFile(dir, sequence);
        Optional<byte[]> bytes = HostFiles.read(report, MAX_MANIFEST_BYTES);
        if (bytes.isEmpty() || p.exitValue() == SuccessorMain.EXIT_INTERNAL_ERROR) {
            String output = HostFiles.readText(log, 1 << 16).orElse("");
            throw new IOException("the successor (pid " + p.pid() + ") exited with " + p.exitValue()
                    + (bytes.isEmpty() ? " and wrote no report" : "") + ": " + output.strip());
        }
        return SuccessorReport.parseFrom(bytes.get());
    }

    private static Optional<SimulatedHostState> readState(Path dir) throws IOException {
        Path file = dir.resolve(STATE_FILE);
        Optional<byte[]> bytes = HostFiles.read(file, MAX_STATE_BYTES);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        SimulatedHostState state;
        try {
            state = SimulatedHostState.parseFrom(bytes.get());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new HostFileFormatException(file, 0, "is not a simulated host state: " + e.getMessage());
        }
        if (state.getFormatVersion() != FORMAT_VERSION) {
            throw new HostFileFormatException(file, 0, "has format version " + state.getFormatVersion() + "; this"
                    + " library reads " + FORMAT_VERSION);
        }
        return Optional.of(state);
    }

    /** Removes handover files the committed state does not name: leftovers of an interrupted handover. */
    private static void removeLeftovers(Path dir, Optional<SimulatedHostState> committed) throws IOException {
        Set<String> keep = new java.util.HashSet<>(List.of(STATE_FILE));
        committed.ifPresent(s -> keep.addAll(List.of(s.getImageFile(), s.getManifestFile(),
                SuccessorMain.reportFile(dir, s.getSequence()).getFileName().toString(),
                "successor-" + s.getSequence() + ".log")));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                "{memory-*.img,manifest-*.pb,successor-*.report,successor-*.log,.*.tmp}")) {
            for (Path f : files) {
                if (!keep.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** A file name from the state file must stay inside the directory. */
    private static String fileName(Path dir, String name) throws HostFileFormatException {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new HostFileFormatException(dir.resolve(STATE_FILE), 0, "names the file \"" + name
                    + "\", which is not a plain file name in the state directory");
        }
        return name;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
