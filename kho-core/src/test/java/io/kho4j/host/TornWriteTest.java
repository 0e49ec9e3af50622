package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.handover.InboundOutcome;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.testsupport.SampleSubsystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM committing handover after handover is killed (SIGKILL) at random moments; after each kill the reader
 * must find the last committed handover complete: accepted, every digest matching, and its sample labelled with
 * the sequence number the state file names. A torn write would show up as a missing or mismatching file, a
 * digest mismatch, or a label from another handover.
 */
class TornWriteTest {
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = 0x746f726eL)
    void aKilledWriterLeavesTheOldOrTheNewHandoverNeverATornOne(long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        SubsystemRegistry restorers = SubsystemRegistry.empty().register((Restorer<?>) new SampleSubsystem());
        String java = ProcessHandle.current().info().command().orElseThrow();
        long lastSequence = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process writer = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), PersistLoopMain.class.getName(), dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("../writer-" + round + ".log").toFile()).start();
            // the first two rounds wait for a new commit (so the run sees at least two, however slow the machine);
            // later ones kill anywhere from start-up onwards
            long delay = round < 2 ? 0 : 50 + rnd.nextInt(1200);
            if (round < 2) {
                waitForCommitAfter(writer, lastSequence);
            }
            Thread.sleep(delay);
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            try (SimulatedKhoHost successor = SimulatedKhoHost.open(dir)) {
                InboundOutcome.Restored in = successor.inbound(restorers).orThrow();
                assertTrue(in.verified(), "round " + round + ": " + in.failures());
                assertEquals("seq-" + successor.sequence(), in.state(SampleSubsystem.NAME, SampleSubsystem.State.class)
                        .orElseThrow().label(), "round " + round);
                assertTrue(successor.sequence() >= lastSequence, "commits never go back");
                lastSequence = successor.sequence();
            }
        }
        assertTrue(lastSequence >= 2, "the writer committed more than once: " + lastSequence);
        try (SimulatedKhoHost next = SimulatedKhoHost.boot(dir, PersistLoopMain.machine())) {
            List<String> files;
            try (var s = Files.list(dir)) {
                files = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("memory-" + next.sequence()))
                        .sorted().toList();
            }
            assertEquals(List.of("kho-host.state", "manifest-" + lastSequence + ".pb", "memory-" + lastSequence + ".img"),
                    files, "a new boot removes what interrupted writes left");
        }
    }

    /** Waits until the committed state names a handover after {@code sequence}, so a kill finds it committed. */
    private void waitForCommitAfter(Process writer, long sequence) throws InterruptedException {
        // a liveness bound only: a healthy writer commits within seconds even on a loaded machine
        for (int i = 0; committedSequence() <= sequence; i++) {
            assertTrue(writer.isAlive(), "the writer died");
            assertTrue(i < 6000, "no commit after handover " + sequence + " within 5 minutes");
            Thread.sleep(50);
        }
    }

    private long committedSequence() {
        if (!Files.exists(dir.resolve(SimulatedKhoHost.STATE_FILE))) {
            return 0;
        }
        try (SimulatedKhoHost committed = SimulatedKhoHost.open(dir)) {
            return committed.sequence();
        } catch (IOException | RuntimeException e) {
            return 0; // the writer is between files of its next commit: look again
        }
    }
}
