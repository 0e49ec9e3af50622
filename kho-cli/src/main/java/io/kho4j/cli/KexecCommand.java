package io.kho4j.cli;

import io.kho4j.host.KexecImage;
import io.kho4j.host.KhoHost.FinalizeResult;
import io.kho4j.host.KhoNativeException;
import io.kho4j.host.KhoUnavailableException;
import io.kho4j.host.LinuxKhoHost;
import io.kho4j.host.LinuxSyscalls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kho kexec load} and {@code kho kexec reboot}: load the next kernel with the KHO state (finalizing it
 * first where the kernel needs that), and boot it. Rebooting needs {@code --yes-reboot}; {@code --dry-run}
 * prints every system call and file write instead of making it.
 */
@Command(name = "kexec", mixinStandardHelpOptions = true,
        description = "Loads and boots the next kernel, carrying the KHO state.")
public final class KexecCommand {
    @Mixin
    HostOptions hostOptions;

    @Spec
    CommandSpec spec;

    /** Commands for the running kernel. */
    public KexecCommand() {
        this(LinuxSyscalls::nativeLibc);
    }

    /** @param syscalls the system calls to make (a fake in tests) */
    public KexecCommand(Supplier<LinuxSyscalls> syscalls) {
        this.hostOptions = new HostOptions(syscalls);
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Finalizes the outgoing KHO state where the kernel needs it (6.16 - 7.0) and loads the"
                    + " next kernel with kexec_file_load.")
    int load(@Option(names = "--kernel", required = true, paramLabel = "FILE", description = "Kernel image.") Path kernel,
             @Option(names = "--initrd", paramLabel = "FILE", description = "Initrd.") Path initrd,
             @Option(names = "--cmdline", paramLabel = "TEXT", description = "The next kernel's command line.") String cmdline,
             @Option(names = "--dry-run", description = "Print each call instead of making it.") boolean dryRun) {
        return run("load", dryRun, host -> {
            KexecImage image = new KexecImage(kernel, Optional.ofNullable(initrd), Optional.ofNullable(cmdline));
            FinalizeResult finalized = host.finalizeOutgoing();
            host.loadKernel(image);
            return (finalized == FinalizeResult.FINALIZED ? "finalized the outgoing KHO state; " : "")
                    + "loaded " + kernel + (dryRun ? " (dry run)" : "") + "; boot it with: kho kexec reboot --yes-reboot";
        });
    }

    @Command(name = "reboot", mixinStandardHelpOptions = true,
            description = "Boots the loaded kernel now (reboot(LINUX_REBOOT_CMD_KEXEC)). Every process on this"
                    + " machine ends; refused without --yes-reboot.")
    int reboot(@Option(names = "--yes-reboot", description = "Confirm the reboot.") boolean yes,
               @Option(names = "--dry-run", description = "Print each call instead of making it.") boolean dryRun) {
        if (!yes) {
            spec.commandLine().getErr().println("kho kexec reboot: refusing to reboot without --yes-reboot: a kexec"
                    + " reboot ends every process on this machine at once");
            return 1;
        }
        return run("reboot", dryRun, host -> {
            host.rebootIntoLoadedKernel(true);
            return "rebooting into the loaded kernel" + (dryRun ? " (dry run: not really)" : "");
        });
    }

    private interface Step {
        String apply(LinuxKhoHost host) throws IOException;
    }

    private int run(String name, boolean dryRun, Step step) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (dryRun) {
                out.println("dry run: nothing is changed; these are the calls kho would make:");
            }
            LinuxKhoHost host = hostOptions.host(dryRun ? line -> out.println("  " + line) : null);
            out.println(step.apply(host));
            return 0;
        } catch (KhoNativeException e) {
            err.println("kho kexec " + name + ": " + e.getMessage() + e.hint().map(h -> ": " + h).orElse(""));
        } catch (IOException | KhoUnavailableException | IllegalStateException | IllegalArgumentException e) {
            err.println("kho kexec " + name + ": " + e.getMessage());
        } finally {
            out.flush();
            err.flush();
        }
        return 1;
    }
}
