package io.kho4j.testsupport;

import io.kho4j.host.KhoKernelFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake {@code /} with the procfs, sysfs and debugfs files a {@link io.kho4j.host.LinuxKhoHost} reads, laid out as each
 * kernel generation lays them out (kho-abi.md §4, §9.4). Tests in other modules use it through kho-core's
 * test jar.
 */
public final class FakeKernelTree {

    /** The debugfs layouts that differ (kho-abi.md §4, §9.4, §9.10). */
    public enum Layout {
        /** 6.16 – 6.18: out/finalize; out/fdt and sub_fdts only after finalize; scratch_* files. */
        V6_16("6.16.2", true, false),
        /** 6.19 – 7.0: as 6.16, and /dev/liveupdate. */
        V6_19("6.19.1", true, false),
        /** 7.1 – 7.3: no finalize; out/fdt always; scratch_* files. */
        V7_1("7.1.0", false, false),
        /** 7.4: no finalize; bootmem_* files. */
        V7_4("7.4.0-rc1", false, true);

        public final String release;
        public final boolean finalize;
        public final boolean bootmem;

        Layout(String release, boolean finalize, boolean bootmem) {
            this.release = release;
            this.finalize = finalize;
            this.bootmem = bootmem;
        }

        /** @return the facts a release-to-generation mapping would give for this layout */
        public KhoKernelFacts facts() {
            return new KhoKernelFacts("TEST_" + name(), finalize, bootmem, this != V6_16);
        }
    }

    /** Root FDT bytes the fake kernel shows; the host hands them over unparsed. */
    public static final byte[] ROOT_FDT = {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0, 0, 0, 0x48, 1, 2, 3};
    /** The {@code memblock} sub-blob the fake kernel shows. */
    public static final byte[] MEMBLOCK_BLOB = {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 9, 9};
    /** Three areas: low memory, global, one node. */
    public static final String SCRATCH_PHYS = "0x1000000\n0x240000000\n0x440000000\n";
    public static final String SCRATCH_LEN = "0x1000000\n0x20000000\n0x10000000\n";

    private final Path root;

    private FakeKernelTree(Path root) {
        this.root = root;
    }

    /**
     * A machine ready for a handover: root, KHO on, debugfs mounted, kexec available, nothing loaded; for
     * finalize layouts the state is not finalized yet (no out/fdt).
     *
     * @param root an empty directory
     * @param layout which generation's files
     * @return the tree
     */
    public static FakeKernelTree ready(Path root, Layout layout) {
        FakeKernelTree t = new FakeKernelTree(root);
        String param = layout.bootmem ? "kho_bootmem" : "kho_scratch";
        t.write("proc/cmdline", "BOOT_IMAGE=/vmlinuz-" + layout.release + " root=/dev/vda1 ro kho=on " + param
                + "=16M,512M,256M\n");
        t.write("proc/mounts", "proc /proc proc rw 0 0\ndebugfs /sys/kernel/debug debugfs rw,relatime 0 0\n");
        t.write("sys/kernel/kexec_loaded", "0\n");
        t.write("proc/sys/kernel/kexec_load_disabled", "0\n");
        String prefix = layout.bootmem ? "bootmem" : "scratch";
        t.write("sys/kernel/debug/kho/out/" + prefix + "_phys", SCRATCH_PHYS);
        t.write("sys/kernel/debug/kho/out/" + prefix + "_len", SCRATCH_LEN);
        t.mkdir("sys/kernel/debug/kho/out/sub_fdts");
        t.mkdir("sys/kernel/debug/kho/in");
        if (layout.finalize) {
            t.write("sys/kernel/debug/kho/out/finalize", "0\n");
        } else {
            t.finalizedState();
        }
        if (layout != Layout.V6_16) {
            t.write("dev/liveupdate", "");
        }
        return t;
    }

    /** @return the root directory */
    public Path root() {
        return root;
    }

    /** Puts what a kernel shows after finalize (or always, from 7.1): out/fdt and the memblock sub-blob. */
    public FakeKernelTree finalizedState() {
        write("sys/kernel/debug/kho/out/fdt", ROOT_FDT);
        write("sys/kernel/debug/kho/out/sub_fdts/memblock", MEMBLOCK_BLOB);
        return this;
    }

    /** @param rel path under the root @param text contents @return this */
    public FakeKernelTree write(String rel, String text) {
        return write(rel, text.getBytes(StandardCharsets.UTF_8));
    }

    /** @param rel path under the root @param bytes contents @return this */
    public FakeKernelTree write(String rel, byte[] bytes) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param rel directory under the root @return this */
    public FakeKernelTree mkdir(String rel) {
        try {
            Files.createDirectories(root.resolve(rel));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param rel path under the root, removed with everything below it @return this */
    public FakeKernelTree delete(String rel) {
        try (var walk = Files.walk(root.resolve(rel))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
