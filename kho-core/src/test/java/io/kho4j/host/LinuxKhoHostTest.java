package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.KhoHost.FinalizeResult;
import io.kho4j.preserve.PhysRange;
import io.kho4j.testsupport.FakeKernelTree;
import io.kho4j.testsupport.FakeKernelTree.Layout;
import io.kho4j.testsupport.ScriptedSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LinuxKhoHostTest {
    private static final List<PhysRange> SCRATCH = List.of(new PhysRange(0x1000000L, 0x1000000L),
            new PhysRange(0x240000000L, 0x20000000L), new PhysRange(0x440000000L, 0x10000000L));
    private static final KexecImage IMAGE = new KexecImage(Paths.get("/boot/vmlinuz-next"),
            Optional.of(Paths.get("/boot/initrd-next")), Optional.of("root=/dev/vda1 kho=on"));

    @TempDir
    Path dir;

    private LinuxKhoHost host(Layout layout, LinuxSyscalls calls) {
        return LinuxKhoHost.builder().root(dir).syscalls(calls)
                .kernelFacts(release -> Optional.of(layout.facts())).build();
    }

    private static ScriptedSyscalls rootCalls(Layout layout) {
        return new ScriptedSyscalls(layout.release, 0);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void readsTheOutgoingStateOfEveryGenerationsLayout(Layout layout) throws Exception {
        FakeKernelTree.ready(dir, layout).finalizedState();
        KhoState out = host(layout, rootCalls(layout)).outgoing();
        assertArrayEquals(FakeKernelTree.ROOT_FDT, out.rootFdt().orElseThrow());
        assertEquals(List.of("memblock"), List.copyOf(out.subBlobNames()));
        assertArrayEquals(FakeKernelTree.MEMBLOCK_BLOB, out.subBlob("memblock").orElseThrow());
        assertEquals(SCRATCH, out.scratch());
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"V6_16", "V6_19"})
    void beforeFinalizeTheRootFdtIsAbsent(Layout layout) throws Exception {
        FakeKernelTree.ready(dir, layout);
        KhoState out = host(layout, rootCalls(layout)).outgoing();
        assertTrue(out.rootFdt().isEmpty());
        assertTrue(out.subBlobNames().isEmpty());
        assertEquals(SCRATCH, out.scratch());
    }

    @Test
    void withoutFactsTheBootmemFilesAreTriedFirst() throws Exception {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V7_4);
        t.write("sys/kernel/debug/kho/out/scratch_phys", "0x5000000\n").write("sys/kernel/debug/kho/out/scratch_len", "0x1000\n");
        LinuxKhoHost h = LinuxKhoHost.builder().root(dir).syscalls(rootCalls(Layout.V7_4))
                .kernelFacts(release -> Optional.empty()).build();
        assertTrue(h.kernelFacts().isEmpty());
        assertEquals(SCRATCH, h.outgoing().scratch());
    }

    @Test
    void incomingStateIsReadAfterAKhoBootAndAbsentOtherwise() throws Exception {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V7_1);
        LinuxKhoHost h = host(Layout.V7_1, rootCalls(Layout.V7_1));
        assertTrue(h.incoming().isEmpty());
        assertFalse(h.capabilities().contains(KhoCapability.INCOMING_STATE));
        t.write("sys/kernel/debug/kho/in/fdt", FakeKernelTree.ROOT_FDT)
                .write("sys/kernel/debug/kho/in/sub_fdts/LUO", new byte[] {1, 2, 3, 4});
        KhoState in = h.incoming().orElseThrow();
        assertArrayEquals(FakeKernelTree.ROOT_FDT, in.rootFdt().orElseThrow());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, in.subBlob("LUO").orElseThrow());
        assertTrue(in.scratch().isEmpty());
        assertTrue(h.capabilities().contains(KhoCapability.INCOMING_STATE));
    }

    @Test
    void capabilitiesFollowTheFiles() {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V6_19);
        assertEquals(EnumSet.of(KhoCapability.KHO_ENABLED, KhoCapability.OUTGOING_STATE_READABLE,
                KhoCapability.FINALIZE_REQUIRED, KhoCapability.KEXEC, KhoCapability.LIVE_UPDATE,
                KhoCapability.PRIVILEGED), host(Layout.V6_19, rootCalls(Layout.V6_19)).capabilities());
        t.write("proc/sys/kernel/kexec_load_disabled", "1\n").delete("dev/liveupdate");
        assertEquals(EnumSet.of(KhoCapability.KHO_ENABLED, KhoCapability.OUTGOING_STATE_READABLE,
                KhoCapability.FINALIZE_REQUIRED), host(Layout.V6_19, new ScriptedSyscalls("6.19.1", 1000)).capabilities());
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void finalizeWritesOneWhereTheGenerationHasIt(Layout layout) throws Exception {
        FakeKernelTree.ready(dir, layout);
        ScriptedSyscalls calls = rootCalls(layout);
        LinuxKhoHost h = host(layout, calls);
        if (!layout.finalize) {
            assertEquals(FinalizeResult.NOT_NEEDED, h.finalizeOutgoing());
            assertTrue(calls.calls().isEmpty());
            return;
        }
        assertEquals(FinalizeResult.FINALIZED, h.finalizeOutgoing());
        assertEquals(1, calls.calls().size());
        ScriptedSyscalls.Call write = calls.calls().get(0);
        assertEquals("write", write.name());
        assertEquals(dir.resolve("sys/kernel/debug/kho/out/finalize"), write.args().get(0));
        assertArrayEquals("1\n".getBytes(StandardCharsets.US_ASCII), write.bytes());
        assertEquals(FinalizeResult.ALREADY_FINALIZED, h.finalizeOutgoing());
        assertEquals(1, calls.calls().size(), "a second finalize writes nothing (the kernel would say EEXIST)");
    }

    @Test
    void finalizeRefusesWhenTheFactsExpectTheFileButItIsMissing() {
        FakeKernelTree.ready(dir, Layout.V7_1);
        LinuxKhoHost h = host(Layout.V6_19, rootCalls(Layout.V6_19));
        KhoUnavailableException e = assertThrows(KhoUnavailableException.class, h::finalizeOutgoing);
        assertEquals("/sys/kernel/debug/kho/out/finalize is missing, but TEST_V6_19 kernels finalize through it:"
                + " is this kernel's debugfs complete?", e.getMessage());
    }

    @Test
    void loadPassesFdsCommandLineWithItsNulAndFlags() throws Exception {
        FakeKernelTree.ready(dir, Layout.V7_1);
        ScriptedSyscalls calls = rootCalls(Layout.V7_1);
        host(Layout.V7_1, calls).loadKernel(IMAGE);
        List<ScriptedSyscalls.Call> c = calls.calls();
        assertEquals(List.of("open", "open", "kexec_file_load", "close", "close"),
                c.stream().map(ScriptedSyscalls.Call::name).toList());
        assertEquals(List.of("/boot/vmlinuz-next", 0x80000), c.get(0).args(), "O_RDONLY|O_CLOEXEC");
        assertEquals(List.of("/boot/initrd-next", 0x80000), c.get(1).args());
        byte[] cmdline = "root=/dev/vda1 kho=on\0".getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of(10, 11, cmdline.length, 0L), c.get(2).args());
        assertArrayEquals(cmdline, c.get(2).bytes());
        assertEquals(List.of(11), c.get(3).args());
        assertEquals(List.of(10), c.get(4).args());
    }

    @Test
    void loadWithoutInitrdOrCommandLineSaysNoInitramfs() throws Exception {
        FakeKernelTree.ready(dir, Layout.V7_4);
        ScriptedSyscalls calls = rootCalls(Layout.V7_4);
        host(Layout.V7_4, calls).loadKernel(KexecImage.of(Paths.get("/boot/Image")));
        ScriptedSyscalls.Call load = calls.calls().get(1);
        assertEquals("kexec_file_load", load.name());
        assertEquals(List.of(10, -1, 0, 4L), load.args(), "initrd fd -1, cmdline_len 0, KEXEC_FILE_NO_INITRAMFS");
        assertEquals(null, load.bytes());
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"V6_16", "V6_19"})
    void loadRefusesAnUnfinalizedStateAndTouchesNothing(Layout layout) {
        FakeKernelTree.ready(dir, layout);
        ScriptedSyscalls calls = rootCalls(layout);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> host(layout, calls).loadKernel(IMAGE));
        assertEquals("the outgoing KHO state is not finalized (/sys/kernel/debug/kho/out/finalize is 0): finalize it"
                + " first, or the next kernel gets no handover", e.getMessage());
        assertTrue(calls.calls().isEmpty());
    }

    @Test
    void aFailedLoadStillClosesBothFilesAndReportsTheErrno() {
        FakeKernelTree.ready(dir, Layout.V7_1);
        ScriptedSyscalls calls = rootCalls(Layout.V7_1).fail("kexec_file_load", 1);
        KhoNativeException e = assertThrows(KhoNativeException.class, () -> host(Layout.V7_1, calls).loadKernel(IMAGE));
        assertEquals("kexec_file_load(..) failed: EPERM (Operation not permitted)", e.getMessage());
        assertEquals(List.of("open", "open", "kexec_file_load", "close", "close"),
                calls.calls().stream().map(ScriptedSyscalls.Call::name).toList());
    }

    @Test
    void loadNeedsKexecAndKho() {
        FakeKernelTree t = FakeKernelTree.ready(dir, Layout.V7_1);
        t.write("proc/sys/kernel/kexec_load_disabled", "1\n");
        ScriptedSyscalls calls = rootCalls(Layout.V7_1);
        assertEquals("kexec is disabled until the next reboot (/proc/sys/kernel/kexec_load_disabled is 1)",
                assertThrows(KhoUnavailableException.class, () -> host(Layout.V7_1, calls).loadKernel(IMAGE)).getMessage());
        t.delete("sys/kernel/debug/kho");
        assertTrue(assertThrows(KhoUnavailableException.class, () -> host(Layout.V7_1, calls).loadKernel(IMAGE))
                .getMessage().startsWith("/sys/kernel/debug/kho does not exist: the kernel has no KHO or it is off"));
        t.delete("sys/kernel/debug");
        assertEquals("/sys/kernel/debug does not exist: mount debugfs (mount -t debugfs none /sys/kernel/debug)",
                assertThrows(KhoUnavailableException.class, () -> host(Layout.V7_1, calls).outgoing()).getMessage());
        assertTrue(calls.calls().isEmpty());
    }

    @Test
    void rebootRefusesWithoutConfirmationAndTouchesNothing() {
        FakeKernelTree.ready(dir, Layout.V7_1).write("sys/kernel/kexec_loaded", "1\n");
        ScriptedSyscalls calls = rootCalls(Layout.V7_1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> host(Layout.V7_1, calls).rebootIntoLoadedKernel(false));
        assertTrue(e.getMessage().startsWith("refusing to reboot without explicit confirmation (--yes-reboot)"));
        assertTrue(calls.calls().isEmpty());
    }

    @Test
    void rebootRefusesWhenNothingIsLoaded() {
        FakeKernelTree.ready(dir, Layout.V7_1);
        ScriptedSyscalls calls = rootCalls(Layout.V7_1);
        assertEquals("no kernel is loaded (/sys/kernel/kexec_loaded is 0): load one first",
                assertThrows(IllegalStateException.class, () -> host(Layout.V7_1, calls).rebootIntoLoadedKernel(true))
                        .getMessage());
        assertTrue(calls.calls().isEmpty());
    }

    @Test
    void rebootSyncsThenCallsRebootWithBothMagicsAndTheKexecCommand() throws Exception {
        FakeKernelTree.ready(dir, Layout.V7_1).write("sys/kernel/kexec_loaded", "1\n");
        ScriptedSyscalls calls = rootCalls(Layout.V7_1);
        host(Layout.V7_1, calls).rebootIntoLoadedKernel(true);
        assertEquals("sync", calls.calls().get(0).name());
        ScriptedSyscalls.Call reboot = calls.calls().get(1);
        assertEquals("reboot", reboot.name());
        // include/uapi/linux/reboot.h: LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2 (0x28121969), LINUX_REBOOT_CMD_KEXEC
        assertEquals(List.of(0xfee1dead, 0x28121969, 0x45584543), reboot.args());
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"V6_16", "V7_4"})
    void dryRunListsEveryStepOfAHandoverAndChangesNothing(Layout layout) throws Exception {
        FakeKernelTree.ready(dir, layout);
        List<String> lines = new ArrayList<>();
        LinuxKhoHost h = LinuxKhoHost.builder().root(dir).syscalls(rootCalls(layout))
                .kernelFacts(r -> Optional.of(layout.facts())).dryRun(lines::add).build();
        h.finalizeOutgoing();
        h.loadKernel(IMAGE);
        h.rebootIntoLoadedKernel(true);
        List<String> expected = new ArrayList<>();
        if (layout.finalize) {
            expected.add("write(\"" + dir.resolve("sys/kernel/debug/kho/out/finalize") + "\", \"1\\n\")");
        }
        expected.addAll(List.of(
                "open(\"/boot/vmlinuz-next\", O_RDONLY|O_CLOEXEC) = 3",
                "open(\"/boot/initrd-next\", O_RDONLY|O_CLOEXEC) = 4",
                "kexec_file_load(3, 4, 22, \"root=/dev/vda1 kho=on\\0\", 0)",
                "close(4)",
                "close(3)",
                "sync()",
                "reboot(LINUX_REBOOT_MAGIC1=0xfee1dead, LINUX_REBOOT_MAGIC2=0x28121969,"
                        + " LINUX_REBOOT_CMD_KEXEC=0x45584543, NULL)"));
        assertEquals(expected, lines);
        if (layout.finalize) {
            assertEquals("0\n", Files.readString(dir.resolve("sys/kernel/debug/kho/out/finalize")));
        }
        assertEquals("0\n", Files.readString(dir.resolve("sys/kernel/kexec_loaded")));
    }

    @Test
    void commandLineIsReadFromProc() throws Exception {
        FakeKernelTree.ready(dir, Layout.V7_4);
        KernelCommandLine cl = host(Layout.V7_4, rootCalls(Layout.V7_4)).commandLine();
        assertEquals(Optional.of(true), cl.kho(Kstrtobool.V6_17));
        assertEquals(Optional.of("16M,512M,256M"), cl.value("kho_bootmem"));
    }
}
