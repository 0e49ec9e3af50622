package io.kho4j.host;

/**
 * Linux errno values kho4j can meet, with glibc's {@code strerror} text so messages do not depend on the
 * locale or on native code. Numbers from include/uapi/asm-generic/errno-base.h and errno.h, which x86-64 and
 * arm64 both use.
 */
enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    ENXIO(6, "No such device or address"),
    E2BIG(7, "Argument list too long"),
    ENOEXEC(8, "Exec format error"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    ENOTTY(25, "Inappropriate ioctl for device"),
    ETXTBSY(26, "Text file busy"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    EROFS(30, "Read-only file system"),
    ERANGE(34, "Numerical result out of range"),
    ENOSYS(38, "Function not implemented"),
    ENODATA(61, "No data available"),
    EBADMSG(74, "Bad message"),
    EOVERFLOW(75, "Value too large for defined data type"),
    EOPNOTSUPP(95, "Operation not supported"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ECANCELED(125, "Operation canceled"),
    ENOKEY(126, "Required key not available"),
    EKEYEXPIRED(127, "Key has expired"),
    EKEYREVOKED(128, "Key has been revoked"),
    EKEYREJECTED(129, "Key was rejected by service");

    private static final Errno[] BY_CODE = new Errno[130];

    static {
        for (Errno e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    final int code;
    final String description;

    Errno(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** @param code an errno value @return its symbolic name, or {@code errno N} if not in the table */
    static String name(int code) {
        Errno e = lookup(code);
        return e == null ? "errno " + code : e.name();
    }

    /** @param code an errno value @return glibc's strerror text, or glibc's text for unknown values */
    static String description(int code) {
        Errno e = lookup(code);
        return e == null ? "Unknown error " + code : e.description;
    }

    private static Errno lookup(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
