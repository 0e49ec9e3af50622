package io.kho4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/**
 * The top-level {@code kho} command. To add a command, write a picocli class with
 * {@code @Mixin CommonOptions common;} and list it in {@code subcommands} below: one line. Then add a usage
 * example to the footer and to README.md (a test checks that every command the README names exists).
 */
@Command(name = "kho",
        mixinStandardHelpOptions = true,
        versionProvider = KhoCommand.Version.class,
        description = "Linux Kexec HandOver (KHO) tools: inspect and check KHO device trees, run the demo.",
        subcommands = {
            HelpCommand.class,
            DemoCommand.class,
            FdtCommand.class,
            InspectCommand.class,
            AbiCommand.class,
            MemmapCommand.class,
            ScratchCommand.class,
            DoctorCommand.class,
            KexecCommand.class,
        },
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nExamples:%n",
        footer = {
            "  kho demo                           sample KHO trees, checked and shown",
            "  kho fdt dump /sys/firmware/fdt     canonical dump of a blob",
            "  kho fdt dump --format=dts a.dtb    as device-tree source",
            "  kho fdt check a.dtb                OK, or INVALID <kind> at offset <n>: ...",
            "  kho fdt normalize a.dtb -o b.dtb   re-encode compactly as version 17",
            "  kho inspect out-fdt.dtb --release 6.18.3   generation, subsystems, verdict",
            "  kho abi check                      fail on an ABI change without a bump",
            "  kho memmap decode --abi kho-v4-blocks --image mem.img --root 0x1000",
            "  kho scratch plan --cmdline 'kho=on kho_scratch=16M,512M,256M' --ram 0-16G@0",
            "  kho doctor                         can this machine carry a KHO handover?",
            "  kho kexec load --kernel K --dry-run   print the syscalls a load would make",
            "",
            "Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 cannot run here (a",
            "missing facility such as libfdt, or a bug). Every command takes --json.",
        })
public final class KhoCommand {

    /** {@code kho --version}: the build's version and the JVM it runs on. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {
                "kho " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            };
        }

        /** @return the Maven project version this build was made from */
        static String version() throws IOException {
            Properties p = new Properties();
            try (InputStream in = KhoCommand.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the kho build");
                }
                p.load(in);
            }
            return p.getProperty("version");
        }
    }
}
