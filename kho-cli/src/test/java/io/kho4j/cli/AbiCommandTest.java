package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.CompatibleString;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AbiCommandTest {
    @TempDir
    Path dir;

    /** A one-property subsystem whose value width the test can change. */
    private record Gauge(int width, List<CompatibleString> writes) implements SubsystemSerializer<Long> {
        @Override
        public String name() {
            return "gauge";
        }

        @Override
        public void write(Long value, SubtreeWriter out) {
            out.compatible();
            if (width == 4) {
                out.u32("value", value.intValue());
            } else {
                out.u64("value", value);
            }
        }

        @Override
        public List<Long> abiSamples() {
            return List.of(42L);
        }
    }

    private final AtomicReference<List<SubsystemSerializer<?>>> current = new AtomicReference<>();

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ErrorHandler handler = new ErrorHandler();
        int exit = new CommandLine(new AbiCommand(current::get)).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void lockThenCheckThenCatchALayoutChange() throws Exception {
        Path lock = dir.resolve("kho-abi.lock");
        CompatibleString v1 = CompatibleString.of("kho4j,gauge-v1");
        current.set(List.of(new Gauge(4, List.of(v1))));
        assertEquals(1, run("check", "--lock", lock.toString()).exit());

        Run locked = run("lock", "--lock", lock.toString());
        assertEquals(0, locked.exit(), locked.err());
        assertTrue(locked.out().contains("1 subsystem(s), 1 version(s), 1 addition(s)"), locked.out());
        assertTrue(Files.readString(lock).contains("compatible: \"kho4j,gauge-v1\""));
        assertEquals(0, run("check", "--lock", lock.toString()).exit());

        current.set(List.of(new Gauge(8, List.of(v1))));
        Run failed = run("check", "--lock", lock.toString());
        assertEquals(1, failed.exit());
        assertTrue(failed.out().contains("Bump the compatible to \"kho4j,gauge-v2\""), failed.out());
        Run json = run("check", "--lock", lock.toString(), "--json");
        assertTrue(json.out().contains("\"passed\":false") && json.out().contains("\"severity\":\"FAILURE\""), json.out());
        Run refused = run("lock", "--lock", lock.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("recorded layouts changed"), refused.err());
        assertEquals(0, run("lock", "--lock", lock.toString(), "--force").exit());
        assertEquals(0, run("check", "--lock", lock.toString()).exit());
    }

    @Test
    void anAddedVersionIsRecordedAndAnEmptyPathIsRefused() throws Exception {
        Path lock = dir.resolve("kho-abi.lock");
        CompatibleString v1 = CompatibleString.of("kho4j,gauge-v1");
        current.set(List.of(new Gauge(4, List.of(v1))));
        assertEquals(0, run("lock", "--lock", lock.toString()).exit());
        current.set(List.of(new Gauge(4, List.of(v1, v1.next()))));
        Run check = run("check", "--lock", lock.toString());
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().contains("ADDED gauge kho4j,gauge-v2: new version"), check.out());
        assertEquals(0, run("lock", "--lock", lock.toString()).exit());
        assertTrue(Files.readString(lock).contains("kho4j,gauge-v2"));

        current.set(List.of());
        Run empty = run("lock", "--lock", lock.toString());
        assertEquals(1, empty.exit());
        assertTrue(empty.err().contains("no subsystem serializers found"), empty.err());
        assertTrue(Files.readString(lock).contains("kho4j,gauge-v2"), "the lock was not wiped");
        assertEquals(1, run("lock", "--lock", dir.resolve("nodir/x.lock").toString()).exit());
    }

    @Test
    void aCorruptLockIsAOneLineError() throws Exception {
        Path lock = Files.writeString(dir.resolve("kho-abi.lock"), "format: 1 subsystem { nme: \"x\" }");
        current.set(List.of(new Gauge(4, List.of(CompatibleString.of("kho4j,gauge-v1")))));
        Run r = run("check", "--lock", lock.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("abi check: " + lock + ": not a kho-abi.lock text file"), r.err());
        assertEquals(ExitCodes.USAGE, run().exit());
    }
}
