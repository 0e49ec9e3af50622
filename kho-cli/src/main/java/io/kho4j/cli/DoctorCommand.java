package io.kho4j.cli;

import io.kho4j.host.HostCheck;
import io.kho4j.host.HostDoctor;
import io.kho4j.host.KhoKernelFacts;
import io.kho4j.host.KhoUnavailableException;
import io.kho4j.host.LinuxKhoHost;
import io.kho4j.host.LinuxSyscalls;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kho doctor}: whether this machine can carry a KHO handover, check by check, and what to do about
 * what is missing. Exits 0 when nothing is missing, 1 otherwise; it only reads.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Says whether this machine can carry a KHO handover and what is missing.")
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    HostOptions hostOptions;

    @Option(names = "--json", description = "Print the findings as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** A doctor for the running kernel. */
    public DoctorCommand() {
        this(LinuxSyscalls::nativeLibc);
    }

    /** @param syscalls where {@code uname} and {@code geteuid} come from (a fake in tests) */
    public DoctorCommand(Supplier<LinuxSyscalls> syscalls) {
        this.hostOptions = new HostOptions(syscalls);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LinuxKhoHost host;
        try {
            host = hostOptions.host(null);
        } catch (KhoUnavailableException e) {
            spec.commandLine().getErr().println("kho doctor: " + e.getMessage());
            return 1;
        }
        List<HostCheck> checks = HostDoctor.examine(host);
        boolean ready = HostDoctor.ready(checks);
        if (json) {
            out.println(json(host, checks, ready));
        } else {
            text(out, host, checks, ready);
        }
        out.flush();
        return ready ? 0 : 1;
    }

    private static void text(PrintWriter out, LinuxKhoHost host, List<HostCheck> checks, boolean ready) {
        out.println("kho doctor: can this machine carry a KHO handover?");
        for (HostCheck c : checks) {
            out.printf("  %-8s %-13s %s%n", label(c.status()), c.id(), c.summary());
            c.remedy().ifPresent(r -> out.printf("  %-8s %-13s -> %s%n", "", "", r));
        }
        List<String> missing = checks.stream().filter(c -> c.status() == HostCheck.Status.MISSING)
                .map(HostCheck::id).collect(Collectors.toList());
        out.println(ready ? "ready for a handover: yes"
                : "ready for a handover: no (missing: " + String.join(", ", missing) + ")");
    }

    private static String label(HostCheck.Status s) {
        return s == HostCheck.Status.MISSING ? "MISSING" : s.name().toLowerCase(Locale.ROOT);
    }

    private static String json(LinuxKhoHost host, List<HostCheck> checks, boolean ready) {
        List<Object> items = new java.util.ArrayList<>();
        for (HostCheck c : checks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("status", c.status().name().toLowerCase(Locale.ROOT));
            m.put("summary", c.summary());
            m.put("remedy", c.remedy().orElse(null));
            items.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ready", ready);
        doc.put("kernelRelease", host.kernelRelease());
        doc.put("machine", host.machine());
        doc.put("generation", host.kernelFacts().map(KhoKernelFacts::generation).orElse(null));
        doc.put("checks", items);
        return Json.write(doc);
    }
}
