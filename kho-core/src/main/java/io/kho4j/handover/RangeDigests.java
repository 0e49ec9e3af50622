package io.kho4j.handover;

import com.google.protobuf.UnsafeByteOperations;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.RangeDigest;
import java.nio.ByteBuffer;
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
            for (int i = 0; i < got.length; i += width) {
                if (!Arrays.equals(got, i, i + width, want, i, i + width)) {
                    long at = d.getPhys() + (i / width) * chunk;
                    long len = Math.min(chunk, d.getPhys() + d.getSize() - at);
                    out.add(new Mismatch(d.getSubsystem(), at, len, hex.formatHex(want, i, i + width),
                            hex.formatHex(got, i, i + width)));
                }
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
            case CRC32C: return 4;
            case SHA256: return 32;
            default: throw new IllegalArgumentException("no digest algorithm " + algorithm);
        }
    }

    /**
     * Digests each chunk of the range straight from memory ({@link PhysicalMemory#view}: no copy where the
     * memory is on the heap), with a per-thread {@code MessageDigest} and the digests written in place.
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
        CRC32C crc = algorithm == DigestAlgorithm.CRC32C ? new CRC32C() : null;
        MessageDigest sha = crc == null ? SHA256.get() : null;
        if (sha != null) {
            sha.reset();
        }
        long start = range.start();
        for (int o = 0; o < out.length; o += width) {
            long end = start + Math.min(chunk, range.end() - start);
            for (long at = start; at < end; ) {
                int n = (int) Math.min(IO_CHUNK, end - at);
                ByteBuffer bytes = memory.view(at, n);
                if (crc != null) {
                    crc.update(bytes);
                } else {
                    sha.update(bytes);
                }
                at += n;
            }
            if (crc != null) {
                int v = (int) crc.getValue();
                crc.reset();
                out[o] = (byte) (v >>> 24);
                out[o + 1] = (byte) (v >>> 16);
                out[o + 2] = (byte) (v >>> 8);
                out[o + 3] = (byte) v;
            } else {
                try {
                    sha.digest(out, o, width);
                } catch (DigestException e) {
                    throw new IllegalStateException("SHA-256 gives 32 bytes", e);
                }
            }
            start = end;
        }
        return out;
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
