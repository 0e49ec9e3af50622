package io.kho4j.host.luo;

import io.kho4j.host.KhoNativeException;
import io.kho4j.host.KhoUnavailableException;
import io.kho4j.host.LinuxSyscalls;
import io.kho4j.internal.jna.LinuxUapi;
import io.kho4j.internal.jna.LiveUpdateAbi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The Live Update Orchestrator's device, {@code /dev/liveupdate} (6.19+; kho-abi.md §4, §9.6). Before a kexec,
 * {@link #createSession} makes a named session and {@link LiveUpdateSession#preserveFd} puts file descriptors
 * (memfds, for instance) in it; after the kexec, {@link #retrieveSession} gets it back by name and
 * {@link LiveUpdateSession#retrieveFd} returns each descriptor by its token.
 *
 * <p>Every request goes through {@link LinuxSyscalls#ioctl}, so a {@link io.kho4j.host.DryRunSyscalls} shows
 * the exact struct bytes instead of sending them. The kernel lets one process at a time hold the device open.
 * Keep outgoing sessions open until the kexec: closing a session's descriptor gives up what it preserved.
 */
public final class LiveUpdateDevice implements AutoCloseable {
    /** The device node, relative to the root directory. */
    public static final String DEVICE = "dev/liveupdate";

    private final LinuxSyscalls syscalls;
    private final int fd;
    private boolean closed;

    private LiveUpdateDevice(LinuxSyscalls syscalls, int fd) {
        this.syscalls = syscalls;
        this.fd = fd;
    }

    /**
     * @param syscalls the system calls to make
     * @param root the directory that stands for {@code /}
     * @return the open device
     * @throws KhoUnavailableException if the device does not exist (no LUO in this kernel)
     * @throws KhoNativeException if it cannot be opened ({@code EBUSY}: another process holds it)
     */
    public static LiveUpdateDevice open(LinuxSyscalls syscalls, Path root) throws KhoNativeException {
        Path device = root.resolve(DEVICE);
        if (!Files.exists(device)) {
            throw new KhoUnavailableException("/" + DEVICE + " does not exist: the Live Update Orchestrator needs"
                    + " Linux 6.19+ built with CONFIG_LIVEUPDATE=y", null);
        }
        return new LiveUpdateDevice(syscalls, syscalls.open(device.toString(), LinuxUapi.O_RDWR | LinuxUapi.O_CLOEXEC));
    }

    /**
     * {@code LIVEUPDATE_IOCTL_CREATE_SESSION}: a new outgoing session.
     *
     * @param name 1 to 63 bytes of UTF-8 without NUL, unique among this boot's sessions
     * @return the session
     * @throws KhoNativeException if the kernel refuses ({@code EEXIST} for a name in use)
     */
    public LiveUpdateSession createSession(String name) throws KhoNativeException {
        LiveUpdateAbi.CreateSession arg = new LiveUpdateAbi.CreateSession();
        arg.name = sessionName(name);
        byte[] bytes = LiveUpdateAbi.encode(arg);
        syscalls.ioctl(fd, LiveUpdateAbi.IOCTL_CREATE_SESSION, bytes);
        LiveUpdateAbi.decode(arg, bytes);
        return new LiveUpdateSession(syscalls, arg.fd, name);
    }

    /**
     * {@code LIVEUPDATE_IOCTL_RETRIEVE_SESSION}: a session the previous kernel handed over.
     *
     * @param name the name it was created with
     * @return the session
     * @throws KhoNativeException if the kernel refuses ({@code ENOENT} when there is no such session)
     */
    public LiveUpdateSession retrieveSession(String name) throws KhoNativeException {
        LiveUpdateAbi.RetrieveSession arg = new LiveUpdateAbi.RetrieveSession();
        arg.name = sessionName(name);
        byte[] bytes = LiveUpdateAbi.encode(arg);
        syscalls.ioctl(fd, LiveUpdateAbi.IOCTL_RETRIEVE_SESSION, bytes);
        LiveUpdateAbi.decode(arg, bytes);
        return new LiveUpdateSession(syscalls, arg.fd, name);
    }

    /** @throws KhoNativeException if close(2) fails */
    @Override
    public void close() throws KhoNativeException {
        if (!closed) {
            closed = true;
            syscalls.close(fd);
        }
    }

    /**
     * The kernel needs a NUL inside the 64 bytes (7.2 rejects names without one, and empty names; §9.6), so a
     * name has at most 63 bytes.
     */
    static byte[] sessionName(String name) {
        Objects.requireNonNull(name, "name");
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0 || utf8.length >= LiveUpdateAbi.SESSION_NAME_LENGTH || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a session name is 1 to " + (LiveUpdateAbi.SESSION_NAME_LENGTH - 1)
                    + " bytes of UTF-8 without NUL, got " + utf8.length + " bytes: \"" + name + "\"");
        }
        byte[] field = new byte[LiveUpdateAbi.SESSION_NAME_LENGTH];
        System.arraycopy(utf8, 0, field, 0, utf8.length);
        return field;
    }
}
