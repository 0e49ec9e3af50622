package io.kho4j.memory;

/**
 * The kernel's {@code csum_partial(buff, len, sum)} as lib/test_kho.c uses it to checksum its folios: a one's
 * complement sum (end-around carry) of the buffer, added to {@code sum}. The 32-bit result differs between
 * implementations, so the kernel that reads the checksum back must be the kind that wrote it:
 * <ul>
 *   <li>{@link Arch#X86_64} (arch/x86/lib/csum-partial_64.c): 64-bit little-endian words summed with end-around
 *       carry starting from {@code sum}, the tail zero-padded, then folded to 32 bits
 *       ({@code (t + ror64(t, 32)) >> 32});</li>
 *   <li>{@link Arch#GENERIC} (lib/checksum.c, with arm64's or the generic {@code do_csum}): the buffer folded to a
 *       16-bit one's complement sum, then added to the 32-bit {@code sum} with end-around carry.</li>
 * </ul>
 * Both treat the buffer as starting 8-byte aligned, as folios do; the odd-address byte swap of {@code do_csum} does
 * not apply.
 */
public final class CsumPartial {
    /** Which {@code csum_partial} the kernels of a handover run. */
    public enum Arch {
        /** x86-64: a 32-bit folded sum. */
        X86_64,
        /** lib/checksum.c on a little-endian machine (arm64): a 16-bit sum added to the previous value. */
        GENERIC
    }

    private CsumPartial() {
    }

    /**
     * @param arch which implementation
     * @param buf the bytes
     * @param offset first byte
     * @param length bytes to sum
     * @param sum the running checksum ({@code __wsum})
     * @return the new running checksum
     */
    public static int csumPartial(Arch arch, byte[] buf, int offset, int length, int sum) {
        long words = sum64(buf, offset, length, arch == Arch.X86_64 ? Integer.toUnsignedLong(sum) : 0);
        int folded = (int) ((words + Long.rotateRight(words, 32)) >>> 32);
        if (arch == Arch.X86_64) {
            return folded;
        }
        int sixteen = (folded + Integer.rotateRight(folded, 16)) >>> 16;
        int result = sixteen + sum;
        return Integer.compareUnsigned(sum, result) > 0 ? result + 1 : result;
    }

    /** End-around-carry sum of little-endian u64 words, the last one zero-padded. */
    private static long sum64(byte[] buf, int offset, int length, long start) {
        long t = start;
        for (int at = 0; at < length; at += 8) {
            long w = 0;
            for (int i = Math.min(8, length - at) - 1; i >= 0; i--) {
                w = (w << 8) | (buf[offset + at + i] & 0xff);
            }
            long s = t + w;
            t = Long.compareUnsigned(s, w) < 0 ? s + 1 : s;
        }
        return t;
    }
}
