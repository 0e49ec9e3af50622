package io.kho4j.internal.jna;

/**
 * Linux userspace ABI numbers kho4j passes to the kernel. Values are the same on x86-64 and arm64 unless a
 * comment says otherwise; each cites the uapi header it comes from.
 */
public final class LinuxUapi {
    /** include/uapi/linux/kexec.h: unload the loaded image instead of loading. */
    public static final long KEXEC_FILE_UNLOAD = 0x1;
    /** include/uapi/linux/kexec.h: the image is a crash (kdump) kernel; KHO never hands over to one (§3, §8). */
    public static final long KEXEC_FILE_ON_CRASH = 0x2;
    /** include/uapi/linux/kexec.h: no initrd; the initrd fd argument is ignored. */
    public static final long KEXEC_FILE_NO_INITRAMFS = 0x4;

    /** include/uapi/linux/reboot.h: first magic argument of reboot(2). */
    public static final int LINUX_REBOOT_MAGIC1 = 0xfee1dead;
    /** include/uapi/linux/reboot.h: second magic argument of reboot(2), 0x28121969. */
    public static final int LINUX_REBOOT_MAGIC2 = 672274793;
    /** include/uapi/linux/reboot.h: boot the kernel loaded by kexec_load/kexec_file_load. */
    public static final int LINUX_REBOOT_CMD_KEXEC = 0x45584543;

    /** include/uapi/asm-generic/fcntl.h (x86-64 and arm64 use the generic values). */
    public static final int O_RDONLY = 0;
    /** include/uapi/asm-generic/fcntl.h. */
    public static final int O_RDWR = 2;
    /** include/uapi/asm-generic/fcntl.h: 02000000 octal. */
    public static final int O_CLOEXEC = 0x80000;

    private LinuxUapi() {
    }

    /** @param flags open(2) flags as used by kho4j @return them as C source spells them, for dry-run output */
    public static String openFlags(int flags) {
        String mode = (flags & 3) == O_RDWR ? "O_RDWR" : (flags & 3) == O_RDONLY ? "O_RDONLY" : "O_WRONLY";
        int rest = flags & ~3;
        if ((rest & O_CLOEXEC) != 0) {
            mode += "|O_CLOEXEC";
            rest &= ~O_CLOEXEC;
        }
        return rest == 0 ? mode : mode + String.format("|0x%x", rest);
    }

    /** @param flags kexec_file_load flags @return them as C source spells them, for dry-run output */
    public static String kexecFileFlags(long flags) {
        if (flags == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        long rest = flags;
        String[] names = {"KEXEC_FILE_UNLOAD", "KEXEC_FILE_ON_CRASH", "KEXEC_FILE_NO_INITRAMFS"};
        long[] bits = {KEXEC_FILE_UNLOAD, KEXEC_FILE_ON_CRASH, KEXEC_FILE_NO_INITRAMFS};
        for (int i = 0; i < bits.length; i++) {
            if ((rest & bits[i]) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append(String.format("0x%x", rest));
        }
        return sb.toString();
    }
}
