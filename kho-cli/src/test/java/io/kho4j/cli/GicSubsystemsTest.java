package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.spi.SubsystemRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kho-gic is on the CLI's path: its subtree is discovered, and kho demo hands GIC tables over on arm64 only. */
class GicSubsystemsTest {
    @TempDir
    Path dir;

    @Test
    void theGicSubsystemIsDiscovered() {
        SubsystemRegistry r = SubsystemRegistry.discover();
        assertTrue(r.serializer("gic").isPresent());
        assertTrue(r.restorer("gic").isPresent());
    }

    @Test
    void arm64DemoHandsOverTheGicTablesAndX86DoesNot() {
        Cli.Result arm = Cli.run("demo", "--arch", "arm64", "--digest-all", "--out", dir.resolve("arm").toString());
        assertEquals(0, arm.exit(), arm.toString());
        assertTrue(arm.out().contains("\n            gic              kho4j,gicv3-v1 "), arm.out());
        assertTrue(arm.out().contains("4 pending tables"), arm.out());
        assertTrue(arm.out().contains("\nVERIFIED\n"), arm.out());
        Cli.Result x86 = Cli.run("demo", "--out", dir.resolve("x86").toString());
        assertEquals(0, x86.exit(), x86.toString());
        assertFalse(x86.out().contains("kho4j,gicv3-v1"), "GICv3 is arm64 only: " + x86.out());
    }
}
