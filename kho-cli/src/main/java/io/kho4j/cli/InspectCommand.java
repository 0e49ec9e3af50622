package io.kho4j.cli;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.host.MemoryImage;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.tree.InboundResult;
import io.kho4j.tree.KhoTreeParser;
import io.kho4j.tree.SubtreeIssue;
import io.kho4j.tree.SubtreeRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kho inspect FILE [--memory IMAGE --base ADDR] [--release R] [--json]}: reads a KHO root FDT as the
 * successor kernel would and prints the generation, the memory-map address and every subtree; with a memory
 * image it follows the subtree pointers and describes each blob.
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Show what a KHO root FDT hands over: generation, memory map and subtrees, read as the successor"
                    + " kernel would.",
            "With --memory, follow each subtree pointer into a memory image (the byte at file offset"
                    + " phys - base is the byte at phys) and describe the blob. Without --release a kho-v1 root is"
                    + " shown as ambiguous: 6.16 - 6.17.8 and 6.17.9+ write the same string with different"
                    + " memory-map bitmaps.",
            "Exits 0 if the successor would accept the root and reach every subtree, 1 if it would refuse the"
                    + " root (REFUSED <reason> ...) or some subtree has an issue.",
        })
public final class InspectCommand implements Callable<Integer> {
    @Mixin
    private CommonOptions common;

    @Parameters(paramLabel = "FILE", description = "The root FDT, e.g. /sys/kernel/debug/kho/out/fdt.")
    private Path file;

    @Option(names = "--memory", paramLabel = "IMAGE", description = "Memory image to follow subtree pointers into.")
    private Path memory;

    @Option(names = "--base", paramLabel = "ADDR", defaultValue = "0", converter = AddressConverter.class,
            description = "Physical address of the image's first byte (default 0).")
    private long base;

    @Option(names = "--release", paramLabel = "R",
            description = "The successor's kernel release (e.g. 6.17.9): its generation and rules apply.")
    private String release;

    @Option(names = "--page-size", paramLabel = "BYTES", defaultValue = "4096",
            description = "The successor's PAGE_SIZE; the root must fit in one page (default 4096).")
    private int pageSize;

    @Override
    public Integer call() throws IOException, InvalidInputException {
        KhoTreeParser parser;
        try {
            parser = KhoTreeParser.create().withPageSize(pageSize);
            if (release != null) {
                parser = parser.forSuccessor(KernelRelease.parse(release));
            }
        } catch (GenerationException | IllegalArgumentException e) {
            throw common.usageError(e.getMessage());
        }
        byte[] root = BlobFiles.read(file);
        if (memory == null) {
            return report(parser.parse(root));
        }
        try (MemoryImage image = MemoryImage.open(memory, base)) {
            return report(parser.withMemory(image).parse(root));
        }
    }

    private int report(InboundResult result) {
        if (result instanceof InboundResult.Refused r) {
            if (common.json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("file", file.toString());
                o.put("accepted", false);
                o.put("reason", r.reason().name());
                o.put("offset", r.offset());
                o.put("message", r.message());
                common.printJson(o);
            } else {
                common.out().print("REFUSED " + r.reason() + " at offset " + r.offset() + ": "
                        + ErrorHandler.oneLine(r.message()) + "\n");
            }
            return ExitCodes.INVALID_INPUT;
        }
        InboundResult.Accepted a = (InboundResult.Accepted) result;
        if (common.json()) {
            common.printJson(json(a));
        } else {
            text(a, common.out());
        }
        return a.issues().isEmpty() ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }

    private void text(InboundResult.Accepted a, PrintWriter out) {
        AbiGeneration g = a.generations().get(0);
        List<String> lines = new ArrayList<>();
        lines.add("root " + file + ": " + a.rootSize() + " bytes, compatible " + a.tree().compatibles());
        lines.add(a.generations().size() == 1 ? "generation " + g + " (" + g.kernels() + ")"
                : "generation ambiguous: " + a.generations() + " all write " + g.rootCompatible()
                        + "; pass --release to decide the memory-map bitmap size");
        lines.add(String.format("preserved-memory-map 0x%x (%s)", a.tree().memoryMap(),
                a.generations().size() == 1 ? g.memoryMap() : "bitmap size unknown"));
        for (SubtreeRef s : a.tree().subtrees()) {
            lines.add(String.format("subtree %s %s=0x%x%s", s.name(), g.subtreeProperty(), s.address(),
                    s.size().isPresent() ? " " + g.sizeProperty().orElseThrow() + "=" + s.size().getAsLong() : ""));
            InboundSubtree blob = a.blobs().get(s.name());
            if (blob != null) {
                lines.add("  blob " + blob.size() + " bytes, " + describe(blob));
            }
        }
        for (SubtreeIssue i : a.issues()) {
            lines.add("issue " + i);
        }
        // names and strings come from a hostile blob: one output line per line, control characters escaped
        for (String line : lines) {
            out.print(ErrorHandler.oneLine(line) + "\n");
        }
    }

    private static String describe(InboundSubtree blob) {
        if (!blob.looksLikeFdt()) {
            return "raw";
        }
        try {
            return "fdt, compatible " + blob.rootCompatibles();
        } catch (RestoreException e) {
            return "not a valid fdt: " + e.getMessage();
        }
    }

    private Map<String, Object> json(InboundResult.Accepted a) {
        List<Object> subtrees = new ArrayList<>();
        for (SubtreeRef s : a.tree().subtrees()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", s.name());
            o.put("address", hex(s.address()));
            o.put("size", s.size().isPresent() ? s.size().getAsLong() : null);
            InboundSubtree blob = a.blobs().get(s.name());
            if (blob != null) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("bytes", blob.size());
                b.put("format", blob.looksLikeFdt() ? "fdt" : "raw");
                if (blob.looksLikeFdt()) {
                    try {
                        b.put("compatible", blob.rootCompatibles());
                    } catch (RestoreException e) {
                        b.put("error", e.getMessage());
                    }
                }
                o.put("blob", b);
            }
            subtrees.add(o);
        }
        List<Object> issues = new ArrayList<>();
        for (SubtreeIssue i : a.issues()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", i.name());
            o.put("physical", i.physical());
            o.put("location", i.physical() ? hex(i.location()) : i.location());
            o.put("problem", i.problem());
            issues.add(o);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", file.toString());
        o.put("accepted", true);
        o.put("rootSize", a.rootSize());
        o.put("compatible", a.tree().compatibles());
        o.put("generations", a.generations().stream().map(Enum::name).toList());
        o.put("generation", a.generations().size() == 1 ? a.generations().get(0).name() : null);
        o.put("memoryMap", hex(a.tree().memoryMap()));
        o.put("subtrees", subtrees);
        o.put("issues", issues);
        return o;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
