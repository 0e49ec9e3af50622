package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.DryRunSyscalls;
import io.kho4j.host.LinuxSyscalls;
import io.kho4j.testsupport.FakeKernelTree;
import io.kho4j.testsupport.FakeKernelTree.Layout;
import io.kho4j.testsupport.ScriptedSyscalls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KexecCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int kexec(LinuxSyscalls kernel, String... args) {
        Supplier<LinuxSyscalls> s = () -> kernel;
        CommandLine cl = new CommandLine(new KexecCommand(s));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void dryRunLoadPrintsTheFinalizeWriteAndEverySyscall() throws Exception {
        FakeKernelTree.ready(dir, Layout.V6_19);
        ScriptedSyscalls kernel = new ScriptedSyscalls("6.19.1", 0);
        assertEquals(0, kexec(kernel, "load", "--root", dir.toString(), "--kernel", "/boot/vmlinuz-7.1",
                "--initrd", "/boot/initrd-7.1", "--cmdline", "root=/dev/vda1 kho=on", "--dry-run"), err.toString());
        assertEquals(String.join("\n",
                "dry run: nothing is changed; these are the calls kho would make:",
                "  write(\"" + dir.resolve("sys/kernel/debug/kho/out/finalize") + "\", \"1\\n\")",
                "  open(\"/boot/vmlinuz-7.1\", O_RDONLY|O_CLOEXEC) = 3",
                "  open(\"/boot/initrd-7.1\", O_RDONLY|O_CLOEXEC) = 4",
                "  kexec_file_load(3, 4, 22, \"root=/dev/vda1 kho=on\\0\", 0)",
                "  close(4)",
                "  close(3)",
                "finalized the outgoing KHO state; loaded /boot/vmlinuz-7.1 (dry run); boot it with: kho kexec reboot"
                        + " --yes-reboot", ""), out.toString());
        assertTrue(kernel.calls().isEmpty(), "a dry run makes no call: " + kernel.calls());
        assertEquals("0\n", Files.readString(dir.resolve("sys/kernel/debug/kho/out/finalize")));
    }

    @Test
    void loadWithoutDryRunMakesTheCalls() {
        FakeKernelTree.ready(dir, Layout.V7_4);
        List<String> made = new ArrayList<>();
        LinuxSyscalls kernel = new DryRunSyscalls(new LinuxSyscalls.Uname("7.4.0", "x86_64"), 0, made::add);
        assertEquals(0, kexec(kernel, "--root", dir.toString(), "load", "--kernel", "/boot/Image"));
        assertEquals(List.of("open(\"/boot/Image\", O_RDONLY|O_CLOEXEC) = 3",
                "kexec_file_load(3, -1, 0, NULL, KEXEC_FILE_NO_INITRAMFS)", "close(3)"), made);
        assertEquals("loaded /boot/Image; boot it with: kho kexec reboot --yes-reboot\n", out.toString());
    }

    @Test
    void rebootIsRefusedWithoutYesRebootEvenInADryRun() {
        FakeKernelTree.ready(dir, Layout.V7_1).write("sys/kernel/kexec_loaded", "1\n");
        ScriptedSyscalls kernel = new ScriptedSyscalls("7.1.0", 0);
        assertEquals(1, kexec(kernel, "reboot", "--root", dir.toString()));
        assertEquals(1, kexec(kernel, "reboot", "--root", dir.toString(), "--dry-run"));
        assertEquals("kho kexec reboot: refusing to reboot without --yes-reboot: a kexec reboot ends every process on"
                + " this machine at once\n", err.toString().lines().findFirst().orElseThrow() + "\n");
        assertTrue(kernel.calls().isEmpty());
        assertEquals("", out.toString());
    }

    @Test
    void dryRunRebootShowsSyncAndTheRebootCall() {
        FakeKernelTree.ready(dir, Layout.V7_1).write("sys/kernel/kexec_loaded", "1\n");
        ScriptedSyscalls kernel = new ScriptedSyscalls("7.1.0", 0);
        assertEquals(0, kexec(kernel, "reboot", "--root", dir.toString(), "--yes-reboot", "--dry-run"));
        assertEquals(String.join("\n",
                "dry run: nothing is changed; these are the calls kho would make:",
                "  sync()",
                "  reboot(LINUX_REBOOT_MAGIC1=0xfee1dead, LINUX_REBOOT_MAGIC2=0x28121969,"
                        + " LINUX_REBOOT_CMD_KEXEC=0x45584543, NULL)",
                "rebooting into the loaded kernel (dry run: not really)", ""), out.toString());
        assertTrue(kernel.calls().isEmpty());
    }

    @Test
    void aRefusedLoadPrintsTheErrnoAndWhatItMeans() {
        FakeKernelTree.ready(dir, Layout.V7_1);
        ScriptedSyscalls kernel = new ScriptedSyscalls("7.1.0", 0).fail("kexec_file_load", 99);
        assertEquals(1, kexec(kernel, "load", "--root", dir.toString(), "--kernel", "/boot/vmlinuz"));
        assertEquals("kho kexec load: kexec_file_load(..) failed: EADDRNOTAVAIL (Cannot assign requested address):"
                + " the image does not fit: with KHO the next kernel is placed only inside the scratch areas; make"
                + " them larger with kho_scratch= (kho_bootmem= from 7.4)\n", err.toString());
    }

    @Test
    void anUnfinalizedStateWithoutAFinalizeFileIsNotGuessed() {
        FakeKernelTree.ready(dir, Layout.V6_16).write("sys/kernel/debug/kho/out/finalize", "1\n");
        ScriptedSyscalls kernel = new ScriptedSyscalls("6.16.2", 0);
        assertEquals(0, kexec(kernel, "load", "--root", dir.toString(), "--kernel", "/boot/vmlinuz"));
        assertEquals(List.of("open", "kexec_file_load", "close"),
                kernel.calls().stream().map(ScriptedSyscalls.Call::name).toList(), "already finalized: no write");
    }

    @Test
    void loadNeedsAKernel() {
        assertEquals(2, kexec(new ScriptedSyscalls("7.1.0", 0), "load", "--root", dir.toString()));
        assertTrue(err.toString().startsWith("Missing required option: '--kernel=FILE'"), err.toString());
    }
}
