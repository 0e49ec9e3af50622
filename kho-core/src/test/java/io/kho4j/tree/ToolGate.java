package io.kho4j.tree;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kho4j.internal.jna.LibFdtCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * TODO-merge: replace with io.kho4j.testsupport.ExternalTools from the fdttests branch. Outside CI a missing tool
 * skips the test with a visible message; with CI=true it fails.
 */
final class ToolGate {
    private ToolGate() {
    }

    static void requireDtc() {
        require("dtc", runs("dtc", "--version"), "install Debian's device-tree-compiler");
    }

    static void requireLibfdt() {
        require("libfdt", LibFdtCheck.isAvailable(), "install Debian's libfdt1");
    }

    private static void require(String tool, boolean present, String how) {
        String message = tool + " is not available: " + how;
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(message + " (CI=true makes this a failure)");
        }
        if (!present) {
            System.err.println("SKIPPED: " + message);
        }
        assumeTrue(present, message);
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Compiles DTS text with dtc and returns the blob. */
    static byte[] dtc(Path dir, String name, String dts) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".dts");
        Path out = dir.resolve(name + ".dtb");
        java.nio.file.Files.writeString(src, dts);
        Process p = new ProcessBuilder("dtc", "-I", "dts", "-O", "dtb", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("dtc failed on " + name + ": " + log);
        }
        return java.nio.file.Files.readAllBytes(out);
    }
}
