package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.DryRunSyscalls;
import io.kho4j.host.LinuxSyscalls;
import io.kho4j.testsupport.FakeKernelTree;
import io.kho4j.testsupport.FakeKernelTree.Layout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DoctorCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> calls = new ArrayList<>();

    private int doctor(int euid, String... args) {
        LinuxSyscalls kernel = new DryRunSyscalls(new LinuxSyscalls.Uname("7.1.0", "x86_64"), euid, calls::add);
        CommandLine cl = new CommandLine(new DoctorCommand(() -> kernel));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void aReadyMachinePrintsOneLinePerCheckAndExitsZero() {
        FakeKernelTree.ready(dir, Layout.V7_1);
        assertEquals(0, doctor(0, "--root", dir.toString()));
        String[] lines = out.toString().split("\n");
        assertEquals("kho doctor: can this machine carry a KHO handover?", lines[0]);
        assertTrue(List.of(lines).contains("  ok       privileges    running as root"), out.toString());
        assertTrue(List.of(lines).contains("  ok       kho-cmdline   kho=on is on the command line"), out.toString());
        assertEquals("ready for a handover: yes", lines[lines.length - 1]);
        assertTrue(calls.isEmpty(), "the doctor only reads: " + calls);
    }

    @Test
    void whatIsMissingIsNamedWithWhatToDoAndExitsOne() {
        FakeKernelTree.ready(dir, Layout.V7_1).write("proc/cmdline", "root=/dev/sda1\n").delete("sys/kernel/debug/kho");
        assertEquals(1, doctor(1000, "--root", dir.toString()));
        String text = out.toString();
        assertTrue(text.contains("  MISSING  kho-cmdline   kho=on is not on the command line; KHO is off unless the"
                + " kernel is built with CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT=y (6.19+)\n"
                + "                         -> add kho=on to the kernel command line and reboot\n"), text);
        assertTrue(text.endsWith("ready for a handover: no (missing: privileges, kho-cmdline, kho-debugfs)\n"), text);
    }

    @Test
    void jsonHasEveryCheck() {
        FakeKernelTree.ready(dir, Layout.V7_1);
        assertEquals(0, doctor(0, "--root", dir.toString(), "--json"));
        String json = out.toString().trim();
        assertTrue(json.startsWith("{\"ready\":true,\"kernelRelease\":\"7.1.0\",\"machine\":\"x86_64\","
                + "\"generation\":\"KHO_V3_BLOB_SIZE\",\"checks\":[{\"id\":\"kernel\",\"status\":\"ok\","), json);
        assertTrue(json.contains("{\"id\":\"privileges\",\"status\":\"ok\",\"summary\":\"running as root\","
                + "\"remedy\":null}"), json);
        assertTrue(json.endsWith("]}"), json);
        assertEquals(1, json.lines().count());
    }
}
