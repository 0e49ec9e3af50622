package io.kho4j.internal.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.kho4j.host.KhoNativeException;
import io.kho4j.host.KhoUnavailableException;
import io.kho4j.host.LinuxSyscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link LinuxSyscalls} through glibc and JNA. This is the edge: {@link LastErrorException} becomes
 * {@link KhoNativeException}, and a libc that cannot be linked becomes {@link KhoUnavailableException}.
 */
public final class NativeLinuxSyscalls implements LinuxSyscalls {
    private static volatile NativeLinuxSyscalls instance;

    private final LibC libc;
    private final SyscallNumbers numbers;

    private NativeLinuxSyscalls(LibC libc, SyscallNumbers numbers) {
        this.libc = libc;
        this.numbers = numbers;
    }

    /**
     * @return the process-wide instance
     * @throws KhoUnavailableException if libc cannot be loaded through JNA
     */
    public static synchronized NativeLinuxSyscalls load() {
        if (instance == null) {
            LibC libc;
            try {
                libc = Native.load("c", LibC.class);
            } catch (LinkageError e) {
                throw new KhoUnavailableException("libc cannot be loaded through JNA (" + e.getMessage()
                        + "): the real-kernel host needs Linux on x86-64 or arm64", e);
            }
            instance = new NativeLinuxSyscalls(libc, SyscallNumbers.forArch(Platform.ARCH).orElse(null));
        }
        return instance;
    }

    @Override
    public Uname uname() {
        LibC.Utsname u = new LibC.Utsname();
        try {
            libc.uname(u);
        } catch (LastErrorException e) {
            throw new KhoUnavailableException("uname(2) failed with errno " + e.getErrorCode(), e);
        }
        return new Uname(cString(u.release), cString(u.machine));
    }

    @Override
    public int geteuid() {
        return libc.geteuid();
    }

    @Override
    public int open(String path, int flags) throws KhoNativeException {
        try {
            return libc.open(path, flags);
        } catch (LastErrorException e) {
            throw new KhoNativeException("open", "\"" + path + "\", " + LinuxUapi.openFlags(flags), e.getErrorCode());
        }
    }

    @Override
    public void close(int fd) throws KhoNativeException {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            throw new KhoNativeException("close", Integer.toString(fd), e.getErrorCode());
        }
    }

    @Override
    public void ioctl(int fd, int request, byte[] argument) throws KhoNativeException {
        try (Memory arg = new Memory(Math.max(1, argument.length))) {
            arg.write(0, argument, 0, argument.length);
            try {
                libc.ioctl(fd, Integer.toUnsignedLong(request), arg);
            } catch (LastErrorException e) {
                throw new KhoNativeException("ioctl", fd + ", " + LiveUpdateAbi.requestName(request) + ", ..",
                        e.getErrorCode());
            }
            arg.read(0, argument, 0, argument.length);
        }
    }

    @Override
    public void kexecFileLoad(int kernelFd, int initrdFd, byte[] cmdline, long flags) throws KhoNativeException {
        long number = requireNumbers("kexec_file_load").kexecFileLoad();
        Memory text = cmdline == null || cmdline.length == 0 ? null : new Memory(cmdline.length);
        try {
            if (text != null) {
                text.write(0, cmdline, 0, cmdline.length);
            }
            libc.syscall(number, (long) kernelFd, (long) initrdFd, (long) (text == null ? 0 : cmdline.length),
                    text == null ? Pointer.NULL : text, flags);
        } catch (LastErrorException e) {
            throw new KhoNativeException("kexec_file_load", "..", e.getErrorCode());
        } finally {
            if (text != null) {
                text.close();
            }
        }
    }

    @Override
    public void sync() {
        libc.sync();
    }

    @Override
    public void reboot(int magic1, int magic2, int command) throws KhoNativeException {
        long number = requireNumbers("reboot").reboot();
        try {
            libc.syscall(number, Integer.toUnsignedLong(magic1), Integer.toUnsignedLong(magic2),
                    Integer.toUnsignedLong(command), Pointer.NULL);
        } catch (LastErrorException e) {
            throw new KhoNativeException("reboot", String.format("0x%x, 0x%x, 0x%x, NULL", magic1, magic2, command),
                    e.getErrorCode());
        }
    }

    @Override
    public void writeFile(Path path, byte[] data) throws IOException {
        // One write(2) of the whole value: debugfs and sysfs attributes parse each write on its own.
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.WRITE)) {
            out.write(data);
        }
    }

    private SyscallNumbers requireNumbers(String syscall) {
        if (numbers == null) {
            throw new KhoUnavailableException(syscall + " has no known syscall number on " + Platform.ARCH
                    + ": KHO is wired on x86-64 and arm64 only", null);
        }
        return numbers;
    }

    private static String cString(byte[] field) {
        int n = 0;
        while (n < field.length && field[n] != 0) {
            n++;
        }
        return new String(field, 0, n, StandardCharsets.UTF_8);
    }
}
