package io.kho4j.host;

import io.kho4j.internal.jna.LinuxUapi;
import io.kho4j.internal.jna.LiveUpdateAbi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link LinuxSyscalls} that changes nothing: every call that would open, write, load, ioctl or reboot is
 * printed as one strace-like line instead, and succeeds. {@code open} hands out made-up descriptors counting
 * from 3, and an ioctl leaves its argument as it was. The two queries ({@code uname}, {@code geteuid}) come
 * from the values given at construction, usually copied from the real kernel.
 *
 * <p>This is the {@code --dry-run} of every real-host action, and also the recording fake tests use: the
 * lines show every argument, struct arguments as hex bytes.
 */
public final class DryRunSyscalls implements LinuxSyscalls {
    private static final HexFormat HEX = HexFormat.of();

    private final Uname uname;
    private final int euid;
    private final Consumer<String> out;
    private int nextFd = 3;

    /**
     * @param uname what {@link #uname()} answers
     * @param euid what {@link #geteuid()} answers
     * @param out receives one line per call, without a line terminator
     */
    public DryRunSyscalls(Uname uname, int euid, Consumer<String> out) {
        this.uname = Objects.requireNonNull(uname, "uname");
        this.euid = euid;
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * @param real the kernel to take {@code uname} and {@code geteuid} from (queries only; nothing else is called)
     * @param out receives one line per call
     * @return a dry run that answers queries like {@code real}
     */
    public static DryRunSyscalls over(LinuxSyscalls real, Consumer<String> out) {
        return new DryRunSyscalls(real.uname(), real.geteuid(), out);
    }

    @Override
    public Uname uname() {
        return uname;
    }

    @Override
    public int geteuid() {
        return euid;
    }

    @Override
    public int open(String path, int flags) {
        int fd = nextFd++;
        out.accept("open(" + quote(path) + ", " + LinuxUapi.openFlags(flags) + ") = " + fd);
        return fd;
    }

    @Override
    public void close(int fd) {
        out.accept("close(" + fd + ")");
    }

    @Override
    public void ioctl(int fd, int request, byte[] argument) {
        out.accept("ioctl(" + fd + ", " + LiveUpdateAbi.requestName(request) + ", {" + argument.length + " bytes: "
                + HEX.formatHex(argument) + "})");
    }

    @Override
    public void kexecFileLoad(int kernelFd, int initrdFd, byte[] cmdline, long flags) {
        String text = cmdline == null ? "NULL" : quote(new String(cmdline, StandardCharsets.UTF_8));
        out.accept("kexec_file_load(" + kernelFd + ", " + initrdFd + ", " + (cmdline == null ? 0 : cmdline.length)
                + ", " + text + ", " + LinuxUapi.kexecFileFlags(flags) + ")");
    }

    @Override
    public void sync() {
        out.accept("sync()");
    }

    @Override
    public void reboot(int magic1, int magic2, int command) {
        out.accept("reboot(" + rebootArg(magic1, LinuxUapi.LINUX_REBOOT_MAGIC1, "LINUX_REBOOT_MAGIC1") + ", "
                + rebootArg(magic2, LinuxUapi.LINUX_REBOOT_MAGIC2, "LINUX_REBOOT_MAGIC2") + ", "
                + rebootArg(command, LinuxUapi.LINUX_REBOOT_CMD_KEXEC, "LINUX_REBOOT_CMD_KEXEC") + ", NULL)");
    }

    @Override
    public void writeFile(Path path, byte[] data) {
        out.accept("write(" + quote(path.toString()) + ", "
                + quote(new String(data, StandardCharsets.UTF_8)) + ")");
    }

    private static String rebootArg(int value, int known, String name) {
        return value == known ? String.format("%s=0x%x", name, value) : String.format("0x%x", value);
    }

    /** C-style quoting, so NULs and newlines in arguments are visible. */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\0': sb.append("\\0"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
