package io.kho4j.internal.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyscallNumbersTest {

    @Test
    void numbersAreTheKernelTables() {
        // arch/x86/entry/syscalls/syscall_64.tbl
        assertEquals(Optional.of(new SyscallNumbers("x86-64", 320, 169)), SyscallNumbers.forArch("x86-64"));
        // include/uapi/asm-generic/unistd.h, used by arm64
        assertEquals(Optional.of(new SyscallNumbers("aarch64", 294, 142)), SyscallNumbers.forArch("aarch64"));
        assertEquals(Optional.empty(), SyscallNumbers.forArch("riscv64"));
    }

    @Test
    void uapiConstantsAreTheHeaderValues() {
        assertEquals(0xfee1dead, LinuxUapi.LINUX_REBOOT_MAGIC1);
        assertEquals(0x28121969, LinuxUapi.LINUX_REBOOT_MAGIC2);
        assertEquals(0x45584543, LinuxUapi.LINUX_REBOOT_CMD_KEXEC, "'EXEC' in ASCII");
        assertEquals(1, LinuxUapi.KEXEC_FILE_UNLOAD);
        assertEquals(2, LinuxUapi.KEXEC_FILE_ON_CRASH);
        assertEquals(4, LinuxUapi.KEXEC_FILE_NO_INITRAMFS);
        assertEquals(02000000, LinuxUapi.O_CLOEXEC);
    }

    @Test
    void flagsRenderAsCSpellsThem() {
        assertEquals("O_RDWR|O_CLOEXEC", LinuxUapi.openFlags(LinuxUapi.O_RDWR | LinuxUapi.O_CLOEXEC));
        assertEquals("O_WRONLY|0x40", LinuxUapi.openFlags(0x41));
        assertEquals("0", LinuxUapi.kexecFileFlags(0));
        assertEquals("KEXEC_FILE_ON_CRASH|KEXEC_FILE_NO_INITRAMFS|0x10", LinuxUapi.kexecFileFlags(0x16));
    }
}
