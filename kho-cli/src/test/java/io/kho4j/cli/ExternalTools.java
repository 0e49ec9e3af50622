package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kho4j.fdt.FdtValidator;
import io.kho4j.host.KhoUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need Debian's dtc (device-tree-compiler) or libfdt (libfdt1): outside CI they are
 * skipped with a visible message; with CI=true a missing tool fails the test.
 *
 * <p>TODO-merge: kho-core's test sources get io.kho4j.testsupport.ExternalTools (fdttests branch); use it
 * and delete this copy.
 */
final class ExternalTools {
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    private ExternalTools() {
    }

    static void requireDtc() {
        require(canRun("dtc", "--version"), "dtc (apt-get install device-tree-compiler)");
    }

    static void requireLibfdt() {
        boolean ok;
        try {
            FdtValidator.standard().withLibfdt();
            ok = true;
        } catch (KhoUnavailableException e) {
            ok = false;
        }
        require(ok, "libfdt (apt-get install libfdt1)");
    }

    /** Compiles DTS source with dtc; the caller has called {@link #requireDtc()}. */
    static Path dtc(Path dir, String name, String dts) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".dts");
        Path out = dir.resolve(name + ".dtb");
        Files.writeString(src, dts);
        String log = exec("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out.toString(), src.toString());
        assertEquals("", log, "dtc output");
        return out;
    }

    /** @return the command's stdout and stderr; fails the test on a non-zero exit */
    static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) {
            fail(String.join(" ", command) + " exited " + rc + ": " + output);
        }
        return output;
    }

    private static boolean canRun(String... command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (CI) {
            fail(what + " is missing and CI=true: install it (.ci/run does)");
        }
        System.out.println("SKIPPED: " + what + " is not installed; this test needs it (CI=true makes it fail)");
        Assumptions.abort(what + " is not installed");
    }
}
