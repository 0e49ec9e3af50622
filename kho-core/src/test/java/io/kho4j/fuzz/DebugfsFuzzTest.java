package io.kho4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kho4j.host.HostFileFormatException;
import io.kho4j.host.KhoState;
import io.kho4j.host.Kstrtobool;
import io.kho4j.host.LinuxKhoHost;
import io.kho4j.testsupport.FakeKernelTree;
import io.kho4j.testsupport.ScriptedSyscalls;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LinuxKhoHost} reading hostile kernel files: the scratch (7.1) or bootmem (7.4) {@code _phys} and
 * {@code _len} files and {@code /proc/cmdline}, in a fake root. Input: a selector (bit 0: the 7.4 bootmem
 * layout), the {@code _phys} text's length (u16) and text, then the {@code _len} text, which also serves as the
 * command line. Contract: only {@link HostFileFormatException}; every area returned is non-empty and ends
 * below 2^63; reads are bounded by the host's per-file limits.
 */
class DebugfsFuzzTest {
    @TempDir
    Path root;

    @FuzzTest(maxDuration = "3m")
    void scratchFilesAndCommandLine(byte[] data) throws IOException {
        FuzzInput in = new FuzzInput(data);
        FakeKernelTree.Layout layout = (in.u8() & 1) != 0 ? FakeKernelTree.Layout.V7_4 : FakeKernelTree.Layout.V7_1;
        byte[] phys = in.bytes(in.u16());
        byte[] len = in.rest();
        String prefix = "sys/kernel/debug/kho/out/" + (layout.bootmem ? "bootmem" : "scratch");
        FakeKernelTree.ready(root, layout).write(prefix + "_phys", phys).write(prefix + "_len", len)
                .write("proc/cmdline", len);
        LinuxKhoHost host = LinuxKhoHost.builder().root(root).syscalls(new ScriptedSyscalls(layout.release, 0)).build();
        // Both scratch files are read whole (each at most 4096 areas of 19 bytes), then split into lines.
        FuzzBudget.check("LinuxKhoHost.outgoing", (2 << 20) + 64L * data.length, () -> {
            try {
                KhoState state = host.outgoing();
                state.scratch().forEach(area -> {
                    if (area.size() <= 0 || area.start() < 0 || area.start() > Long.MAX_VALUE - area.size()) {
                        throw new AssertionError("an impossible scratch area was accepted: " + area);
                    }
                });
                host.commandLine().kho(Kstrtobool.V6_17);
            } catch (HostFileFormatException e) {
                // the allowed failure
            } catch (IOException e) {
                throw new AssertionError("a file that exists failed to read", e);
            }
        });
    }
}
