package io.kho4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kho4j.fdt.FdtValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The C harness builds the very trees the Java benchmarks build (byte for byte, FdtWriter's
 * LIBFDT_SEQUENTIAL layout against libfdt's fdt_create … fdt_finish) and its walk reads the same bytes as
 * {@link TreeWalk}.
 *
 * <p>Needs gcc and libfdt-dev. Unlike the dtc/libfdt1 tests, this one is skipped even when CI=true: the
 * harness is a benchmark tool and CI must not need libfdt-dev.
 * TODO-merge: use io.kho4j.testsupport.ExternalTools (an optional-tool check) once it is on this branch.
 */
class CHarnessTest {
    private static final Path BUILD_SCRIPT = Path.of("src/main/c/build.sh");

    @TempDir
    static Path dir;
    private static Path harness;

    @BeforeAll
    static void buildHarness() throws IOException, InterruptedException {
        boolean tools = Files.exists(Path.of("/usr/include/libfdt.h")) && onPath("gcc");
        if (!tools) {
            System.err.println("CHarnessTest SKIPPED: needs gcc and libfdt-dev (apt-get install -y gcc libfdt-dev)");
        }
        assumeTrue(tools, "needs gcc and libfdt-dev (apt-get install -y gcc libfdt-dev)");
        run(List.of("sh", BUILD_SCRIPT.toString(), "--no-install", dir.toString()));
        harness = dir.resolve("fdtbench");
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void libfdtBuildsTheSameBytes(Workload w) throws IOException, InterruptedException {
        Path out = dir.resolve(w + ".dtb");
        run(List.of(harness.toString(), "--dump", w.name(), out.toString()));
        assertArrayEquals(w.script().encode(), Files.readAllBytes(out), w + ": libfdt and FdtWriter bytes differ");
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void bothWalksReadTheSameBytes(Workload w) throws Exception {
        String c = run(List.of(harness.toString(), "--checksum", w.name())).trim();
        long java = TreeWalk.checksum(FdtValidator.standard().validate(w.script().encode()));
        assertEquals(String.format("%016x", java), c);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
