package io.kho4j.internal.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * The glibc functions kho4j calls, interface-mapped (none is on a hot path). Every call that can fail
 * declares {@link LastErrorException}; {@link NativeLinuxSyscalls} turns it into a
 * {@link io.kho4j.host.KhoNativeException} and nothing else sees it. C {@code long} is bound as Java
 * {@code long}: KHO exists only on LP64 Linux (x86-64, arm64).
 */
public interface LibC extends Library {
    /** {@code _UTSNAME_LENGTH} in glibc's bits/utsname.h (the kernel's {@code __NEW_UTS_LEN} + 1). */
    int UTSNAME_LENGTH = 65;

    /** {@code struct utsname} as glibc defines it on Linux: six NUL-terminated 65-byte fields. */
    @FieldOrder({"sysname", "nodename", "release", "version", "machine", "domainname"})
    final class Utsname extends Structure {
        public byte[] sysname = new byte[UTSNAME_LENGTH];
        public byte[] nodename = new byte[UTSNAME_LENGTH];
        public byte[] release = new byte[UTSNAME_LENGTH];
        public byte[] version = new byte[UTSNAME_LENGTH];
        public byte[] machine = new byte[UTSNAME_LENGTH];
        public byte[] domainname = new byte[UTSNAME_LENGTH];
    }

    /** uname(2) into {@code buf}. */
    int uname(Utsname buf) throws LastErrorException;

    /** geteuid(2); cannot fail. */
    int geteuid();

    /** open(2) is variadic in C; declaring the mode as varargs makes JNA use the variadic calling convention. */
    int open(String path, int flags, Object... mode) throws LastErrorException;

    /** close(2). */
    int close(int fd) throws LastErrorException;

    /** ioctl(2) is variadic in C. */
    int ioctl(int fd, long request, Object... arg) throws LastErrorException;

    /** sync(2); cannot fail. */
    void sync();

    /** syscall(2): {@code long syscall(long number, ...)}; pass every argument as a Java {@code long} or {@link Pointer}. */
    long syscall(long number, Object... args) throws LastErrorException;
}
