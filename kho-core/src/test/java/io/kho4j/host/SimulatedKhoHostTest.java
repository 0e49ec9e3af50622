package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kho4j.proto.SuccessorReport;
import io.kho4j.spi.Restorer;
import io.kho4j.testsupport.SampleSubsystem;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedKhoHostTest {
    @TempDir
    Path dir;

    @Test
    void smoke() throws Exception {
        Path services = dir.resolve("cp/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(Restorer.class.getName()), SampleSubsystem.class.getName() + "\n");
        long t0 = System.nanoTime();
        try (SimulatedKhoHost host = SimulatedKhoHost.boot(dir.resolve("state"), SimulatedMachine.defaults())) {
            host.successorClassPath(System.getProperty("java.class.path") + File.pathSeparator + dir.resolve("cp"));
            host.add(new SampleSubsystem.Provider().samples(host.sampleMachine()).get(0));
            SuccessorReport r = host.kexec();
            System.out.println(r);
            System.out.println(host.phases() + " " + (System.nanoTime() - t0) / 1e6);
            assertEquals(SuccessorReport.Outcome.VERIFIED, r.getOutcome(), r.toString());
            assertNotEquals(ProcessHandle.current().pid(), r.getPid());
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir.resolve("state"))) {
            s.forEach(p -> System.out.println(p + " " + p.toFile().length()));
        }
    }
}
