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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private static final String JSON_HELP = "Print one JSON object (result and, with --dry-run, the calls).";

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
             @Option(names = "--dry-run", description = "Print each call instead of making it.") boolean dryRun,
             @Option(names = "--json", description = JSON_HELP) boolean json) {
        return run("load", dryRun, json, host -> {
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
               @Option(names = "--dry-run", description = "Print each call instead of making it.") boolean dryRun,
               @Option(names = "--json", description = JSON_HELP) boolean json) {
        if (!yes) {
            spec.commandLine().getErr().println("kho kexec reboot: refusing to reboot without --yes-reboot: a kexec"
                    + " reboot ends every process on this machine at once");
            return 1;
        }
        return run("reboot", dryRun, json, host -> {
            host.rebootIntoLoadedKernel(true);
            return "rebooting into the loaded kernel" + (dryRun ? " (dry run: not really)" : "");
        });
    }

    private interface Step {
        String apply(LinuxKhoHost host) throws IOException;
    }

    private int run(String name, boolean dryRun, boolean json, Step step) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<String> calls = new ArrayList<>();
            if (dryRun && !json) {
                out.println("dry run: nothing is changed; these are the calls kho would make:");
            }
            LinuxKhoHost host = hostOptions.host(!dryRun ? null : json ? calls::add : line -> out.println("  " + line));
            String result = step.apply(host);
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("command", name);
                doc.put("dryRun", dryRun);
                doc.put("calls", calls);
                doc.put("result", result);
                out.print(Json.write(doc) + "\n");
            } else {
                out.println(result);
            }
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
