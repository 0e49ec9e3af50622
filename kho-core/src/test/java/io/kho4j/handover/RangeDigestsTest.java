package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.RangeDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RangeDigestsTest {
    @Test
    void crc32cOfAKnownVectorMatchesTheStandard() throws Exception {
        // RFC 3720 B.4: CRC32C of 32 bytes of zeros is 0x8a9136aa
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x1000, 0x1000);
        RangeDigest d = RangeDigests.digest(mem, "t", new PhysRange(0x1000, 32), DigestAlgorithm.CRC32C, 4096);
        assertEquals("8a9136aa", HexFormat.of().formatHex(d.getDigest().toByteArray()));
    }

    @ParameterizedTest
    @EnumSource(value = DigestAlgorithm.class, names = {"CRC32C", "SHA256"})
    void aFlippedByteIsReportedWithItsPageAndSubsystem(DigestAlgorithm alg) throws Exception {
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x10_0000, 0x10_0000);
        byte[] fill = new byte[0x10_0000];
        new SplittableRandom(7).nextBytes(fill);
        mem.write(0x10_0000, fill);
        PhysRange r = new PhysRange(0x10_0000, 0x8000);
        List<RangeDigest> recorded = List.of(RangeDigests.digest(mem, "ftrace", r, alg, 4096));
        assertTrue(RangeDigests.verify(mem, alg, recorded).isEmpty());

        mem.write(0x10_5123, new byte[] {(byte) (fill[0x5123] ^ 0x40)});
        List<RangeDigests.Mismatch> bad = RangeDigests.verify(mem, alg, recorded);
        assertEquals(1, bad.size());
        assertEquals("ftrace", bad.get(0).subsystem());
        assertEquals(0x10_5000, bad.get(0).phys());
        assertEquals(4096, bad.get(0).size());
    }

    @Test
    void aRangeThatIsNoLongerRamIsAMismatchNotACrash() throws Exception {
        PhysicalMemory before = PhysicalMemory.ofHeap(0x1000, 0x4000);
        List<RangeDigest> recorded = List.of(
                RangeDigests.digest(before, "vm", new PhysRange(0x3000, 0x2000), DigestAlgorithm.CRC32C, 4096));
        PhysicalMemory after = PhysicalMemory.ofHeap(0x1000, 0x2000);
        List<RangeDigests.Mismatch> bad = RangeDigests.verify(after, DigestAlgorithm.CRC32C, recorded);
        assertEquals(1, bad.size());
        assertTrue(bad.get(0).actual().startsWith("unreadable"));
    }
}
