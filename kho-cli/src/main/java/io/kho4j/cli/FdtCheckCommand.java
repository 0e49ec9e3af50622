package io.kho4j.cli;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kho fdt check}: is this blob well formed? */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Check that a blob is a well-formed flattened device tree.",
            "Applies the checks of libfdt's fdt_check_full, a few stricter ones, and kho's size limits."
                    + " Prints OK and exits 0, or prints one line INVALID <kind> at offset <n>: <message>"
                    + " and exits 1.",
        })
public final class FdtCheckCommand implements Callable<Integer> {
    @Mixin
    private CommonOptions common;

    @Option(names = "--libfdt",
            description = "Also run libfdt's own fdt_check_full (needs Debian's libfdt1; exit 3 without it).")
    private boolean libfdt;

    @Parameters(paramLabel = "FILE", description = "The blob to check.")
    private Path file;

    @Override
    public Integer call() throws Exception {
        FdtValidator validator = libfdt ? BlobFiles.VALIDATOR.withLibfdt() : BlobFiles.VALIDATOR;
        byte[] bytes = BlobFiles.read(file);
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            validator.validate(bytes);
        } catch (FdtFormatException e) {
            if (common.json()) {
                result.put("valid", false);
                result.put("kind", e.kind().name());
                result.put("offset", e.offset());
                result.put("message", e.detail());
                common.printJson(result);
            } else {
                common.out().print("INVALID " + ErrorHandler.oneLine(e.getMessage()) + "\n");
            }
            return ExitCodes.INVALID_INPUT;
        }
        if (common.json()) {
            result.put("valid", true);
            common.printJson(result);
        } else {
            common.out().print("OK\n");
        }
        return ExitCodes.OK;
    }
}
