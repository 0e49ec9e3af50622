package io.kho4j.testsupport;

import io.kho4j.host.KhoNativeException;
import io.kho4j.host.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A fake kernel for tests: records every call with copies of its byte arguments, answers ioctls with a
 * scripted response, fails a named call with a given errno, and really writes files (they are under a
 * temporary root).
 */
public final class ScriptedSyscalls implements LinuxSyscalls {

    /** One recorded call: its C name, its scalar arguments and a copy of its byte argument, if any. */
    public record Call(String name, List<Object> args, byte[] bytes) {
    }

    private final Uname uname;
    private final int euid;
    private final List<Call> calls = new ArrayList<>();
    private final Map<Integer, Consumer<byte[]>> ioctlReplies = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private int nextFd = 10;

    public ScriptedSyscalls(String release, int euid) {
        this.uname = new Uname(release, "x86_64");
        this.euid = euid;
    }

    /** @return the calls so far, in order */
    public List<Call> calls() {
        return calls;
    }

    /** @param request ioctl number @param reply edits the argument bytes as the kernel would @return this */
    public ScriptedSyscalls onIoctl(int request, Consumer<byte[]> reply) {
        ioctlReplies.put(request, reply);
        return this;
    }

    /** @param syscall C name of the call to fail @param errno its errno @return this */
    public ScriptedSyscalls fail(String syscall, int errno) {
        failures.put(syscall, errno);
        return this;
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
    public int open(String path, int flags) throws KhoNativeException {
        record("open", null, path, flags);
        return nextFd++;
    }

    @Override
    public void close(int fd) throws KhoNativeException {
        record("close", null, fd);
    }

    @Override
    public void ioctl(int fd, int request, byte[] argument) throws KhoNativeException {
        record("ioctl", argument, fd, request);
        Consumer<byte[]> reply = ioctlReplies.get(request);
        if (reply != null) {
            reply.accept(argument);
        }
    }

    @Override
    public void kexecFileLoad(int kernelFd, int initrdFd, byte[] cmdline, long flags) throws KhoNativeException {
        record("kexec_file_load", cmdline, kernelFd, initrdFd, cmdline == null ? 0 : cmdline.length, flags);
    }

    @Override
    public void sync() {
        calls.add(new Call("sync", List.of(), null));
    }

    @Override
    public void reboot(int magic1, int magic2, int command) throws KhoNativeException {
        record("reboot", null, magic1, magic2, command);
    }

    @Override
    public void writeFile(Path path, byte[] data) throws IOException {
        record("write", data, path);
        Files.write(path, data);
    }

    private void record(String name, byte[] bytes, Object... args) throws KhoNativeException {
        calls.add(new Call(name, List.of(args), bytes == null ? null : bytes.clone()));
        Integer errno = failures.get(name);
        if (errno != null) {
            throw new KhoNativeException(name, "..", errno);
        }
    }
}
