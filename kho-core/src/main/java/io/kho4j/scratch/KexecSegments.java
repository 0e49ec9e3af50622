package io.kho4j.scratch;

import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Places kexec segments inside scratch as {@code kexec_add_buffer} does on a KHO kernel: sizes rounded up to
 * a page, alignment at least a page, scratch areas tried in array order ({@code kho_locate_mem_hole} /
 * {@code kho_walk_scratch}), and within an area {@code locate_mem_hole_top_down} or {@code _bottom_up}. The
 * kernel steps one page past a conflicting segment and re-aligns until it is clear; jumping straight past the
 * segment reaches the same aligned address without walking a large segment page by page.
 */
public final class KexecSegments {
    /** The scratch array segment's alignment: {@code .buf_align = SZ_64K} in {@code kho_fill_kimage} (kho-abi.md §3). */
    public static final long SCRATCH_ARRAY_ALIGN = 64 * 1024;

    private KexecSegments() {
    }

    /**
     * A {@code struct kexec_buf} request.
     *
     * @param name for reports
     * @param size {@code memsz} in bytes
     * @param alignment {@code buf_align}
     * @param minAddress {@code buf_min}
     * @param topDown {@code top_down}
     */
    public record Request(String name, long size, long alignment, long minAddress, boolean topDown) {
        /** @throws IllegalArgumentException for a size below 1 or an alignment that is not a power of two */
        public Request {
            Objects.requireNonNull(name, "name");
            if (size <= 0 || alignment <= 0 || Long.bitCount(alignment) != 1 || minAddress < 0) {
                throw new IllegalArgumentException("invalid kexec segment " + name);
            }
        }

        /** @param areas entries in the array @return the {@code kho_fill_kimage} request for the scratch array */
        public static Request scratchArray(int areas) {
            return new Request("kho scratch array", (long) areas * ScratchArray.ENTRY_BYTES, SCRATCH_ARRAY_ALIGN, 0, true);
        }
    }

    /**
     * @param request what was asked
     * @param range where it went (size rounded up to a page)
     */
    public record Placement(Request request, PhysRange range) {
    }

    /**
     * @param placements segments that fit, in request order
     * @param findings one {@link ScratchFinding.Kind#SEGMENT_DOES_NOT_FIT} per segment that did not
     */
    public record Result(List<Placement> placements, List<ScratchFinding> findings) {
        /** Copies the lists. */
        public Result {
            placements = List.copyOf(placements);
            findings = List.copyOf(findings);
        }
    }

    /**
     * @param scratch the scratch areas, in array order
     * @param requests segments in the order the loader adds them
     * @param pageSize page size
     * @return placements and findings
     */
    public static Result place(List<ScratchArea> scratch, List<Request> requests, PageSize pageSize) {
        List<Placement> placed = new ArrayList<>();
        List<ScratchFinding> findings = new ArrayList<>();
        for (Request r : requests) {
            long memsz = alignUp(r.size(), pageSize.bytes());
            long align = Math.max(r.alignment(), pageSize.bytes());
            long found = -1;
            for (ScratchArea area : scratch) {
                if (area.size() < memsz || area.end() - 1 < r.minAddress()) {
                    continue;
                }
                found = r.topDown() ? topDown(area, memsz, align, r.minAddress(), placed, pageSize)
                        : bottomUp(area, memsz, align, r.minAddress(), placed, pageSize);
                if (found >= 0) {
                    break;
                }
            }
            if (found < 0) {
                findings.add(new ScratchFinding(ScratchFinding.Kind.SEGMENT_DOES_NOT_FIT, new PhysRange(0, memsz),
                        String.format("%s (0x%x bytes, aligned to 0x%x) fits in no scratch area next to the %d "
                                + "segments already placed", r.name(), memsz, align, placed.size())));
            } else {
                placed.add(new Placement(r, new PhysRange(found, memsz)));
            }
        }
        return new Result(placed, findings);
    }

    private static long topDown(ScratchArea area, long memsz, long align, long min, List<Placement> placed,
            PageSize pageSize) {
        long start = area.end() - memsz;
        while (true) {
            start &= -align;
            if (start < area.address() || start < min) {
                return -1;
            }
            PhysRange conflict = conflict(start, memsz, placed);
            if (conflict == null) {
                return start;
            }
            start = Math.min(start - pageSize.bytes(), conflict.start() - memsz);
        }
    }

    private static long bottomUp(ScratchArea area, long memsz, long align, long min, List<Placement> placed,
            PageSize pageSize) {
        long start = Math.max(area.address(), min);
        while (true) {
            start = alignUp(start, align);
            if (start + memsz > area.end()) {
                return -1;
            }
            PhysRange conflict = conflict(start, memsz, placed);
            if (conflict == null) {
                return start;
            }
            start = Math.max(start + pageSize.bytes(), conflict.end());
        }
    }

    private static PhysRange conflict(long start, long size, List<Placement> placed) {
        PhysRange candidate = new PhysRange(start, size);
        for (Placement p : placed) {
            if (p.range().overlaps(candidate)) {
                return p.range();
            }
        }
        return null;
    }

    private static long alignUp(long value, long align) {
        return (value + align - 1) & -align;
    }
}
