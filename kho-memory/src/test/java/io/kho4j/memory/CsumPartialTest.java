package io.kho4j.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.memory.CsumPartial.Arch;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** csum_partial values worked out by hand from arch/x86/lib/csum-partial_64.c and lib/checksum.c. */
class CsumPartialTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static int x86(String data, int sum) {
        byte[] b = hex(data);
        return CsumPartial.csumPartial(Arch.X86_64, b, 0, b.length, sum);
    }

    private static int generic(String data, int sum) {
        byte[] b = hex(data);
        return CsumPartial.csumPartial(Arch.GENERIC, b, 0, b.length, sum);
    }

    @Test
    void oneWordByHand() {
        // The u64 0x123456789abcdef0 (bytes f0 de bc 9a 78 56 34 12).
        // x86: t = 0x123456789abcdef0; hi + lo = 0x12345678 + 0x9abcdef0 = 0xacf13568, no carry.
        assertEquals(0xacf13568, x86("f0debc9a78563412", 0));
        // generic: 16-bit words 0xdef0 + 0x9abc + 0x5678 + 0x1234 = 0x1e258; fold: 0xe258 + 1 = 0xe259; + sum 0.
        assertEquals(0xe259, generic("f0debc9a78563412", 0));
    }

    @Test
    void theEndAroundCarryByHand() {
        // x86: 1 + 0xffffffffffffffff overflows to 0 with carry, so t = 1; the fold of 0x1 is 1.
        assertEquals(1, x86("0100000000000000" + "ffffffffffffffff", 0));
        // x86 with sum 0xffffffff: t = 0x1_2345_6799_abcd_eeef... worked: 0xffffffff + 0x123456789abcdef0 =
        // 0x123456799abcdeef; hi + lo = 0x12345679 + 0x9abcdeef = 0xacf13568.
        assertEquals(0xacf13568, x86("f0debc9a78563412", 0xffffffff));
        // generic with sum 0xffffffff: 0xe259 + 0xffffffff wraps to 0xe258 and the carry adds 1: 0xe259.
        assertEquals(0xe259, generic("f0debc9a78563412", 0xffffffff));
        // A 3-byte tail is zero-padded to a word: 0x030201.
        assertEquals(0x030201, x86("010203", 0));
        assertEquals(0x0204, generic("010203", 0), "16-bit words 0x0201 and 0x0003");
    }

    static LongStream seeds() {
        return LongStream.of(7, 0x63737563L, 123456789);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void bothArchitecturesAgreeModulo0xffffAsTheOnesComplementSumRequires(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] data = new byte[8 * r.nextInt(1, 2048)];
        r.nextBytes(data);
        int x = 0;
        int g = 0;
        for (int at = 0; at < data.length; at += 4096) {
            int n = Math.min(4096, data.length - at);
            x = CsumPartial.csumPartial(Arch.X86_64, data, at, n, x);
            g = CsumPartial.csumPartial(Arch.GENERIC, data, at, n, g);
        }
        assertEquals(fold16(x), fold16(g));
    }

    private static int fold16(int v) {
        long s = Integer.toUnsignedLong(v);
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (s == 0xffff ? 0 : s);
    }
}
