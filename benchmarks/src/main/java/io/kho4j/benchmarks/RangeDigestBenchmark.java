package io.kho4j.benchmarks;

import com.google.protobuf.UnsafeByteOperations;
import io.kho4j.handover.RangeDigests;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.RangeDigest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Digests of one preserved range with {@link RangeDigests} (one digest per 4 KiB page, the default a
 * manifest records), beside the JDK intrinsics run straight over the same bytes and a plain copy of them
 * out of {@link PhysicalMemory}, the bandwidth ceiling. Two more rows take {@code rangeDigestsCrc32c} apart:
 * the intrinsic called once per page ({@code intrinsicCrc32cPerPage}, the least any per-page digest costs) and
 * the manifest entry built around digests already taken ({@code manifestEntry}, what protobuf costs).
 */
@State(Scope.Benchmark)
public class RangeDigestBenchmark extends JmhDefaults {
    private static final long BASE = 0x1_0000_0000L;
    private static final long PAGE = 4096;

    /** Range size in bytes: one page, 1 MiB, 64 MiB (past the last-level cache). */
    @Param({"4096", "1048576", "67108864"})
    public int bytes;

    private PhysicalMemory memory;
    private PhysRange range;
    private byte[] sameBytes;
    private byte[] copyTarget;
    private CRC32C crc;
    private MessageDigest sha;

    /** Fills the range with seeded random bytes. @throws Exception never in practice */
    @Setup(Level.Trial)
    public void setUp() throws PhysicalMemoryException, NoSuchAlgorithmException {
        memory = PhysicalMemory.ofHeap(BASE, bytes);
        range = new PhysRange(BASE, bytes);
        sameBytes = new byte[bytes];
        new SplittableRandom(42).nextBytes(sameBytes);
        memory.write(BASE, sameBytes);
        copyTarget = new byte[bytes];
        crc = new CRC32C();
        sha = MessageDigest.getInstance("SHA-256");
    }

    /** @return the manifest entry @throws PhysicalMemoryException never: the range is RAM */
    @Benchmark
    public RangeDigest rangeDigestsCrc32c() throws PhysicalMemoryException {
        return RangeDigests.digest(memory, "bench", range, DigestAlgorithm.CRC32C, PAGE);
    }

    /** @return the manifest entry @throws PhysicalMemoryException never: the range is RAM */
    @Benchmark
    public RangeDigest rangeDigestsSha256() throws PhysicalMemoryException {
        return RangeDigests.digest(memory, "bench", range, DigestAlgorithm.SHA256, PAGE);
    }

    /** @return the CRC of the same bytes, in one intrinsic call */
    @Benchmark
    public long intrinsicCrc32c() {
        crc.reset();
        crc.update(sameBytes, 0, bytes);
        return crc.getValue();
    }

    /** @return one CRC per 4 KiB page of the same bytes, big-endian, one intrinsic call per page */
    @Benchmark
    public byte[] intrinsicCrc32cPerPage() {
        byte[] out = new byte[(int) ((bytes + PAGE - 1) / PAGE) * Integer.BYTES];
        for (int at = 0, o = 0; at < bytes; at += PAGE, o += Integer.BYTES) {
            crc.reset();
            crc.update(sameBytes, at, (int) Math.min(PAGE, bytes - at));
            int v = (int) crc.getValue();
            out[o] = (byte) (v >>> 24);
            out[o + 1] = (byte) (v >>> 16);
            out[o + 2] = (byte) (v >>> 8);
            out[o + 3] = (byte) v;
        }
        return out;
    }

    /** @return the manifest entry {@code rangeDigestsCrc32c} returns, its digest bytes (all zero) not computed */
    @Benchmark
    public RangeDigest manifestEntry() {
        byte[] digests = new byte[(int) ((bytes + PAGE - 1) / PAGE) * Integer.BYTES];
        return RangeDigest.newBuilder().setSubsystem("bench").setPhys(range.start()).setSize(range.size())
                .setChunkSize(PAGE).setDigest(UnsafeByteOperations.unsafeWrap(digests)).build();
    }

    /** @return the SHA-256 of the same bytes, in one intrinsic call */
    @Benchmark
    public byte[] intrinsicSha256() {
        sha.update(sameBytes, 0, bytes);
        return sha.digest();
    }

    /** @return the copy @throws PhysicalMemoryException never: the range is RAM */
    @Benchmark
    public byte[] baselineCopy() throws PhysicalMemoryException {
        memory.read(BASE, copyTarget, 0, bytes);
        return copyTarget;
    }
}
