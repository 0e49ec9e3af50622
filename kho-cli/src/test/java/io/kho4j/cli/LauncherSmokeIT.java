package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code ./kho} launcher on the built jar, from another directory. An integration test
 * (maven-failsafe-plugin): {@code mvn verify} runs it after {@code package} has built kho-cli/target/kho.jar,
 * so it is never skipped; it never builds itself.
 */
class LauncherSmokeIT {
    @TempDir
    Path cwd;

    private Path launcher;

    @BeforeEach
    void needTheJar() {
        Path root = TestFiles.repoRoot();
        launcher = root.resolve("kho");
        assertTrue(Files.isRegularFile(root.resolve("kho-cli/target/kho.jar")),
                "kho-cli/target/kho.jar must be built before the integration tests (mvn verify packages it)");
    }

    private Process start(String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString());
        pb.command().addAll(List.of(args));
        pb.directory(cwd.toFile()).redirectErrorStream(false);
        pb.environment().put("KHO_SKIP_BUILD", "1"); // no nested Maven inside the running build
        return pb.start();
    }

    @Test
    void versionRunsFromAnyDirectory() throws Exception {
        Process p = start("--version");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals("kho " + KhoCommand.Version.version(), out.lines().findFirst().orElse(""));
    }

    @Test
    void exitCodesAndEscapedNameBytesReachTheShell() throws Exception {
        byte[] latin1 = new HandBlobs().begin("").begin("caf\u00e9").end().end().build(0);
        Files.write(cwd.resolve("ok.dtb"), latin1);
        Process ok = start("fdt", "dump", "ok.dtb");
        byte[] out = ok.getInputStream().readAllBytes();
        assertEquals(0, ok.waitFor());
        // bytes outside 0x21-0x7e in names are printed as \xNN (CanonicalDump), so a hostile name cannot
        // break the one-item-per-line contract whatever the terminal's encoding
        byte[] line = "node /caf\\xe9\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(new String(line, java.nio.charset.StandardCharsets.US_ASCII),
                new String(Arrays.copyOfRange(out, out.length - line.length, out.length), java.nio.charset.StandardCharsets.ISO_8859_1));

        Files.write(cwd.resolve("bad.dtb"), Arrays.copyOf(latin1, 30));
        Process bad = start("fdt", "check", "bad.dtb");
        String badOut = new String(bad.getInputStream().readAllBytes());
        assertEquals(1, bad.waitFor());
        assertEquals("INVALID", badOut.split(" ")[0]);
        assertEquals(2, start("fdt", "check").waitFor());
    }
}
