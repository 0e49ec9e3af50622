package io.kho4j.host;

import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.host.HostCheck.Status;
import io.kho4j.preserve.PhysRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks at a Linux machine and says, check by check, whether it can carry a KHO handover and what is
 * missing: architecture and release, privileges, KHO compiled in and switched on ({@code kho=}), scratch
 * sizing, debugfs, the {@code kho/} state, kexec, kernel lockdown, and the LUO device. It only reads.
 */
public final class HostDoctor {
    private static final String LOCKDOWN = "sys/kernel/security/lockdown";
    private static final String MOUNTS = "proc/mounts";

    private HostDoctor() {
    }

    /**
     * @param host the machine, usually {@code LinuxKhoHost.builder().build()}
     * @return the findings, in the order a person would fix them
     */
    public static List<HostCheck> examine(LinuxKhoHost host) {
        List<HostCheck> checks = new ArrayList<>();
        Optional<KernelConfig> config = Optional.empty();
        String configProblem = null;
        try {
            config = KernelConfig.load(host.root(), host.kernelRelease());
        } catch (IOException e) {
            configProblem = e.getMessage();
        }
        checks.add(kernel(host));
        checks.add(privileges(host));
        checks.add(buildConfig(host, config, configProblem));
        Optional<KernelCommandLine> cmdline;
        try {
            cmdline = Optional.of(host.commandLine());
        } catch (IOException e) {
            cmdline = Optional.empty();
            checks.add(HostCheck.of("cmdline", Status.WARNING, "cannot read the command line: " + e.getMessage()));
        }
        if (cmdline.isPresent()) {
            checks.add(khoSwitch(host, cmdline.get(), config));
            checks.add(scratchSize(host, cmdline.get()));
        }
        HostCheck debugfs = debugfs(host);
        checks.add(debugfs);
        if (Files.isDirectory(host.path(LinuxKhoHost.KHO_DIR))) {
            checks.add(HostCheck.of("kho-debugfs", Status.OK,
                    "KHO is on: " + host.display(host.path(LinuxKhoHost.KHO_DIR)) + " exists"));
            checks.add(outgoing(host));
            checks.add(incoming(host));
        } else if (debugfs.status() == Status.OK) {
            checks.add(HostCheck.of("kho-debugfs", Status.MISSING, host.whyNoKho()));
        }
        checks.add(kexec(host));
        lockdown(host).ifPresent(checks::add);
        checks.add(liveUpdate(host));
        return checks;
    }

    /** @param checks findings @return whether none is {@link Status#MISSING} */
    public static boolean ready(List<HostCheck> checks) {
        return checks.stream().noneMatch(c -> c.status() == Status.MISSING);
    }

    private static HostCheck kernel(LinuxKhoHost host) {
        String machine = host.machine();
        String what = "Linux " + host.kernelRelease() + " on " + machine;
        if (!machine.equals("x86_64") && !machine.equals("aarch64")) {
            return HostCheck.of("kernel", Status.MISSING, what + ": KHO is wired on x86-64 and arm64 only",
                    "use an x86-64 or arm64 machine");
        }
        return host.kernelFacts()
                .map(f -> HostCheck.of("kernel", Status.OK, what + ", KHO generation " + f.generation()))
                .orElseGet(() -> HostCheck.of("kernel", Status.WARNING, what
                        + ": kho4j does not know which KHO format this release uses (KHO exists from 6.16)",
                        "use a release kho4j knows before handing over; reading state still works"));
    }

    private static HostCheck privileges(LinuxKhoHost host) {
        int euid = host.syscalls().geteuid();
        if (euid == 0) {
            return HostCheck.of("privileges", Status.OK, "running as root");
        }
        return HostCheck.of("privileges", Status.MISSING, "running as uid " + euid + ": loading a kernel and"
                + " rebooting need root (CAP_SYS_BOOT), and debugfs is readable by root only", "run as root");
    }

    private static HostCheck buildConfig(LinuxKhoHost host, Optional<KernelConfig> config, String problem) {
        if (problem != null) {
            return HostCheck.of("kho-config", Status.WARNING, "cannot read the kernel configuration: " + problem);
        }
        if (config.isEmpty()) {
            return HostCheck.of("kho-config", Status.INFO, "no /proc/config.gz or /boot/config-" + host.kernelRelease()
                    + ": cannot tell from the build configuration whether KHO is compiled in");
        }
        KernelConfig c = config.get();
        String from = " (" + host.display(c.source()) + ")";
        if (!c.isEnabled("CONFIG_KEXEC_HANDOVER")) {
            return HostCheck.of("kho-config", Status.MISSING, "the kernel is built without KHO: CONFIG_KEXEC_HANDOVER"
                    + " is not set" + from, "use a kernel built with CONFIG_KEXEC_HANDOVER=y");
        }
        boolean debugfsOption = host.kernelFacts().map(KhoKernelFacts::liveUpdate).orElse(false);
        if (debugfsOption && !c.isEnabled("CONFIG_KEXEC_HANDOVER_DEBUGFS")) {
            return HostCheck.of("kho-config", Status.WARNING, "KHO is compiled in, but CONFIG_KEXEC_HANDOVER_DEBUGFS"
                    + " is not set, so its state is not visible in debugfs" + from,
                    "build with CONFIG_KEXEC_HANDOVER_DEBUGFS=y to read and check the state");
        }
        return HostCheck.of("kho-config", Status.OK, "KHO is compiled in: CONFIG_KEXEC_HANDOVER=y" + from);
    }

