package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.RangeDigest;
import io.kho4j.testsupport.Allocations;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
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

    /**
     * The manifest entry's bytes, assembled by hand from manifest.proto's field numbers (1 subsystem, 2 phys,
     * 3 size, 4 digest, 5 chunk_size) with each chunk's digest from the JDK's own classes: the entry's wire format
     * and the digests' byte order (CRC32C big-endian) are what older manifests hold.
     */
    @ParameterizedTest
    @EnumSource(value = DigestAlgorithm.class, names = {"CRC32C", "SHA256"})
    void anEntryIsByteIdenticalToItsHandAssembledEncoding(DigestAlgorithm alg) throws Exception {
        long base = 0x20_0000;
        PhysicalMemory mem = PhysicalMemory.ofHeap(base, 0x4000);
        byte[] fill = new byte[0x4000];
        new SplittableRandom(11).nextBytes(fill);
        mem.write(base, fill);
        // Three chunks, the last 0x100 bytes short of a page.
        RangeDigest d = RangeDigests.digest(mem, "vm", new PhysRange(base + 0x1000, 0x2100), alg, 0x1000);

        ByteArrayOutputStream digests = new ByteArrayOutputStream();
        for (int at = 0x1000; at < 0x3100; at += 0x1000) {
            int n = Math.min(0x1000, 0x3100 - at);
            if (alg == DigestAlgorithm.CRC32C) {
                CRC32C crc = new CRC32C();
                crc.update(fill, at, n);
                digests.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            } else {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(fill, at, n);
                digests.write(sha.digest());
            }
        }
        byte[] digestBytes = digests.toByteArray();
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.write(new byte[] {0x0a, 2, 'v', 'm'});
        want.write(new byte[] {0x10, (byte) 0x80, (byte) 0xa0, (byte) 0x80, 0x01}); // phys 0x201000 as a varint
        want.write(new byte[] {0x18, (byte) 0x80, 0x42}); // size 0x2100
        want.write(new byte[] {0x22, (byte) digestBytes.length});
        want.write(digestBytes);
        want.write(new byte[] {0x28, (byte) 0x80, 0x20}); // chunk_size 0x1000
        assertEquals(HexFormat.of().formatHex(want.toByteArray()), HexFormat.of().formatHex(d.toByteArray()));
    }

    static Stream<Arguments> flips() {
        return IntStream.range(0, 24).mapToObj(i -> {
            long seed = 0xd16e5700L + i;
            return Arguments.of("seed=" + seed, seed);
        });
    }

    /**
     * Random ranges, chunk sizes and flipped bytes: verify reports exactly the chunks that hold a flipped byte, in
     * address order, each with its own address and length (the last chunk short where the range is).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("flips")
    void verifyReportsExactlyTheChunksWithAFlippedByte(String name, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        long base = 0x40_0000;
        PhysicalMemory mem = PhysicalMemory.ofHeap(base, 0x2_0000);
        byte[] fill = new byte[0x2_0000];
        r.nextBytes(fill);
        mem.write(base, fill);
        DigestAlgorithm alg = r.nextBoolean() ? DigestAlgorithm.CRC32C : DigestAlgorithm.SHA256;
        long chunk = 1L << r.nextInt(6, 15);
        long start = base + r.nextInt(0x1000);
        long size = 1 + r.nextInt(0x1_8000);
        List<RangeDigest> recorded = List.of(RangeDigests.digest(mem, "s", new PhysRange(start, size), alg, chunk));
        assertTrue(RangeDigests.verify(mem, alg, recorded).isEmpty());

        TreeSet<Long> flippedChunks = new TreeSet<>();
        for (int i = r.nextInt(0, 6); i > 0; i--) {
            long at = start + r.nextLong(size);
            mem.write(at, new byte[] {(byte) (fill[(int) (at - base)] ^ (1 << r.nextInt(8)))});
            flippedChunks.add((at - start) / chunk);
        }
        List<RangeDigests.Mismatch> bad = RangeDigests.verify(mem, alg, recorded);
        List<Long> reported = new ArrayList<>();
        for (RangeDigests.Mismatch m : bad) {
            long index = (m.phys() - start) / chunk;
            reported.add(index);
            assertEquals(start + index * chunk, m.phys(), m.toString());
            assertEquals(Math.min(chunk, start + size - m.phys()), m.size(), m.toString());
            assertTrue(!m.expected().equals(m.actual()), m.toString());
        }
        assertEquals(new ArrayList<>(flippedChunks), reported);
    }

    /**
     * Digests whose length does not fit their range (a byte short or over, a chunk short or over, the other
     * algorithm's width) and chunk counts that do not match the size are mismatches that say so, never an
     * ArrayIndexOutOfBoundsException from comparing arrays of different lengths.
     */
    @ParameterizedTest
    @EnumSource(value = DigestAlgorithm.class, names = {"CRC32C", "SHA256"})
    void digestsOfTheWrongLengthAreMismatchesNeverExceptions(DigestAlgorithm alg) throws Exception {
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x1000, 0x4000);
        RangeDigest good = RangeDigests.digest(mem, "vm", new PhysRange(0x1000, 0x3000), alg, 0x1000);
        int width = good.getDigest().size() / 3;
        int otherWidth = alg == DigestAlgorithm.CRC32C ? 32 : 4;
        List<RangeDigest> hostile = new ArrayList<>();
        for (int length : new int[] {0, 1, width - 1, width, 2 * width, 3 * width - 1, 3 * width + 1, 4 * width,
                3 * otherWidth}) {
            byte[] digest = new byte[length];
            good.getDigest().copyTo(digest, 0, 0, Math.min(length, good.getDigest().size()));
            hostile.add(good.toBuilder().setDigest(com.google.protobuf.ByteString.copyFrom(digest)).build());
        }
        hostile.add(good.toBuilder().setChunkSize(0x800).build()); // six chunks, three digests
        hostile.add(good.toBuilder().setChunkSize(0x2000).build()); // two chunks, three digests
        hostile.add(good.toBuilder().setChunkSize(0).build()); // one digest of the range, three recorded
        for (RangeDigest d : hostile) {
            List<RangeDigests.Mismatch> bad = RangeDigests.verify(mem, alg, List.of(d));
            assertEquals(1, bad.size(), d.toString());
            assertTrue(bad.get(0).actual().startsWith("unreadable (the manifest holds " + d.getDigest().size()
                    + " digest bytes"), bad.get(0).actual());
        }
        assertTrue(RangeDigests.verify(mem, alg, List.of(good)).isEmpty());
    }

    /**
     * The manifest is untrusted: a chunk size that is not a power of two (digest never writes one) is checked
     * like any other, chunk by chunk, with the last chunk short.
     */
    @Test
    void aChunkSizeThatIsNotAPowerOfTwoIsCheckedChunkByChunk() throws Exception {
        PhysicalMemory mem = PhysicalMemory.ofHeap(0x1000, 0x1000);
        byte[] fill = new byte[0x1000];
        new SplittableRandom(3).nextBytes(fill);
        mem.write(0x1000, fill);
        ByteArrayOutputStream crcs = new ByteArrayOutputStream();
        for (int at = 0; at < 1000; at += 300) {
            CRC32C crc = new CRC32C();
            crc.update(fill, at, Math.min(300, 1000 - at));
            crcs.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }
        RangeDigest d = RangeDigest.newBuilder().setSubsystem("vm").setPhys(0x1000).setSize(1000).setChunkSize(300)
                .setDigest(com.google.protobuf.ByteString.copyFrom(crcs.toByteArray())).build();
        assertTrue(RangeDigests.verify(mem, DigestAlgorithm.CRC32C, List.of(d)).isEmpty());
        mem.write(0x1000 + 999, new byte[] {(byte) ~fill[999]});
        List<RangeDigests.Mismatch> bad = RangeDigests.verify(mem, DigestAlgorithm.CRC32C, List.of(d));
        assertEquals(1, bad.size());
        assertEquals(0x1000 + 900, bad.get(0).phys());
        assertEquals(100, bad.get(0).size());
    }
}
