package io.kho4j.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import io.kho4j.internal.jna.LibFdtCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The gate for tests that need tools we did not write: {@code dtc} and {@code fdtdump} (Debian
 * device-tree-compiler) and libfdt (Debian libfdt1). Outside CI a missing tool skips the test with a
 * message on stderr and in the skip reason; with environment {@code CI=true} it fails the test, so CI
 * cannot go green by skipping. Also runs the tools with a timeout and captures their output.
 *
 * <p>Other modules get this class through {@code io.kho4j:kho-core:test-jar:tests} (test scope).
 */
public final class ExternalTools {
    /** Generous: dtc takes milliseconds, but the machine is shared. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final String DTC_PACKAGE = "apt-get install -y device-tree-compiler";
    private static final Map<String, Boolean> PRESENT = new ConcurrentHashMap<>();

    private ExternalTools() {
    }

    /** What a tool did. */
    public record Result(List<String> command, int exitCode, byte[] stdout, String stderr) {
        /** @return stdout as UTF-8 text */
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** @return this result, after failing the test unless the exit code is 0 */
        public Result requireSuccess() {
            if (exitCode != 0) {
                fail(String.join(" ", command) + " exited with " + exitCode + ":\n" + stderr);
            }
            return this;
        }
    }

    /** @return whether the environment says we run in CI ({@code CI=true}) */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (outside CI) or fails (in CI) the calling test unless {@code dtc} runs. */
    public static void requireDtc() {
        require("dtc", PRESENT.computeIfAbsent("dtc", t -> runs(t, "--version")), DTC_PACKAGE);
    }

    /** Skips (outside CI) or fails (in CI) the calling test unless {@code fdtdump} runs. */
    public static void requireFdtdump() {
        require("fdtdump", PRESENT.computeIfAbsent("fdtdump", t -> runs(t, "--version")), DTC_PACKAGE);
    }

    /** Skips (outside CI) or fails (in CI) the calling test unless libfdt loads through JNA. */
    public static void requireLibfdt() {
        require("libfdt (libfdt.so.1)", PRESENT.computeIfAbsent("libfdt", t -> LibFdtCheck.isAvailable()),
                "apt-get install -y libfdt1");
    }

    private static void require(String tool, boolean present, String install) {
        if (present) {
            return;
        }
        String why = tool + " is not available (" + install + ")";
        if (inCi()) {
            fail("CI=true but " + why + "; .ci/run installs it");
        }
        System.err.println("[kho4j tests] SKIPPED: " + why + "; with CI=true this test would fail");
        Assumptions.assumeTrue(false, why + "; skipped outside CI");
    }

    private static boolean runs(String tool, String arg) {
        try {
            Process p = new ProcessBuilder(tool, arg).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs a command with {@code stdin} as its input; stdout and stderr go to temporary files, so a chatty
     * tool cannot block on a full pipe. A command still running after {@code timeout} is killed and fails
     * the test.
     *
     * @param timeout how long to wait
     * @param stdin bytes to feed (empty for none)
     * @param command program and arguments
     * @return what it did
     * @throws IOException if it cannot be started or its output read
     */
    public static Result run(Duration timeout, byte[] stdin, String... command) throws IOException {
        Path dir = Files.createTempDirectory("kho4j-tool");
        Path in = dir.resolve("stdin");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        try {
            Files.write(in, stdin);
            Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor();
                    fail(String.join(" ", command) + " still running after " + timeout + "; killed");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + command[0], e);
            }
            return new Result(List.of(command), p.exitValue(), Files.readAllBytes(out),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            for (Path f : List.of(in, out, err, dir)) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * Runs a command with no input and the default timeout; a non-zero exit fails the test.
     *
     * @param command program and arguments
     * @return its stdout as UTF-8 text
     * @throws IOException if it cannot be started
     */
    public static String runOk(String... command) throws IOException {
        return run(DEFAULT_TIMEOUT, new byte[0], command).requireSuccess().stdoutText();
    }

    /**
     * Compiles DTS text with {@code dtc -q -I dts -O dtb} (warnings off; errors fail the test).
     *
     * @param dts source text
     * @return the blob dtc wrote
     * @throws IOException if dtc cannot be run
     */
    public static byte[] dtsToDtb(String dts) throws IOException {
        requireDtc();
        return run(DEFAULT_TIMEOUT, dts.getBytes(StandardCharsets.UTF_8), "dtc", "-q", "-I", "dts", "-O", "dtb", "-")
                .requireSuccess().stdout();
    }

    /**
     * Decompiles a blob with {@code dtc -q -I dtb -O dts}.
     *
     * @param dtb the blob
     * @return dtc's DTS text
     * @throws IOException if dtc cannot be run
     */
    public static String dtbToDts(byte[] dtb) throws IOException {
        requireDtc();
        return run(DEFAULT_TIMEOUT, dtb, "dtc", "-q", "-I", "dtb", "-O", "dts", "-").requireSuccess().stdoutText();
    }

    /**
     * Dumps a blob with {@code fdtdump} (its banner goes to stderr and is dropped).
     *
     * @param dtb the blob
     * @return fdtdump's stdout
     * @throws IOException if fdtdump cannot be run
     */
    public static String fdtdump(byte[] dtb) throws IOException {
        requireFdtdump();
        return run(DEFAULT_TIMEOUT, dtb, "fdtdump", "-").requireSuccess().stdoutText();
    }
}