    /** An unparseable release gets the forms every KHO kernel accepts, so a pass here holds for all of them. */
    private static Kstrtobool kstrtobool(LinuxKhoHost host) {
        try {
            return Kstrtobool.forKernelRelease(KernelRelease.parse(host.kernelRelease()));
        } catch (GenerationException e) {
            return Kstrtobool.V6_16;
        }
    }

    private static HostCheck khoSwitch(LinuxKhoHost host, KernelCommandLine cmdline, Optional<KernelConfig> config) {
        Optional<KernelCommandLine.Parameter> kho = cmdline.last(KernelCommandLine.KHO);
        if (kho.isPresent()) {
            String given = kho.get().value().map(v -> "kho=" + v).orElse("kho");
            Optional<Boolean> on = cmdline.kho(kstrtobool(host));
            if (on.isEmpty()) {
                return HostCheck.of("kho-cmdline", Status.MISSING, given + " on the command line is not a value the"
                        + " kernel accepts (kstrtobool), so KHO keeps its built-in default", "boot with kho=on");
            }
            return on.get()
                    ? HostCheck.of("kho-cmdline", Status.OK, given + " is on the command line")
                    : HostCheck.of("kho-cmdline", Status.MISSING, given + " on the command line switches KHO off",
                            "boot with kho=on instead");
        }
        if (Files.isDirectory(host.path(LinuxKhoHost.KHO_DIR))
                || config.map(c -> c.isEnabled("CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT")).orElse(false)) {
            return HostCheck.of("kho-cmdline", Status.OK, "kho= is not on the command line; KHO is on by default in"
                    + " this kernel (CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT)");
        }
        return HostCheck.of("kho-cmdline", Status.MISSING, "kho=on is not on the command line; KHO is off unless"
                + " the kernel is built with CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT=y (6.19+)",
                "add kho=on to the kernel command line and reboot");
    }

    private static HostCheck scratchSize(LinuxKhoHost host, KernelCommandLine cmdline) {
        Optional<String> expected = host.kernelFacts().map(KhoKernelFacts::scratchParameter);
        for (String name : new String[] {KernelCommandLine.KHO_BOOTMEM, KernelCommandLine.KHO_SCRATCH}) {
            Optional<String> value = cmdline.value(name);
            if (value.isEmpty()) {
                continue;
            }
            String given = name + "=" + value.get();
            if (expected.isPresent() && !expected.get().equals(name)) {
                String why = expected.get().equals(KernelCommandLine.KHO_BOOTMEM)
                        ? "7.4 renamed it to kho_bootmem=, and whether the old name still works is not confirmed"
                        : "kho_bootmem= only exists from 7.4, so this kernel ignores it";
                return HostCheck.of("scratch-size", Status.WARNING, given + " is on the command line, but " + why,
                        "use " + expected.get() + "=" + value.get());
            }
            return HostCheck.of("scratch-size", Status.INFO, given + " sizes the scratch areas");
        }
        return HostCheck.of("scratch-size", Status.INFO, "no " + expected.orElse("kho_scratch=/kho_bootmem")
                + "= on the command line: the kernel sizes the scratch areas itself (200% of the memory it uses at boot)");
    }

    private static HostCheck debugfs(LinuxKhoHost host) {
        Path debugfs = host.path(LinuxKhoHost.DEBUGFS);
        Optional<Boolean> mounted = debugfsMounted(host);
        if (mounted.isPresent() && !mounted.get()) {
            return HostCheck.of("debugfs", Status.MISSING, "debugfs is not mounted at /sys/kernel/debug, where KHO"
                    + " shows its state", "mount -t debugfs none /sys/kernel/debug");
        }
        if (!Files.isDirectory(debugfs)) {
            return HostCheck.of("debugfs", Status.MISSING, host.whyNoKho(), "mount -t debugfs none /sys/kernel/debug");
        }
        if (!Files.isReadable(debugfs) || !Files.isExecutable(debugfs)) {
            return HostCheck.of("debugfs", Status.MISSING, "debugfs is mounted, but only root can look inside",
                    "run as root");
        }
        return HostCheck.of("debugfs", Status.OK, "debugfs is mounted at /sys/kernel/debug");
    }

