package io.kho4j.cli;

import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.tree.TreeCodec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kho fdt normalize}: decode and re-encode a blob in dtc's compact version-17 layout. */
@Command(name = "normalize",
        mixinStandardHelpOptions = true,
        description = {
            "Re-encode a blob compactly as version 17, keeping all its content.",
            "Writes dtc's layout, keeping every node, property, memory reservation and boot_cpuid_phys."
                    + " Properties that followed child nodes move in front of them; the canonical dump does"
                    + " not change. OUT is replaced atomically (IN may be OUT).",
        })
public final class FdtNormalizeCommand implements Callable<Integer> {
    @Mixin
    private CommonOptions common;

    @Parameters(paramLabel = "IN", description = "The blob to read.")
    private Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The file to write.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        ValidatedFdt fdt = BlobFiles.readValidated(in, BlobFiles.VALIDATOR);
        byte[] blob;
        try {
            blob = TreeCodec.encode(TreeCodec.decode(fdt), fdt.memoryReservations(),
                    FdtWriter.create(FdtWriter.Layout.DTC).bootCpuidPhys(fdt.bootCpuidPhys()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // libfdt accepts a few trees a writer may not produce (an unnamed child node, say).
            throw new InvalidInputException(in + ": cannot be re-encoded: " + e.getMessage(), e);
        }
        io.kho4j.host.AtomicFiles.write(out, blob);
        if (common.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("input", in.toString());
            result.put("input_bytes", fdt.totalSize());
            result.put("output", out.toString());
            result.put("output_bytes", blob.length);
            common.printJson(result);
        } else {
            common.out().print(in + " (" + fdt.totalSize() + " bytes, version " + fdt.version() + ") -> " + out
                    + " (" + blob.length + " bytes, version 17)\n");
        }
        return ExitCodes.OK;
    }
}
