package io.kho4j.host.luo;

import io.kho4j.host.KhoNativeException;
import io.kho4j.host.LinuxSyscalls;
import io.kho4j.internal.jna.LiveUpdateAbi;
import java.nio.charset.StandardCharsets;

/**
 * A LUO session: a named set of file descriptors carried across kexec, held open as its own descriptor.
 * Outgoing sessions come from {@link LiveUpdateDevice#createSession}, incoming ones from
 * {@link LiveUpdateDevice#retrieveSession}.
 */
public final class LiveUpdateSession implements AutoCloseable {
    private final LinuxSyscalls syscalls;
    private final int fd;
    private final String name;
    private boolean closed;

    LiveUpdateSession(LinuxSyscalls syscalls, int fd, String name) {
        this.syscalls = syscalls;
        this.fd = fd;
        this.name = name;
    }

    /** @return the session's file descriptor */
    public int fd() {
        return fd;
    }

    /** @return the name this session was created or retrieved with */
    public String name() {
        return name;
    }

    /**
     * {@code LIVEUPDATE_SESSION_PRESERVE_FD}: carry a descriptor across the next kexec.
     *
     * @param fileFd the descriptor (a memfd, for instance)
     * @param token the caller's key to get it back with after the kexec; unique within the session
     * @throws KhoNativeException if the kernel refuses ({@code EOPNOTSUPP} for a file type LUO cannot carry)
     */
    public void preserveFd(int fileFd, long token) throws KhoNativeException {
        LiveUpdateAbi.PreserveFd arg = new LiveUpdateAbi.PreserveFd();
        arg.fd = fileFd;
        arg.token = token;
        syscalls.ioctl(fd, LiveUpdateAbi.SESSION_PRESERVE_FD, LiveUpdateAbi.encode(arg));
    }

    /**
     * {@code LIVEUPDATE_SESSION_RETRIEVE_FD}: a descriptor the previous kernel carried.
     *
     * @param token the token it was preserved with
     * @return a new descriptor for it
     * @throws KhoNativeException if the kernel refuses ({@code ENOENT} for an unknown token)
     */
    public int retrieveFd(long token) throws KhoNativeException {
        LiveUpdateAbi.RetrieveFd arg = new LiveUpdateAbi.RetrieveFd();
        arg.token = token;
        byte[] bytes = LiveUpdateAbi.encode(arg);
        syscalls.ioctl(fd, LiveUpdateAbi.SESSION_RETRIEVE_FD, bytes);
        LiveUpdateAbi.decode(arg, bytes);
        return arg.fd;
    }

    /**
     * {@code LIVEUPDATE_SESSION_FINISH}: tells the kernel an incoming session has been fully restored, so it
     * can release what it kept for it.
     *
     * @throws KhoNativeException if the kernel refuses ({@code EBUSY} while descriptors are still unretrieved)
     */
    public void finish() throws KhoNativeException {
        syscalls.ioctl(fd, LiveUpdateAbi.SESSION_FINISH, LiveUpdateAbi.encode(new LiveUpdateAbi.Finish()));
    }

    /**
     * {@code LIVEUPDATE_SESSION_GET_NAME} (7.2+): asks the kernel for the session's name.
     *
     * @return the name, up to the first NUL
     * @throws KhoNativeException if the kernel refuses ({@code ENOTTY} before 7.2)
     */
    public String queryName() throws KhoNativeException {
        LiveUpdateAbi.GetName arg = new LiveUpdateAbi.GetName();
        byte[] bytes = LiveUpdateAbi.encode(arg);
        syscalls.ioctl(fd, LiveUpdateAbi.SESSION_GET_NAME, bytes);
        LiveUpdateAbi.decode(arg, bytes);
        int n = 0;
        while (n < arg.name.length && arg.name[n] != 0) {
            n++;
        }
        return new String(arg.name, 0, n, StandardCharsets.UTF_8);
    }

    /** @throws KhoNativeException if close(2) fails */
    @Override
    public void close() throws KhoNativeException {
        if (!closed) {
            closed = true;
            syscalls.close(fd);
        }
    }
}
