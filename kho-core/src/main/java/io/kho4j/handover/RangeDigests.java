package io.kho4j.handover;

import com.google.protobuf.UnsafeByteOperations;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.RangeDigest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Digests of preserved memory, taken before the handover and checked after it.
 *
 * <p>CRC32C is the default: it runs near memory speed on the JDK intrinsic (TOOLCHAIN.md §4) and catches
 * corruption, the same trade-off kexec purgatory makes with its SHA-256 of segments being optional.
 * SHA-256 is there for callers who want a cryptographic check. Each range is digested in chunks (one page
 * by default) so that a mismatch names the page, not just the range.
 */
public final class RangeDigests {
    /** Bytes read from memory per call; large enough to amortise the call, small enough for the cache. */
    private static final int IO_CHUNK = 1 << 20;
    private static final int SHA256_BYTES = 32;
    /** The manifest stores each CRC32C as 4 big-endian bytes. */
    private static final VarHandle BIG_ENDIAN_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);

    private RangeDigests() {
    }

    /** A range whose content differs from what the manifest recorded. */
    public record Mismatch(String subsystem, long phys, long size, String expected, String actual) {
        @Override
        public String toString() {
            return String.format("%s: 0x%x+0x%x digest %s, expected %s",
                    subsystem.isEmpty() ? "kho" : subsystem, phys, size, actual, expected);
        }
    }

    /**
     * Digests one range.
     *
     * @param memory where the range is
     * @param subsystem owner of the range, for reports
     * @param range the range
     * @param algorithm CRC32C or SHA256
     * @param chunkSize bytes per digest piece, a positive power of two
     * @return the manifest entry
     * @throws PhysicalMemoryException if the range is not RAM
     */
    public static RangeDigest digest(PhysicalMemory memory, String subsystem, PhysRange range,
            DigestAlgorithm algorithm, long chunkSize) throws PhysicalMemoryException {
        if (chunkSize <= 0 || Long.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunk size must be a power of two: " + chunkSize);
        }
        return RangeDigest.newBuilder().setSubsystem(subsystem).setPhys(range.start()).setSize(range.size())
                .setChunkSize(chunkSize)
                // pieces() hands over a fresh array that nothing else holds: wrapping it saves a copy.
                .setDigest(UnsafeByteOperations.unsafeWrap(pieces(memory, range, algorithm, chunkSize)))
                .build();
    }

    /**
     * Checks recorded digests against memory. The manifest is as untrusted as the memory: an entry that cannot
     * be checked (an unknown algorithm, a range or chunk size beyond 2^63, a digest whose length does not match
     * its range and chunk size, a range outside RAM) is a mismatch too, found before anything is read or
     * allocated, so the work is bounded by the manifest's own digest bytes and the ranges in RAM.
     *
     * @param memory memory after the handover
     * @param algorithm the algorithm the digests were taken with
     * @param recorded the manifest's entries
     * @return one mismatch per differing chunk and per entry that cannot be checked, empty if all match
     */
    public static List<Mismatch> verify(PhysicalMemory memory, DigestAlgorithm algorithm, List<RangeDigest> recorded) {
        List<Mismatch> out = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        int width = algorithm == DigestAlgorithm.CRC32C || algorithm == DigestAlgorithm.SHA256 ? width(algorithm) : 0;
        for (RangeDigest d : recorded) {
            long chunk = d.getChunkSize() == 0 ? d.getSize() : d.getChunkSize();
            byte[] want = d.getDigest().toByteArray();
            String unusable = width == 0 ? "digest algorithm " + algorithm + " is unknown"
                    : d.getSize() < 0 || chunk < 0 ? "range or chunk size beyond 2^63"
                    : want.length % width != 0 || want.length / width != chunks(d.getSize(), chunk)
                            ? "the manifest holds " + want.length
                            + " digest bytes, not " + width + " for each of the range's " + chunks(d.getSize(), chunk)
                            + " chunks"
                    : null;
            byte[] got = null;
            if (unusable == null) {
                try {
                    got = pieces(memory, new PhysRange(d.getPhys(), d.getSize()), algorithm, chunk);
                } catch (PhysicalMemoryException | IllegalArgumentException e) {
                    unusable = e.getMessage();
                }
            }
            if (got == null) {
                out.add(new Mismatch(d.getSubsystem(), d.getPhys(), d.getSize(), hex.formatHex(want),
                        "unreadable (" + unusable + ")"));
                continue;
            }
            // Arrays.mismatch skips equal digests in vectorised strides: matching chunks cost no per-chunk step.
            for (int i = Arrays.mismatch(got, want); i >= 0; ) {
                int first = i - i % width;
                int next = first + width;
                long at = d.getPhys() + (first / width) * chunk;
                long len = Math.min(chunk, d.getPhys() + d.getSize() - at);
                out.add(new Mismatch(d.getSubsystem(), at, len, hex.formatHex(want, first, next),
                        hex.formatHex(got, first, next)));
                int rest = next == got.length ? -1 : Arrays.mismatch(got, next, got.length, want, next, want.length);
                i = rest < 0 ? -1 : next + rest;
            }
        }
        return out;
    }

    /** @return the chunks of a range of {@code size} bytes, the last one possibly short; no overflow */
    private static long chunks(long size, long chunk) {
        return size == 0 ? 0 : (size - 1) / chunk + 1;
    }

    private static int width(DigestAlgorithm algorithm) {
        switch (algorithm) {
            case CRC32C: return Integer.BYTES;
            case SHA256: return SHA256_BYTES;
            default: throw new IllegalArgumentException("no digest algorithm " + algorithm);
        }
    }

    /**
     * Digests each chunk of the range straight from memory ({@link PhysicalMemory#view}: no copy where the
     * memory is on the heap), the digests written in place. One view per chunk, not one per range: a memory that
     * keeps its pages apart ({@code PhysicalMemory.sparse}) can hand out a page without copying, but not a range.
     */
    private static byte[] pieces(PhysicalMemory memory, PhysRange range, DigestAlgorithm algorithm, long chunk)
            throws PhysicalMemoryException {
        int width = width(algorithm);
        long count = chunks(range.size(), chunk);
        if (count > Integer.MAX_VALUE / width) {
            throw new IllegalArgumentException("range " + range + " has too many " + chunk + "-byte chunks");
        }
        if (!memory.isRam(range.start(), range.size())) {
            throw new PhysicalMemoryException(range.start(), range.size() + " bytes here are not RAM", null);
        }
        byte[] out = new byte[(int) count * width];
        if (algorithm == DigestAlgorithm.CRC32C) {
            crc32c(memory, range, chunk, out);
        } else {
            sha256(memory, range, chunk, out);
        }
        return out;
    }

    /**
     * The CRC32C of each chunk, big-endian. Its own loop, free of the SHA-256 branches, so that it compiles small
     * and the JIT inlines it: at one 4 KiB page the intrinsic takes about 50 ns and every call around it shows.
     */
    private static void crc32c(PhysicalMemory memory, PhysRange range, long chunk, byte[] out)
            throws PhysicalMemoryException {
        CRC32C crc = new CRC32C();
        long at = range.start();
        for (int o = 0; o < out.length; o += Integer.BYTES) {
            long end = at + Math.min(chunk, range.end() - at);
            crc.reset();
            do {
                int n = (int) Math.min(IO_CHUNK, end - at);
                crc.update(memory.view(at, n));
                at += n;
            } while (at < end);
            BIG_ENDIAN_INT.set(out, o, (int) crc.getValue());
        }
    }

    /** The SHA-256 of each chunk, with the thread's {@code MessageDigest}. */
    private static void sha256(PhysicalMemory memory, PhysRange range, long chunk, byte[] out)
            throws PhysicalMemoryException {
        MessageDigest sha = SHA256.get();
        sha.reset();
        long at = range.start();
        for (int o = 0; o < out.length; o += SHA256_BYTES) {
            long end = at + Math.min(chunk, range.end() - at);
            do {
                int n = (int) Math.min(IO_CHUNK, end - at);
                sha.update(memory.view(at, n));
                at += n;
            } while (at < end);
            try {
                sha.digest(out, o, SHA256_BYTES);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-256 gives 32 bytes", e);
            }
        }
    }

    /** {@code MessageDigest.getInstance} costs more than digesting a page: one instance per thread. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(RangeDigests::sha256);

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
