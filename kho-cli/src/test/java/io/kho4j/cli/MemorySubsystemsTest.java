package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.spi.SubsystemRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kho-memory's subsystems are on the CLI's path, and the project's committed lock matches them. */
class MemorySubsystemsTest {
    @Test
    void theMemorySubsystemsAreDiscovered() {
        SubsystemRegistry r = SubsystemRegistry.discover();
        for (String name : List.of("memblock", "LUO", "kho_test", "vm-memory")) {
            assertEquals(true, r.serializer(name).isPresent(), name + " serializer");
            assertEquals(true, r.restorer(name).isPresent(), name + " restorer");
        }
    }

    @Test
    void theCommittedLockMatchesThem() {
        Cli.Result check = Cli.run("abi", "check", "--lock", "../kho-abi.lock");
        assertEquals(0, check.exit(), check.toString());
    }
}
