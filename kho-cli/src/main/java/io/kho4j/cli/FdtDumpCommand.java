package io.kho4j.cli;

import io.kho4j.fdt.DumpFormat;
import io.kho4j.fdt.ValidatedFdt;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kho fdt dump}: a validated blob as canonical lines, device-tree source or JSON. */
@Command(name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "Validate a blob and print it (canonical, dts or json).",
            "canonical (the default; docs/CLI.md): one line per item, stable for diffing:",
            "  fdt version=<v> last_comp_version=<v> boot_cpuid_phys=<n>",
            "  rsv 0x<address> 0x<size>            (each memory reservation)",
            "  node <path>                         (document order)",
            "  prop <path> <name> <hex value>      (after their node, in blob order)",
            "dts: device-tree source like dtc -O dts.",
            "json: the canonical content as one JSON object.",
        })
public final class FdtDumpCommand implements Callable<Integer> {
    /** Output forms; matched case-insensitively on the command line. */
    enum Format {
        CANONICAL, DTS, JSON;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Mixin
    private CommonOptions common;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "canonical (default), dts or json. --json is the same as --format=json.")
    private Format format;

    @Parameters(paramLabel = "FILE", description = "The blob (a .dtb, /sys/firmware/fdt, a debugfs kho/ file).")
    private Path file;

    @Override
    public Integer call() throws Exception {
        Format f = format == null ? Format.CANONICAL : format;
        if (common.json()) {
            if (format != null && format != Format.JSON) {
                throw common.usageError("--json conflicts with --format=" + format);
            }
            f = Format.JSON;
        }
        ValidatedFdt fdt = BlobFiles.readValidated(file, BlobFiles.VALIDATOR);
        DumpFormat text = f == Format.DTS ? DumpFormat.DTS : f == Format.JSON ? DumpFormat.JSON : DumpFormat.CANONICAL;
        text.write(fdt, common.out());
        return ExitCodes.OK;
    }
}
