package io.kho4j.host;

import java.io.IOException;

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

    /** @return the errno's symbolic name ({@code EPERM}), or {@code errno N} for values kho4j does not know */
    public String errnoName() {
        return Errno.name(errno);
    }
}
