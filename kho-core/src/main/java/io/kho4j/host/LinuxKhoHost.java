package io.kho4j.host;

import io.kho4j.internal.jna.LinuxUapi;
import io.kho4j.preserve.PhysRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The running Linux kernel as a {@link KhoHost}. State is read from debugfs {@code kho/} under a root
 * directory ({@code /} unless a test points it at a fake tree); every change goes through {@link LinuxSyscalls}:
 * the {@code finalize} write (6.16 – 7.0), {@code kexec_file_load}, {@code reboot(LINUX_REBOOT_CMD_KEXEC)}.
 * With {@link Builder#dryRun} those are printed and not made.
 *
 * <p>The debugfs layout by generation (kho-abi.md §4, §9.4, §9.10):
 * <pre>
 * kho/out/finalize                          6.16 – 7.0 only; "0" or "1"
 * kho/out/fdt                               6.16 – 7.0: only after finalize; 7.1+: always
 * kho/out/sub_fdts/&lt;name&gt;                  one blob per subsystem
 * kho/out/scratch_phys, scratch_len         up to 7.3; one "0x%llx\n" line per area
 * kho/out/bootmem_phys, bootmem_len         7.4+ (tried first)
 * kho/in/fdt, kho/in/sub_fdts/&lt;name&gt;        after a KHO kexec
 * </pre>
 * What differs by release and cannot be seen on disk comes from {@link KhoKernelFacts}; without them the host
 * acts on what it finds (a {@code finalize} file means finalize) and its error messages are less specific.
 *
 * <p>One instance drives one handover from one thread: it remembers that it finalized and loaded, so that a
 * dry run of finalize, load and reboot in a row goes through.
 */
public final class LinuxKhoHost implements KhoHost {
    static final String DEBUGFS = "sys/kernel/debug";
    static final String KHO_DIR = DEBUGFS + "/kho";
    static final String FINALIZE = "out/finalize";
    static final String OUT_FDT = "out/fdt";
    static final String OUT_SUB_BLOBS = "out/sub_fdts";
    static final String IN_FDT = "in/fdt";
    static final String IN_SUB_BLOBS = "in/sub_fdts";
    /** §9.10: "try bootmem_*, then scratch_*"; 7.4 renamed the files (§9.4). */
    static final String[][] SCRATCH_FILES = {{"out/bootmem_phys", "out/bootmem_len"}, {"out/scratch_phys", "out/scratch_len"}};
    static final String KEXEC_LOADED = "sys/kernel/kexec_loaded";
    static final String KEXEC_LOAD_DISABLED = "proc/sys/kernel/kexec_load_disabled";
    static final String LIVEUPDATE_DEVICE = "dev/liveupdate";
    static final String CMDLINE = "proc/cmdline";

    /** The root FDT is one page (kho-abi.md §8); 64 KiB is the largest page size KHO runs with. */
    static final int MAX_ROOT_FDT_BYTES = 64 << 10;
    /** Areas are [low, global, one per node]; MAX_NUMNODES is at most 1024. */
    static final int MAX_SCRATCH_AREAS = 4096;
    /** Each line is at most "0x" + 16 digits + "\n". */
    private static final int MAX_SCRATCH_FILE_BYTES = MAX_SCRATCH_AREAS * 19;
    static final int MAX_SUB_BLOBS = 4096;
    /** COMMAND_LINE_SIZE is 2048 on x86-64 and arm64; the bound only stops a hostile file. */
    private static final int MAX_CMDLINE_BYTES = 64 << 10;

    private final Path root;
    private final LinuxSyscalls syscalls;
    private final LinuxSyscalls.Uname uname;
    private final Optional<KhoKernelFacts> facts;
    private final int maxBlobBytes;
    private boolean finalizedHere;
    private boolean loadedHere;

    private LinuxKhoHost(Builder b, LinuxSyscalls syscalls) {
        this.root = b.root;
        this.syscalls = syscalls;
        this.uname = syscalls.uname();
        this.facts = Objects.requireNonNull(b.kernelFacts.apply(uname.release()), "kernel facts resolver result");
        this.maxBlobBytes = b.maxBlobBytes;
    }

    /** @return a builder for the running kernel at {@code /} with the real system calls */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link LinuxKhoHost}. */
    public static final class Builder {
        private Path root = Paths.get("/");
        private LinuxSyscalls syscalls;
        private Function<String, Optional<KhoKernelFacts>> kernelFacts = KhoKernelFacts::forRelease;
        private int maxBlobBytes = 16 << 20;
        private Consumer<String> dryRun;

        private Builder() {
        }

        /** @param root directory that stands for {@code /} (a fake sysfs/debugfs/procfs tree in tests) @return this */
        public Builder root(Path root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        /** @param syscalls the system calls to make; default {@link LinuxSyscalls#nativeLibc()} @return this */
        public Builder syscalls(LinuxSyscalls syscalls) {
            this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
            return this;
        }

        /**
         * @param resolver maps the running kernel's release to its facts; empty when the release is not known
         *     (default {@link KhoKernelFacts#forRelease})
         * @return this
         */
        public Builder kernelFacts(Function<String, Optional<KhoKernelFacts>> resolver) {
            this.kernelFacts = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** @param max largest subsystem blob read, in bytes (1 .. 1 GiB; default 16 MiB) @return this */
        public Builder maxBlobBytes(int max) {
            if (max < 1 || max > 1 << 30) {
                throw new IllegalArgumentException("maxBlobBytes must be in 1 .. 1 GiB: " + max);
            }
            this.maxBlobBytes = max;
            return this;
        }

        /**
         * Makes the host change nothing: every system call and file write it would make is passed to {@code out}
         * as one line ({@link DryRunSyscalls}); reads still happen.
         *
         * @param out receives the lines
         * @return this
         */
        public Builder dryRun(Consumer<String> out) {
            this.dryRun = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * @return the host
         * @throws KhoUnavailableException if no system calls were given and libc cannot be loaded
         */
        public LinuxKhoHost build() {
            LinuxSyscalls calls = syscalls != null ? syscalls : LinuxSyscalls.nativeLibc();
            return new LinuxKhoHost(this, dryRun == null ? calls : DryRunSyscalls.over(calls, dryRun));
        }
    }

    /** @return the directory that stands for {@code /} */
    public Path root() {
        return root;
    }

    /** @return the system calls this host makes */
    public LinuxSyscalls syscalls() {
        return syscalls;
    }

    /** @return the facts for the running release, or empty if the release is not known */
    public Optional<KhoKernelFacts> kernelFacts() {
        return facts;
    }

    /** @return the hardware name from uname(2), {@code x86_64} or {@code aarch64} */
    public String machine() {
        return uname.machine();
    }

    @Override
    public String kernelRelease() {
        return uname.release();
    }

    /**
     * @return the running kernel's command line
     * @throws IOException if {@code /proc/cmdline} is missing or unreadable
     */
    public KernelCommandLine commandLine() throws IOException {
        Path file = path(CMDLINE);
        return KernelCommandLine.parse(HostFiles.readText(file, MAX_CMDLINE_BYTES)
                .orElseThrow(() -> new HostFileFormatException(file, 0, "missing: is procfs mounted?")));
    }

    @Override
    public Set<KhoCapability> capabilities() {
        Set<KhoCapability> caps = EnumSet.noneOf(KhoCapability.class);
        Path kho = path(KHO_DIR);
        if (Files.isDirectory(kho)) {
            caps.add(KhoCapability.KHO_ENABLED);
            if (Files.isReadable(kho.resolve("out"))) {
                caps.add(KhoCapability.OUTGOING_STATE_READABLE);
            }
            if (Files.exists(kho.resolve(IN_FDT))) {
                caps.add(KhoCapability.INCOMING_STATE);
            }
        }
        if (facts.map(KhoKernelFacts::finalizeRequired).orElseGet(() -> Files.exists(kho.resolve(FINALIZE)))) {
            caps.add(KhoCapability.FINALIZE_REQUIRED);
        }
        if (Files.exists(path(KEXEC_LOADED)) && !kexecDisabled()) {
            caps.add(KhoCapability.KEXEC);
        }
        if (Files.exists(path(LIVEUPDATE_DEVICE))) {
            caps.add(KhoCapability.LIVE_UPDATE);
        }
        if (syscalls.geteuid() == 0) {
            caps.add(KhoCapability.PRIVILEGED);
        }
        return caps;
    }

    @Override
    public KhoState outgoing() throws IOException {
        Path kho = requireKho();
        return new KhoState(HostFiles.read(kho.resolve(OUT_FDT), MAX_ROOT_FDT_BYTES),
                readBlobs(kho.resolve(OUT_SUB_BLOBS)), readScratch(kho));
    }

    @Override
    public Optional<KhoState> incoming() throws IOException {
        Path kho = path(KHO_DIR);
        Optional<byte[]> fdt = HostFiles.read(kho.resolve(IN_FDT), MAX_ROOT_FDT_BYTES);
        if (fdt.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KhoState(fdt, readBlobs(kho.resolve(IN_SUB_BLOBS)), List.of()));
    }

    @Override
    public FinalizeResult finalizeOutgoing() throws IOException {
        Path kho = requireKho();
        Path file = kho.resolve(FINALIZE);
        Optional<String> value = HostFiles.readAttribute(file);
        if (value.isEmpty()) {
            if (facts.map(KhoKernelFacts::finalizeRequired).orElse(false)) {
                throw new KhoUnavailableException(display(file) + " is missing, but " + facts.get().generation()
                        + " kernels finalize through it: is this kernel's debugfs complete?", null);
            }
            return FinalizeResult.NOT_NEEDED;
        }
        if (value.get().equals("1")) {
            return FinalizeResult.ALREADY_FINALIZED;
        }
        // "echo 1 > finalize" (kho-abi.md §4); rewriting the current value would fail with EEXIST, hence the read.
        syscalls.writeFile(file, "1\n".getBytes(StandardCharsets.US_ASCII));
        finalizedHere = true;
        return FinalizeResult.FINALIZED;
    }

    @Override
    public void loadKernel(KexecImage image) throws IOException {
        Path kho = requireKho();
        Optional<String> finalized = HostFiles.readAttribute(kho.resolve(FINALIZE));
        if (finalized.isPresent() && !finalized.get().equals("1") && !finalizedHere) {
            // 6.16 - 7.0 attach KHO segments at load time only when finalized; otherwise the next kernel
            // silently gets no handover.
            throw new IllegalStateException("the outgoing KHO state is not finalized (" + display(kho.resolve(FINALIZE))
                    + " is " + finalized.get() + "): finalize it first, or the next kernel gets no handover");
        }
        requireKexec();
        long flags = 0;
        byte[] cmdline = image.commandLine().map(c -> (c + "\0").getBytes(StandardCharsets.UTF_8)).orElse(null);
        int kernelFd = syscalls.open(image.kernel().toAbsolutePath().toString(), LinuxUapi.O_RDONLY | LinuxUapi.O_CLOEXEC);
        int initrdFd = -1;
        IOException failure = null;
        try {
            if (image.initrd().isPresent()) {
                initrdFd = syscalls.open(image.initrd().get().toAbsolutePath().toString(),
                        LinuxUapi.O_RDONLY | LinuxUapi.O_CLOEXEC);
            } else {
                flags |= LinuxUapi.KEXEC_FILE_NO_INITRAMFS;
            }
            syscalls.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
            loadedHere = true;
        } catch (IOException e) {
            failure = e;
        }
        failure = closeQuietly(initrdFd, failure);
        failure = closeQuietly(kernelFd, failure);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void rebootIntoLoadedKernel(boolean confirmed) throws IOException {
        if (!confirmed) {
            throw new IllegalStateException("refusing to reboot without explicit confirmation (--yes-reboot):"
                    + " a kexec reboot ends every process on this machine at once");
        }
        if (!loadedHere) {
            Path loaded = path(KEXEC_LOADED);
            String value = HostFiles.readAttribute(loaded).orElseThrow(() -> new KhoUnavailableException(
                    display(loaded) + " is missing: this kernel has no kexec (CONFIG_KEXEC_FILE)", null));
            if (!value.equals("1")) {
                throw new IllegalStateException("no kernel is loaded (" + display(loaded) + " is " + value
                        + "): load one first");
            }
        }
        // A kexec reboot does not sync or unmount (include/uapi/linux/kexec.h): flush what can be flushed.
        syscalls.sync();
        syscalls.reboot(LinuxUapi.LINUX_REBOOT_MAGIC1, LinuxUapi.LINUX_REBOOT_MAGIC2, LinuxUapi.LINUX_REBOOT_CMD_KEXEC);
    }

    /** @return {@code rel} under the root */
    Path path(String rel) {
        return root.resolve(rel);
    }

    /** @return how a file is named in messages: its path as the kernel knows it, not under the fake root */
    String display(Path file) {
        Path rel = root.relativize(file);
        return "/" + rel.toString().replace('\\', '/');
    }

    boolean kexecDisabled() {
        try {
            return HostFiles.readAttribute(path(KEXEC_LOAD_DISABLED)).map("1"::equals).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** @return why {@code kho/} cannot be seen, in plain words with what to do */
    String whyNoKho() {
        Path debugfs = path(DEBUGFS);
        if (!Files.isDirectory(debugfs)) {
            return display(debugfs) + " does not exist: mount debugfs (mount -t debugfs none /sys/kernel/debug)";
        }
        if (!Files.isReadable(debugfs) || !Files.isExecutable(debugfs)) {
            return "cannot look inside " + display(debugfs) + ": debugfs is readable by root only";
        }
        return display(path(KHO_DIR)) + " does not exist: the kernel has no KHO or it is off; boot with kho=on"
                + " on a kernel built with CONFIG_KEXEC_HANDOVER (from 6.19 also CONFIG_KEXEC_HANDOVER_DEBUGFS)";
    }

    private Path requireKho() {
        Path kho = path(KHO_DIR);
        if (!Files.isDirectory(kho)) {
            throw new KhoUnavailableException(whyNoKho(), null);
        }
        return kho;
    }

    private void requireKexec() {
        if (!Files.exists(path(KEXEC_LOADED))) {
            throw new KhoUnavailableException(display(path(KEXEC_LOADED))
                    + " is missing: this kernel cannot kexec (CONFIG_KEXEC_FILE)", null);
        }
        if (kexecDisabled()) {
            throw new KhoUnavailableException("kexec is disabled until the next reboot ("
                    + display(path(KEXEC_LOAD_DISABLED)) + " is 1)", null);
        }
    }

    private IOException closeQuietly(int fd, IOException failure) {
        if (fd < 0) {
            return failure;
        }
        try {
            syscalls.close(fd);
            return failure;
        } catch (KhoNativeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    private Map<String, byte[]> readBlobs(Path dir) throws IOException {
        Map<String, byte[]> blobs = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return blobs;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (blobs.size() == MAX_SUB_BLOBS) {
                    throw new HostFileFormatException(dir, 0, "more than " + MAX_SUB_BLOBS + " subsystem blobs");
                }
                if (!Files.isRegularFile(entry)) {
                    throw new HostFileFormatException(entry, 0, "not a regular file; the kernel puts only blobs here");
                }
                blobs.put(entry.getFileName().toString(), HostFiles.read(entry, maxBlobBytes).orElseThrow(
                        () -> new HostFileFormatException(entry, 0, "disappeared while being read")));
            }
        }
        return blobs;
    }

    private List<PhysRange> readScratch(Path kho) throws IOException {
        for (String[] pair : SCRATCH_FILES) {
            Path phys = kho.resolve(pair[0]);
            Path len = kho.resolve(pair[1]);
            if (!Files.exists(phys) && !Files.exists(len)) {
                continue;
            }
            List<Long> starts = parseHexLines(phys);
            List<Long> sizes = parseHexLines(len);
            if (starts.size() != sizes.size()) {
                throw new HostFileFormatException(len, 0, sizes.size() + " areas, but " + phys.getFileName()
                        + " lists " + starts.size());
            }
            List<PhysRange> areas = new ArrayList<>(starts.size());
            for (int i = 0; i < starts.size(); i++) {
                long start = starts.get(i);
                long size = sizes.get(i);
                if (size == 0 || start > Long.MAX_VALUE - size) {
                    throw new HostFileFormatException(len, i + 1, String.format(
                            "area at 0x%x of size 0x%x is empty or ends past 2^63", start, size));
                }
                areas.add(new PhysRange(start, size));
            }
            return areas;
        }
        throw new HostFileFormatException(kho.resolve("out"), 0,
                "has neither bootmem_phys/bootmem_len (7.4+) nor scratch_phys/scratch_len");
    }

    /** Parses a file of {@code 0x%llx\n} lines, as the kernel's scratch files print them. */
    private static List<Long> parseHexLines(Path file) throws IOException {
        String text = HostFiles.readText(file, MAX_SCRATCH_FILE_BYTES)
                .orElseThrow(() -> new HostFileFormatException(file, 0, "missing, but its partner file exists"));
        List<Long> values = new ArrayList<>();
        if (text.isEmpty()) {
            return values;
        }
        if (!text.endsWith("\n")) {
            throw new HostFileFormatException(file, text.split("\n", -1).length, "last line has no newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length > MAX_SCRATCH_AREAS) {
            throw new HostFileFormatException(file, 0, lines.length + " lines; no kernel has more than "
                    + MAX_SCRATCH_AREAS + " scratch areas");
        }
        for (int i = 0; i < lines.length; i++) {
            values.add(parseHex(file, i + 1, lines[i]));
        }
        return values;
    }

    private static long parseHex(Path file, int line, String s) throws HostFileFormatException {
        if (!s.startsWith("0x") || s.length() < 3 || s.length() > 18) {
            throw new HostFileFormatException(file, line, "expected 0x and 1 to 16 hex digits, got \"" + shorten(s) + "\"");
        }
        for (int i = 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                throw new HostFileFormatException(file, line, "not a hex digit in \"" + shorten(s) + "\"");
            }
        }
        long v = Long.parseUnsignedLong(s.substring(2), 16);
        if (v < 0) {
            throw new HostFileFormatException(file, line, s + " is beyond 2^63: not a physical address or size");
        }
        return v;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
