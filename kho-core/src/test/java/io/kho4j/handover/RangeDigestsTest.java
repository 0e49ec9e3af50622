package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.RangeDigest;
import io.kho4j.testsupport.Allocations;
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

    /** Found by ManifestFuzzTest: verify threw IllegalArgumentException for an algorithm it does not know. */
    @ParameterizedTest
    @EnumSource(value = DigestAlgorithm.class, names = {"DIGEST_ALGORITHM_UNSPECIFIED", "UNRECOGNIZED"})
    void anUnknownAlgorithmMakesEveryEntryAMismatch(DigestAlgorithm alg) throws Exception {
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x1000, 0x1000);
        RangeDigest d = RangeDigests.digest(mem, "vm", new PhysRange(0x1000, 0x100), DigestAlgorithm.CRC32C, 0x100);
        List<RangeDigests.Mismatch> bad = RangeDigests.verify(mem, alg, List.of(d, d));
        assertEquals(2, bad.size());
        assertTrue(bad.get(0).actual().contains("digest algorithm " + alg + " is unknown"), bad.get(0).actual());
    }

    /**
     * Found by ManifestFuzzTest: a chunk size beyond 2^63 (u64 in the schema) made a negative array size; empty
     * ranges and ranges that wrap are unreadable.
     */
    @Test
    void hostileSizesAreMismatchesNeverExceptions() {
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x1000, 0x1000);
        RangeDigest empty = RangeDigest.newBuilder().setPhys(0x1000).build();
        for (RangeDigest d : List.of(empty, empty.toBuilder().setSize(16).setChunkSize(-2).build(),
                empty.toBuilder().setSize(-1).build(), empty.toBuilder().setPhys(-4096).setSize(4096).build())) {
            List<RangeDigests.Mismatch> bad = RangeDigests.verify(mem, DigestAlgorithm.SHA256, List.of(d));
            assertEquals(1, bad.size(), d.toString());
            assertTrue(bad.get(0).actual().startsWith("unreadable"), bad.get(0).actual());
        }
    }

    /**
     * A range of RAM digested byte by byte would need 4 bytes per byte of RAM; an entry that records fewer digest
     * bytes than its range and chunk size imply is refused before anything is computed or allocated.
     */
    @Test
    void aDigestShorterThanItsRangeImpliesAllocatesNothingBig() throws Exception {
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x10_0000, 16 << 20);
        RangeDigest d = RangeDigest.newBuilder().setPhys(0x10_0000).setSize(16 << 20).setChunkSize(1).build();
        List<List<RangeDigests.Mismatch>> result = new java.util.ArrayList<>();
        long allocated = Allocations.measure(() -> result.add(RangeDigests.verify(mem, DigestAlgorithm.CRC32C,
                List.of(d))));
        assertTrue(allocated < 1 << 20, "allocated " + allocated);
        assertTrue(result.get(0).get(0).actual().contains("holds 0 digest bytes, not 4 for each of the range's "
                + (16 << 20) + " chunks"), result.get(0).get(0).actual());
    }
}
