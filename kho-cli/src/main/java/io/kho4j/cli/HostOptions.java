package io.kho4j.cli;

import io.kho4j.host.LinuxKhoHost;
import io.kho4j.host.LinuxSyscalls;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The options every real-host command shares, and how it gets its {@link LinuxKhoHost}. */
final class HostOptions {
    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", scope = ScopeType.INHERIT,
            description = "Directory that stands for / when reading /proc, /sys and /dev (default: ${DEFAULT-VALUE};"
                    + " point it at a fake tree to test).")
    Path root;

    private final Supplier<LinuxSyscalls> syscalls;

    HostOptions(Supplier<LinuxSyscalls> syscalls) {
        this.syscalls = syscalls;
    }

    /** @param dryRun receives each call instead of the kernel, or null to make the calls @return the host */
    LinuxKhoHost host(Consumer<String> dryRun) {
        LinuxKhoHost.Builder b = LinuxKhoHost.builder().root(root).syscalls(syscalls.get());
        return (dryRun == null ? b : b.dryRun(dryRun)).build();
    }
}
