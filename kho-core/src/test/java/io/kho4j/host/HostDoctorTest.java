package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.HostCheck.Status;
import io.kho4j.testsupport.FakeKernelTree;
import io.kho4j.testsupport.FakeKernelTree.Layout;
import io.kho4j.testsupport.ScriptedSyscalls;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HostDoctorTest {
    @TempDir
    Path dir;

    private List<HostCheck> examine(Layout layout, int euid, boolean facts) {
        return HostDoctor.examine(LinuxKhoHost.builder().root(dir).syscalls(new ScriptedSyscalls(layout.release, euid))
                .kernelFacts(r -> facts ? Optional.of(layout.facts()) : Optional.empty()).build());
    }

    private static HostCheck check(List<HostCheck> checks, String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aPreparedMachineIsReady(Layout layout) {
        FakeKernelTree.ready(dir, layout);
        List<HostCheck> checks = examine(layout, 0, true);
        assertTrue(HostDoctor.ready(checks), checks::toString);
        assertEquals("Linux " + layout.release + " on x86_64, KHO generation TEST_" + layout, check(checks, "kernel").summary());
        assertEquals(Status.OK, check(checks, "kho-cmdline").status());
        assertEquals(Status.OK, check(checks, "kho-debugfs").status());
        assertEquals(Status.OK, check(checks, "kexec").status());
        assertTrue(check(checks, "outgoing").summary().startsWith("3 scratch areas (784 MiB)"));
        assertEquals(Status.INFO, check(checks, "incoming").status());
        assertEquals(layout == Layout.V6_16 ? Status.INFO : Status.OK, check(checks, "liveupdate").status());
    }

    @Test
    void anOrdinaryMachineIsToldWhatIsMissing() {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V7_1);
        t.delete("sys/kernel/debug/kho").write("proc/mounts", "proc /proc proc rw 0 0\n")
                .write("proc/cmdline", "root=/dev/sda1 quiet\n").delete("sys/kernel/kexec_loaded");
        List<HostCheck> checks = examine(Layout.V7_1, 1000, false);
        assertFalse(HostDoctor.ready(checks));
        assertEquals(Status.WARNING, check(checks, "kernel").status());
        assertEquals(new HostCheck("privileges", Status.MISSING, "running as uid 1000: loading a kernel and rebooting"
                + " need root (CAP_SYS_BOOT), and debugfs is readable by root only", Optional.of("run as root")),
                check(checks, "privileges"));
        assertEquals(Optional.of("add kho=on to the kernel command line and reboot"), check(checks, "kho-cmdline").remedy());
        assertEquals(Optional.of("mount -t debugfs none /sys/kernel/debug"), check(checks, "debugfs").remedy());
        assertEquals(Status.MISSING, check(checks, "kexec").status());
        assertTrue(checks.stream().noneMatch(c -> c.id().equals("outgoing") || c.id().equals("kho-debugfs")),
                "nothing is said about kho/ while debugfs is not mounted");
    }

    /** kstrtobool took 'e'/'d' (enabled/disabled) from 6.17 on: the doctor judges kho= by the running release. */
    @Test
    void khoEnabledCountsFrom617On() {
        FakeKernelTree.ready(dir, Layout.V6_16).write("proc/cmdline", "kho=enabled\n");
        assertEquals(Status.MISSING, check(examine(Layout.V6_16, 0, true), "kho-cmdline").status());
        FakeKernelTree.ready(dir, Layout.V7_1).write("proc/cmdline", "kho=enabled\n");
        assertEquals(Status.OK, check(examine(Layout.V7_1, 0, true), "kho-cmdline").status());
        FakeKernelTree.ready(dir, Layout.V7_1).write("proc/cmdline", "kho=disabled\n");
        assertEquals("kho=disabled on the command line switches KHO off",
                check(examine(Layout.V7_1, 0, true), "kho-cmdline").summary());
    }

    @Test
    void khoOffOrGarbledIsMissing() {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V7_1).write("proc/cmdline", "kho=off\n");
        assertEquals("kho=off on the command line switches KHO off", check(examine(Layout.V7_1, 0, true), "kho-cmdline").summary());
        t.write("proc/cmdline", "kho=maybe\n");
        assertEquals(Status.MISSING, check(examine(Layout.V7_1, 0, true), "kho-cmdline").status());
    }

    @Test
    void theWrongScratchParameterForTheReleaseIsAWarning() {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V7_4).write("proc/cmdline", "kho=on kho_scratch=64M,1G,512M\n");
        HostCheck renamed = check(examine(Layout.V7_4, 0, true), "scratch-size");
        assertEquals(Status.WARNING, renamed.status());
        assertEquals(Optional.of("use kho_bootmem=64M,1G,512M"), renamed.remedy());
        t.write("proc/cmdline", "kho=on kho_bootmem=64M,1G,512M\n");
        assertEquals(Optional.of("use kho_scratch=64M,1G,512M"), check(examine(Layout.V7_1, 0, true), "scratch-size").remedy());
        assertEquals(Status.INFO, check(examine(Layout.V7_4, 0, true), "scratch-size").status());
    }

    @Test
    void theBuildConfigurationIsReadFromProcConfigGz() throws Exception {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V6_19).write("proc/config.gz",
                gzip("CONFIG_KEXEC_FILE=y\n# CONFIG_KEXEC_HANDOVER is not set\n"));
        HostCheck off = check(examine(Layout.V6_19, 0, true), "kho-config");
        assertEquals(Status.MISSING, off.status());
        assertEquals("the kernel is built without KHO: CONFIG_KEXEC_HANDOVER is not set (/proc/config.gz)", off.summary());
        t.write("proc/config.gz", gzip("CONFIG_KEXEC_HANDOVER=y\n"));
        assertEquals(Status.WARNING, check(examine(Layout.V6_19, 0, true), "kho-config").status(), "no DEBUGFS option on 6.19+");
        t.delete("proc/config.gz").write("boot/config-6.19.1", "CONFIG_KEXEC_HANDOVER=y\nCONFIG_KEXEC_HANDOVER_DEBUGFS=y\n");
        assertEquals("KHO is compiled in: CONFIG_KEXEC_HANDOVER=y (/boot/config-6.19.1)",
                check(examine(Layout.V6_19, 0, true), "kho-config").summary());
    }

    @Test
    void lockdownAndDisabledKexecAreReported() {
        FakeKernelTree.ready(dir, Layout.V7_1).write("sys/kernel/security/lockdown", "none [integrity] confidentiality\n")
                .write("proc/sys/kernel/kexec_load_disabled", "1\n");
        List<HostCheck> checks = examine(Layout.V7_1, 0, true);
        assertTrue(check(checks, "lockdown").summary().startsWith("kernel lockdown is in integrity mode"));
        assertEquals(Status.MISSING, check(checks, "kexec").status());
    }

    @Test
    void anIncomingHandoverIsReported() {
        FakeKernelTree.ready(dir, Layout.V7_1).write("sys/kernel/debug/kho/in/fdt", FakeKernelTree.ROOT_FDT)
                .write("sys/kernel/debug/kho/in/sub_fdts/memblock", FakeKernelTree.MEMBLOCK_BLOB);
        assertEquals("this boot came through a KHO kexec; 1 subsystem blobs came with it [memblock]",
                check(examine(Layout.V7_1, 0, true), "incoming").summary());
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
