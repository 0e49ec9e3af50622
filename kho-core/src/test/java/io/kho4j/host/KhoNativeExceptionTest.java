package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.internal.jna.LinuxUapi;
import io.kho4j.internal.jna.LiveUpdateAbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KhoNativeExceptionTest {

    @ParameterizedTest(name = "errno {1}")
    @CsvSource(delimiter = '|', value = {
        "kexec_file_load | 1   | kexec_file_load(..) failed: EPERM (Operation not permitted)",
        "kexec_file_load | 129 | kexec_file_load(..) failed: EKEYREJECTED (Key was rejected by service)",
        "kexec_file_load | 8   | kexec_file_load(..) failed: ENOEXEC (Exec format error)",
        "kexec_file_load | 16  | kexec_file_load(..) failed: EBUSY (Device or resource busy)",
        "ioctl           | 25  | ioctl(..) failed: ENOTTY (Inappropriate ioctl for device)",
        "ioctl           | 7   | ioctl(..) failed: E2BIG (Argument list too long)",
        "ioctl           | 95  | ioctl(..) failed: EOPNOTSUPP (Operation not supported)",
        "ioctl           | 75  | ioctl(..) failed: EOVERFLOW (Value too large for defined data type)",
        "reboot          | 22  | reboot(..) failed: EINVAL (Invalid argument)",
        "open            | 2   | open(..) failed: ENOENT (No such file or directory)",
        "open            | 200 | open(..) failed: errno 200 (Unknown error 200)",
        "open            | 0   | open(..) failed: errno 0 (Unknown error 0)"})
    void messagesNameTheCallTheErrnoAndItsText(String syscall, int errno, String message) {
        KhoNativeException e = new KhoNativeException(syscall, "..", errno);
        assertEquals(message, e.getMessage());
        assertEquals(syscall, e.syscall());
        assertEquals(errno, e.errno());
    }

    @Test
    void errnoNumbersAreTheAsmGenericOnes() {
        assertEquals("EPERM", new KhoNativeException("x", "", 1).errnoName());
        assertEquals("ENOSYS", new KhoNativeException("x", "", 38).errnoName());
        assertEquals("ENODATA", new KhoNativeException("x", "", 61).errnoName());
        assertEquals("EKEYREJECTED", new KhoNativeException("x", "", 129).errnoName());
    }

    @Test
    void hintsExplainTheErrnosAKexecLoadMeets() {
        assertEquals(java.util.Optional.of("the image does not fit: with KHO the next kernel is placed only inside the"
                + " scratch areas; make them larger with kho_scratch= (kho_bootmem= from 7.4)"),
                new KhoNativeException("kexec_file_load", "..", 99).hint());
        assertEquals("EADDRNOTAVAIL", new KhoNativeException("kexec_file_load", "..", 99).errnoName());
        assertFalse(new KhoNativeException("kexec_file_load", "..", 1).hint().isEmpty());
        assertFalse(new KhoNativeException("kexec_file_load", "..", 129).hint().isEmpty());
        assertEquals(java.util.Optional.empty(), new KhoNativeException("open", "..", 1).hint());
        assertEquals(java.util.Optional.empty(), new KhoNativeException("kexec_file_load", "..", 200).hint());
    }

    /** The real edge: glibc through JNA, on calls that fail harmlessly without privileges. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void realLibcErrorsBecomeKhoNativeExceptions() throws Exception {
        LinuxSyscalls libc = LinuxSyscalls.nativeLibc();
        assertFalse(libc.uname().release().isEmpty());
        KhoNativeException missing = assertThrows(KhoNativeException.class,
                () -> libc.open("/nonexistent/kho4j", LinuxUapi.O_RDONLY | LinuxUapi.O_CLOEXEC));
        assertEquals("open(\"/nonexistent/kho4j\", O_RDONLY|O_CLOEXEC) failed: ENOENT (No such file or directory)",
                missing.getMessage());
        int fd = libc.open("/dev/null", LinuxUapi.O_RDONLY | LinuxUapi.O_CLOEXEC);
        try {
            KhoNativeException notLuo = assertThrows(KhoNativeException.class,
                    () -> libc.ioctl(fd, LiveUpdateAbi.IOCTL_CREATE_SESSION, new byte[72]));
            assertEquals("ioctl(" + fd + ", LIVEUPDATE_IOCTL_CREATE_SESSION, ..) failed: ENOTTY (Inappropriate ioctl"
                    + " for device)", notLuo.getMessage());
        } finally {
            libc.close(fd);
        }
        assertEquals("close(-1) failed: EBADF (Bad file descriptor)",
                assertThrows(KhoNativeException.class, () -> libc.close(-1)).getMessage());
    }
}
