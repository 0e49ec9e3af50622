package io.kho4j.benchmarks;

import io.kho4j.handover.Handover;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.BumpPageAllocator;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapFormat;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PreservedMemoryMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints, as JSON lines for {@code perf_report.py}, what the JMH numbers cannot carry: each memory-map
 * workload's block count and bitmap bytes per layout (for MB/s of bitmap), and the wall time of each of
 * {@link io.kho4j.handover.HandoverBuilder}'s own phases over repeated builds of the {@link HandoverHost}
 * handover (min, median, max after warm-up builds; the JMH methods of {@link HandoverBenchmark} time the
 * public steps).
 */
public final class WorkloadFacts {
    private static final List<MemoryMapFormat> FORMATS = List.of(MemoryMapFormat.CHUNKS_BITMAP512,
            MemoryMapFormat.CHUNKS_BITMAP_PAGE, MemoryMapFormat.RADIX);

    private WorkloadFacts() {
    }

    /** @param args {@code [builds]}: handover builds to time (default 20) @throws Exception if a workload fails */
    public static void main(String[] args) throws Exception {
        int builds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        for (MapShape shape : MapShape.values()) {
            for (PageSize pageSize : PageSize.values()) {
                PreservedMemoryMap map = shape.build(pageSize);
                for (MemoryMapFormat format : FORMATS) {
                    MemoryMapCodec codec = MemoryMapCodec.of(format, pageSize);
                    PhysicalMemory memory = PhysicalMemory.sparse(List.of(shape.ram()));
                    BumpPageAllocator allocator = BumpPageAllocator.over(pageSize, shape.preservedEnd(),
                            shape.ram().end());
                    long root = codec.encode(map, memory, allocator);
                    System.out.printf(Locale.ROOT, "{\"type\":\"memmap\",\"shape\":\"%s\",\"format\":\"%s\","
                            + "\"page_size\":\"%s\",\"blocks\":%d,\"bitmap_bytes\":%d,\"map_pages\":%d}%n", shape,
                            format, pageSize.name(), map.blockCount(), MemoryMapBenchmark.bitmapBytes(codec, memory, root),
                            allocator.allocatedPages());
                }
            }
        }
        Map<String, List<Long>> phases = new LinkedHashMap<>();
        for (int i = 0; i < builds + 5; i++) {
            Handover h = HandoverHost.build();
            if (i >= 5) {
                h.phases().forEach((name, ns) -> phases.computeIfAbsent(name, k -> new ArrayList<>()).add(ns));
            }
        }
        phases.forEach((name, ns) -> {
            List<Long> sorted = ns.stream().sorted().toList();
            System.out.printf(Locale.ROOT, "{\"type\":\"handover-phase\",\"phase\":\"%s\",\"min_ns\":%d,"
                    + "\"median_ns\":%d,\"max_ns\":%d,\"builds\":%d}%n", name, sorted.get(0),
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
        });
    }
}
