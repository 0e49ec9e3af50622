package io.kho4j.host;

import java.io.IOException;
import java.util.Optional;

/**
 * A system call made for a handover failed: the kernel refused it and set {@code errno}. The message names the
 * call, its arguments where they help, the errno's symbol and its text, for example
 * {@code kexec_file_load(..) failed: EPERM (Operation not permitted)}.
 */
public final class KhoNativeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String syscall;
    private final int errno;

    /**
     * @param syscall the call's C name ({@code kexec_file_load}, {@code ioctl}, {@code open})
     * @param arguments a short rendering of the arguments for the message, {@code ..} to leave them out
     * @param errno the errno the kernel returned
     */
    public KhoNativeException(String syscall, String arguments, int errno) {
        super(syscall + "(" + arguments + ") failed: " + Errno.name(errno) + " (" + Errno.description(errno) + ")");
        this.syscall = syscall;
        this.errno = errno;
    }

    /** @return the call's C name */
    public String syscall() {
        return syscall;
    }

    /** @return the errno value */
    public int errno() {
        return errno;
    }

    /**
     * @return what an errno usually means for this call in a handover, when kho4j knows; for a person to read
     */
    public Optional<String> hint() {
        if (!syscall.equals("kexec_file_load")) {
            return errno == Errno.ENOTTY.code && syscall.equals("ioctl")
                    ? Optional.of("the device does not know this request (LIVEUPDATE_SESSION_GET_NAME needs 7.2+)")
                    : Optional.empty();
        }
        if (errno == Errno.EPERM.code) {
            return Optional.of("loading a kernel needs root (CAP_SYS_BOOT), and is refused while"
                    + " kernel.kexec_load_disabled is 1");
        }
        if (errno == Errno.EKEYREJECTED.code) {
            return Optional.of("the image is not signed with a key the kernel trusts (lockdown or KEXEC_SIG_FORCE)");
        }
        if (errno == Errno.ENOEXEC.code) {
            return Optional.of("not an image kexec_file_load understands here (bzImage on x86-64, Image on arm64)");
        }
        if (errno == Errno.EADDRNOTAVAIL.code) {
            // kho_locate_mem_hole: with KHO on, segments go only into scratch and fail with -EADDRNOTAVAIL (§3).
            return Optional.of("the image does not fit: with KHO the next kernel is placed only inside the scratch"
                    + " areas; make them larger with kho_scratch= (kho_bootmem= from 7.4)");
        }
        if (errno == Errno.EBUSY.code) {
            return Optional.of("another kexec load or reboot is in progress");
        }
        return Optional.empty();
    }

    /** @return the errno's symbolic name ({@code EPERM}), or {@code errno N} for values kho4j does not know */
    public String errnoName() {
        return Errno.name(errno);
    }
}
