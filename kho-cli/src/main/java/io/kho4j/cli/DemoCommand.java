package io.kho4j.cli;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.handover.Handover;
import io.kho4j.handover.HandoverBuildException;
import io.kho4j.handover.HandoverTarget;
import io.kho4j.host.AtomicFiles;
import io.kho4j.host.KhoState;
import io.kho4j.host.SimulatedKhoHost;
import io.kho4j.host.SimulatedMachine;
import io.kho4j.preserve.PageSize;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.DigestScope;
import io.kho4j.proto.SuccessorReport;
import io.kho4j.spi.SampleStateProvider;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kho demo}: a full handover on a simulated machine (DESIGN.md §5). Sample state comes from every
 * {@link SampleStateProvider} on the class path; the successor runs in a second JVM and its report decides the
 * outcome.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run a full KHO handover on a simulated machine and check it from a second process.",
            "Boots a simulated x86-64 machine (64 GiB, 2 NUMA nodes, Linux 7.4 handing over to itself unless told"
                    + " otherwise) with a sparse memory image, adds sample state from every subsystem module on the"
                    + " class path, builds the handover as the kernel does (scratch, blobs, memory map, root FDT,"
                    + " setup_data or /chosen), commits it and starts the successor as a separate JVM, which walks"
                    + " the hand-off, restores every subsystem and checks the digests. Prints a short report ending"
                    + " in VERIFIED (exit 0), or the failures (exit 1); writes report.txt, report.html (with an SVG"
                    + " memory map) and report.json to DIR.",
        })
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    private CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports and the simulated machine"
            + " (default: ${DEFAULT-VALUE}).")
    private Path outDir = Path.of("kho-demo-out");

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "x86-64",
            description = "x86-64 (setup_data hand-off) or arm64 (/chosen in the boot DTB); default ${DEFAULT-VALUE}.")
    private String arch;

    @ArgGroup(exclusive = true)
    private Kernels kernels;

    @Option(names = "--digest", paramLabel = "ALG", defaultValue = "crc32c",
            description = "crc32c (default) or sha256.")
    private String digest;

    @Option(names = "--digest-all", description = "Digest every preserved range, not only what the successor parses.")
    private boolean digestAll;

    /** Either the two releases or one generation. */
    static final class Kernels {
        @ArgGroup(exclusive = false)
        Releases releases;

        @Option(names = "--generation", paramLabel = "G",
                description = "A generation (kho-v1-bitmap512 ... kho-v4-blocks) on both sides, at its representative"
                        + " release.")
        String generation;
    }

    /** {@code --from R [--to R]}. */
    static final class Releases {
        @Option(names = "--from", paramLabel = "R", required = true,
                description = "The release handing over (default 7.4.0).")
        String from;

        @Option(names = "--to", paramLabel = "R", description = "The successor's release (default: --from).")
        String to;
    }

    @Override
    public Integer call() throws Exception {
        HandoverTarget target = target();
        SimulatedMachine machine = SimulatedMachine.builder(target).build();
        DigestAlgorithm algorithm = switch (digest.toLowerCase(java.util.Locale.ROOT)) {
            case "crc32c" -> DigestAlgorithm.CRC32C;
            case "sha256", "sha-256" -> DigestAlgorithm.SHA256;
            default -> throw common.usageError("--digest must be crc32c or sha256, not " + digest);
        };
        Files.createDirectories(outDir);
        DemoReport report;
        try {
            report = run(machine, algorithm);
        } catch (HandoverBuildException e) {
            if (e.kind() != HandoverBuildException.Kind.INCOMPATIBLE_KERNELS) {
                throw e;
            }
            List<String> reasons = new ArrayList<>();
            reasons.add(e.summary());
            reasons.addAll(e.details());
            report = new DemoReport(machine, null, null, Map.of(), reasons, "", List.of());
        }
        report = writeReports(report);
        PrintWriter out = common.out();
        if (common.json()) {
            common.printJson(report.json());
        } else {
            out.print(report.text());
            out.print("files       " + String.join(", ", report.files()) + "\n");
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }

    private HandoverTarget target() throws InvalidInputException {
        Arch a;
        try {
            a = Arch.parse(arch);
        } catch (IllegalArgumentException e) {
            throw common.usageError(e.getMessage());
        }
        try {
            if (kernels != null && kernels.generation != null) {
                return HandoverTarget.generation(AbiGeneration.parse(kernels.generation), PageSize.KIB_4, a);
            }
            if (kernels != null && kernels.releases != null) {
                KernelRelease from = KernelRelease.parse(kernels.releases.from);
                KernelRelease to = kernels.releases.to == null ? from : KernelRelease.parse(kernels.releases.to);
                return HandoverTarget.releases(from, to, PageSize.KIB_4, a);
            }
            return HandoverTarget.generation(AbiGeneration.KHO_V4_BLOCKS, PageSize.KIB_4, a);
        } catch (GenerationException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
    }

    private DemoReport run(SimulatedMachine machine, DigestAlgorithm algorithm) throws Exception {
        Map<String, Long> phases = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (SimulatedKhoHost host = SimulatedKhoHost.boot(outDir.resolve("machine"), machine)) {
            phases.put("boot", System.nanoTime() - start);
            host.digests(algorithm, digestAll ? DigestScope.ALL : DigestScope.METADATA);
            start = System.nanoTime();
            List<String> modules = new ArrayList<>();
            List<SampleStateProvider> providers = new ArrayList<>();
            ServiceLoader.load(SampleStateProvider.class).forEach(providers::add);
            providers.sort(Comparator.comparing(p -> p.getClass().getName()));
            for (SampleStateProvider p : providers) {
                for (SampleStateProvider.Sample<?> s : p.samples(host.sampleMachine())) {
                    host.add(s);
                    modules.add(s.serializer().name());
                }
            }
            phases.put("samples", System.nanoTime() - start);
            host.finalizeOutgoing();
            host.load(machine.kernelBytes(), machine.initrdBytes());
            KhoState outgoing = host.outgoing();
            host.rebootIntoLoadedKernel(true);
            Handover handover = host.handover().orElseThrow();
            handover.phases().forEach(phases::put);
            phases.putAll(host.phases());
            phases.remove("load");
            SuccessorReport successor = host.lastReport().orElseThrow();
            String samples = providers.isEmpty()
                    ? "no subsystem module on the class path gives samples (kho-memory, kho-ftrace and kho-gic do);"
                            + " KHO's own subtrees only"
                    : providers.size() + " provider(s): " + String.join(", ", modules);
            DemoReport report = new DemoReport(machine, handover, successor, phases, List.of(), samples, List.of());
            return withBlobs(report, outgoing);
        }
    }

    /** Blobs go to the out directory as they were handed over: {@code kho-root.dtb}, then one file per subtree. */
    private DemoReport withBlobs(DemoReport report, KhoState outgoing) throws Exception {
        List<String> files = new ArrayList<>();
        files.add(write("kho-root.dtb", outgoing.rootFdt().orElseThrow()));
        for (String name : outgoing.subBlobNames()) {
            byte[] blob = outgoing.subBlob(name).orElseThrow();
            boolean fdt = blob.length >= 4 && java.nio.ByteBuffer.wrap(blob).getInt(0) == 0xd00dfeed;
            files.add(write("subtree-" + safe(name) + (fdt ? ".dtb" : ".bin"), blob));
        }
        return new DemoReport(report.machine(), report.handover(), report.successor(), report.phases(),
                report.refusal(), report.samples(), files);
    }

    private DemoReport writeReports(DemoReport report) throws Exception {
        List<String> files = new ArrayList<>();
        files.add(outDir.resolve("report.txt").toString());
        files.add(outDir.resolve("report.html").toString());
        files.add(outDir.resolve("report.json").toString());
        files.addAll(report.files());
        DemoReport full = new DemoReport(report.machine(), report.handover(), report.successor(), report.phases(),
                report.refusal(), report.samples(), files);
        write("report.txt", (full.text() + "files       " + String.join(", ", files) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        write("report.html", full.html().getBytes(StandardCharsets.UTF_8));
        write("report.json", (Json.write(full.json()) + "\n").getBytes(StandardCharsets.UTF_8));
        return full;
    }

    private String write(String name, byte[] content) throws java.io.IOException {
        Path file = outDir.resolve(name);
        AtomicFiles.write(file, content);
        return file.toString();
    }

    /** Subtree names come from serializers; keep file names to a portable set. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
