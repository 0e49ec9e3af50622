package io.kho4j.cli;

import picocli.CommandLine.Command;

/** {@code kho fdt}: the flattened-device-tree commands (formats in DESIGN.md §4). */
@Command(name = "fdt",
        mixinStandardHelpOptions = true,
        description = "Inspect, check and re-encode flattened device tree (FDT, .dtb) blobs.",
        subcommands = {
            FdtDumpCommand.class,
            FdtCheckCommand.class,
            FdtNormalizeCommand.class,
        },
        synopsisSubcommandLabel = "COMMAND")
public final class FdtCommand {
}