    /** @return whether /proc/mounts lists debugfs at /sys/kernel/debug; empty if /proc/mounts is unreadable */
    private static Optional<Boolean> debugfsMounted(LinuxKhoHost host) {
        try {
            return HostFiles.readText(host.path(MOUNTS), 4 << 20).map(text -> {
                for (String line : text.split("\n")) {
                    String[] f = line.split(" ");
                    if (f.length >= 3 && f[1].equals("/sys/kernel/debug") && f[2].equals("debugfs")) {
                        return true;
                    }
                }
                return false;
            });
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static HostCheck outgoing(LinuxKhoHost host) {
        KhoState state;
        try {
            state = host.outgoing();
        } catch (IOException | KhoUnavailableException e) {
            return HostCheck.of("outgoing", Status.WARNING, "cannot read the outgoing state: " + e.getMessage());
        }
        long scratchBytes = state.scratch().stream().mapToLong(PhysRange::size).sum();
        String summary = state.scratch().size() + " scratch areas (" + (scratchBytes >> 20) + " MiB), "
                + state.subBlobNames().size() + " subsystem blobs " + state.subBlobNames();
        Optional<String> finalize;
        try {
            finalize = HostFiles.readAttribute(host.path(LinuxKhoHost.KHO_DIR).resolve(LinuxKhoHost.FINALIZE));
        } catch (IOException e) {
            return HostCheck.of("outgoing", Status.WARNING, summary + "; cannot read finalize: " + e.getMessage());
        }
        if (finalize.isPresent()) {
            summary += finalize.get().equals("1") ? "; finalized" : "; not finalized yet (loading a kernel"
                    + " with kho kexec load finalizes it first)";
        } else if (host.kernelFacts().map(KhoKernelFacts::finalizeRequired).orElse(false)) {
            return HostCheck.of("outgoing", Status.WARNING, summary + "; but out/finalize is missing although "
                    + host.kernelFacts().get().generation() + " kernels need it");
        }
        return HostCheck.of("outgoing", Status.OK, summary);
    }

    private static HostCheck incoming(LinuxKhoHost host) {
        try {
            return host.incoming()
                    .map(s -> HostCheck.of("incoming", Status.OK, "this boot came through a KHO kexec; "
                            + s.subBlobNames().size() + " subsystem blobs came with it " + s.subBlobNames()))
                    .orElseGet(() -> HostCheck.of("incoming", Status.INFO,
                            "this boot did not come through a KHO kexec: there is no incoming state"));
        } catch (IOException e) {
            return HostCheck.of("incoming", Status.WARNING, "cannot read the incoming state: " + e.getMessage());
        }
    }

    private static HostCheck kexec(LinuxKhoHost host) {
        Path loaded = host.path(LinuxKhoHost.KEXEC_LOADED);
        Optional<String> value;
        try {
            value = HostFiles.readAttribute(loaded);
        } catch (IOException e) {
            return HostCheck.of("kexec", Status.WARNING, "cannot read " + host.display(loaded) + ": " + e.getMessage());
        }
        if (value.isEmpty()) {
            return HostCheck.of("kexec", Status.MISSING, "this kernel cannot kexec: " + host.display(loaded)
                    + " is missing", "use a kernel built with CONFIG_KEXEC_FILE=y");
        }
        if (host.kexecDisabled()) {
            return HostCheck.of("kexec", Status.MISSING, "kexec is disabled until the next reboot"
                    + " (kernel.kexec_load_disabled = 1)", "reboot without setting kernel.kexec_load_disabled");
        }
        return HostCheck.of("kexec", Status.OK, "kexec_file_load is available; " + (value.get().equals("1")
                ? "a kernel is loaded and will boot on kho kexec reboot" : "no kernel is loaded"));
    }

    private static Optional<HostCheck> lockdown(LinuxKhoHost host) {
        Optional<String> text;
        try {
            text = HostFiles.readAttribute(host.path(LOCKDOWN));
        } catch (IOException e) {
            return Optional.empty();
        }
        return text.map(t -> {
            int open = t.indexOf('[');
            int close = t.indexOf(']', open + 1);
            String mode = open >= 0 && close > open ? t.substring(open + 1, close) : t;
            if (mode.equals("none")) {
                return HostCheck.of("lockdown", Status.OK, "kernel lockdown is off");
            }
            return HostCheck.of("lockdown", Status.WARNING, "kernel lockdown is in " + mode + " mode:"
                    + " kexec_file_load only accepts kernels signed with a key the kernel trusts",
                    "sign the next kernel, or boot without lockdown");
        });
    }

    private static HostCheck liveUpdate(LinuxKhoHost host) {
        Path device = host.path(LinuxKhoHost.LIVEUPDATE_DEVICE);
        if (Files.exists(device)) {
            return HostCheck.of("liveupdate", Status.OK, host.display(device)
                    + " is present: LUO sessions can carry file descriptors across kexec");
        }
        Optional<KhoKernelFacts> facts = host.kernelFacts();
        if (facts.isPresent() && facts.get().liveUpdate()) {
            return HostCheck.of("liveupdate", Status.WARNING, "no " + host.display(device) + ": the kernel is built"
                    + " without the Live Update Orchestrator", "build with CONFIG_LIVEUPDATE=y to preserve memfds");
        }
        return HostCheck.of("liveupdate", Status.INFO, "no " + host.display(device) + ": the Live Update Orchestrator"
                + " needs Linux 6.19+ built with CONFIG_LIVEUPDATE=y");
    }
}
