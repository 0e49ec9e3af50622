package io.kho4j.benchmarks;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.BumpPageAllocator;
import io.kho4j.preserve.MapPageVisitor;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapFormat;
import io.kho4j.preserve.MemoryMapFormatException;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PreservedMemoryMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encode and decode of a preserved-memory map in each generation's layout ({@link MemoryMapCodec}), beside a
 * plain {@code System.arraycopy} of as many bytes as the layout's bitmaps (chunk-list bitmaps or radix leaves)
 * hold: the issue-4 goal is "within 2x of a plain copy". Memory is {@link PhysicalMemory#sparse}, which keeps
 * only the pages written (the map's own), so 1 TiB of RAM costs the heap only the map.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MemoryMapBenchmark extends JmhDefaults {
    /** The generation's layout; {@code RADIX_16K_PREFIX} equals {@code RADIX} with 4 KiB pages. */
    @Param({"CHUNKS_BITMAP512", "CHUNKS_BITMAP_PAGE", "RADIX"})
    public MemoryMapFormat format;

    /** The map. */
    @Param({"VM_HOST_MIXED", "TIB_ALTERNATE_PAGES"})
    public MapShape shape;

    /** The kernel's page size: 4 KiB (x86-64), 16 and 64 KiB (arm64 options). */
    @Param({"KIB_4", "KIB_16", "KIB_64"})
    public PageSize pageSize = MapShape.PAGE_SIZE;

    /** Package-private for the workload test. */
    PreservedMemoryMap map;
    private MemoryMapCodec codec;
    PhysicalMemory memory;
    private long root;
    private byte[] bitmapSource;
    private byte[] bitmapTarget;

    /**
     * Builds the map, encodes it once for {@link #decode}, and sizes the copy baseline from the bitmaps the
     * decoder reads. @throws Exception never in practice
     */
    @Setup(Level.Trial)
    public void setUp() throws PhysicalMemoryException, MemoryMapFormatException {
        map = shape.build(pageSize);
        codec = MemoryMapCodec.of(format, pageSize);
        memory = PhysicalMemory.sparse(List.of(shape.ram()));
        root = codec.encode(map, memory, allocator());
        bitmapSource = new byte[Math.toIntExact(bitmapBytes(codec, memory, root))];
        bitmapTarget = new byte[bitmapSource.length];
    }

    /**
     * @param codec the codec
     * @param memory memory holding an encoded map
     * @param root its root
     * @return bytes of the bitmaps (chunk-list bitmaps or radix leaves) the decoder reads
     * @throws MemoryMapFormatException if the map does not decode
     */
    static long bitmapBytes(MemoryMapCodec codec, PhysicalMemory memory, long root) throws MemoryMapFormatException {
        long[] total = new long[1];
        codec.decode(memory, root, (phys, length, kind) -> {
            if (kind == MapPageVisitor.Kind.BITMAP || kind == MapPageVisitor.Kind.RADIX_LEAF) {
                total[0] += length;
            }
        });
        return total[0];
    }

    private BumpPageAllocator allocator() {
        return BumpPageAllocator.over(pageSize, shape.preservedEnd(), shape.ram().end());
    }

    /** @return the root @throws Exception never in practice: the map area is large enough */
    @Benchmark
    public long encode() throws PhysicalMemoryException, MemoryMapFormatException {
        return codec.encode(map, memory, allocator());
    }

    /** @return the map @throws MemoryMapFormatException never: the map was written by {@link #setUp} */
    @Benchmark
    public PreservedMemoryMap decode() throws MemoryMapFormatException {
        return codec.decode(memory, root);
    }

    /** @return the copy of as many bytes as the bitmaps hold */
    @Benchmark
    public byte[] baselineCopy() {
        System.arraycopy(bitmapSource, 0, bitmapTarget, 0, bitmapSource.length);
        return bitmapTarget;
    }

    /**
     * @return a new array holding a copy of the bitmap bytes: the least any decoder that returns a new map
     *     pays, since a new array is memory no cache has seen for a while (the reused target above stays warm)
     */
    @Benchmark
    public byte[] baselineNewCopy() {
        return Arrays.copyOf(bitmapSource, bitmapSource.length);
    }

    /**
     * @return a new {@code long[]} read from the bitmap bytes: the least a decoder pays whose map holds words
     *     read from memory. Java zeroes a new {@code long[]} before anything can be read into it (only a copy
     *     of another Java array, as in {@link #baselineNewCopy}, skips that), so this is a zeroing pass over
     *     fresh memory plus a copy into it.
     */
    @Benchmark
    public long[] baselineNewWords() {
        long[] words = new long[bitmapSource.length / Long.BYTES];
        ByteBuffer.wrap(bitmapSource).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(words);
        return words;
    }
}
