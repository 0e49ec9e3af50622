package io.kho4j.host;

import io.kho4j.internal.jna.NativeLinuxSyscalls;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Every call a {@link LinuxKhoHost} or {@link io.kho4j.host.luo.LiveUpdateDevice} makes that changes something
 * in the running kernel, plus the two queries it needs from it. This is the only seam between kho4j and the
 * kernel: {@link #nativeLibc()} makes the real calls through JNA; {@link DryRunSyscalls} prints them instead.
 * Arguments mirror the C calls, so an implementation sees exactly the bytes the kernel would get.
 *
 * <p>Reading files (debugfs, sysfs, procfs) is not in here: hosts read them from their root directory
 * directly, which is what lets tests point a host at a fake tree.
 */
public interface LinuxSyscalls {

    /**
     * The two {@code uname(2)} fields kho4j uses.
     *
     * @param release the kernel release, {@code 6.18.3-arch1} for example
     * @param machine the hardware name, {@code x86_64} or {@code aarch64}
     */
    record Uname(String release, String machine) {
    }

    /** @return uname(2) of the running kernel @throws KhoUnavailableException if it cannot be called */
    Uname uname();

    /** @return geteuid(2) */
    int geteuid();

    /**
     * @param path absolute path
     * @param flags open(2) flags ({@code O_RDONLY|O_CLOEXEC} and the like; never {@code O_CREAT})
     * @return the new file descriptor
     * @throws KhoNativeException with the errno if the kernel refuses
     */
    int open(String path, int flags) throws KhoNativeException;

    /** @param fd a descriptor from {@link #open} or an ioctl @throws KhoNativeException with the errno */
    void close(int fd) throws KhoNativeException;

    /**
     * ioctl(2) with a pointer argument.
     *
     * @param fd the descriptor
     * @param request the ioctl number
     * @param argument the argument struct's bytes; the kernel's output is copied back into it
     * @throws KhoNativeException with the errno if the kernel refuses
     */
    void ioctl(int fd, int request, byte[] argument) throws KhoNativeException;

    /**
     * kexec_file_load(2).
     *
     * @param kernelFd descriptor of the kernel image
     * @param initrdFd descriptor of the initrd, or -1 with {@code KEXEC_FILE_NO_INITRAMFS}
     * @param cmdline the command line including its terminating NUL (the kernel rejects one without), or null
     *     for none; {@code cmdline_len} is its length
     * @param flags {@code KEXEC_FILE_*} flags
     * @throws KhoNativeException with the errno if the kernel refuses
     */
    void kexecFileLoad(int kernelFd, int initrdFd, byte[] cmdline, long flags) throws KhoNativeException;

    /** sync(2): flush file systems, since a kexec reboot does not (include/uapi/linux/kexec.h). */
    void sync();

    /**
     * reboot(2) as the raw system call, magic numbers included. With {@code LINUX_REBOOT_CMD_KEXEC} it does not
     * return on success.
     *
     * @param magic1 {@code LINUX_REBOOT_MAGIC1}
     * @param magic2 {@code LINUX_REBOOT_MAGIC2}
     * @param command {@code LINUX_REBOOT_CMD_*}
     * @throws KhoNativeException with the errno if the kernel refuses
     */
    void reboot(int magic1, int magic2, int command) throws KhoNativeException;

    /**
     * Writes a debugfs or sysfs attribute in one write(2), as {@code echo} does.
     *
     * @param path the attribute
     * @param data the bytes
     * @throws IOException if the kernel refuses the write
     */
    void writeFile(Path path, byte[] data) throws IOException;

    /**
     * @return the real system calls, made through JNA
     * @throws KhoUnavailableException if libc cannot be loaded (not Linux, or JNA's native part is missing)
     */
    static LinuxSyscalls nativeLibc() {
        return NativeLinuxSyscalls.load();
    }
}
