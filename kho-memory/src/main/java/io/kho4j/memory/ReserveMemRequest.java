package io.kho4j.memory;

import io.kho4j.host.KernelCommandLine;
import io.kho4j.scratch.Memparse;
import io.kho4j.scratch.ScratchParameterException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one {@code reserve_mem=size:align:name} parameter asks for, parsed as mm/memblock.c's {@code reserve_mem()}
 * does: {@code size} and {@code align} through {@code memparse}, a zero size refused, an alignment below
 * {@code SMP_CACHE_BYTES} raised to it, and the name being everything after the second {@code ':'} (1 to 15 bytes,
 * not only whitespace).
 *
 * @param name the region's name
 * @param size bytes, at least 1
 * @param align alignment in bytes after the kernel's minimum was applied
 */
public record ReserveMemRequest(String name, long size, long align) {
    /** {@code SMP_CACHE_BYTES} (L1 cache line) on x86-64 and arm64. */
    public static final long SMP_CACHE_BYTES = 64;
    /** {@code RESERVE_MEM_MAX_ENTRIES}: the kernel's table size; further parameters get {@code -EBUSY}. */
    public static final int MAX_ENTRIES = 8;
    /** The parameter's name on the command line. */
    public static final String PARAMETER = "reserve_mem";

    /** @throws IllegalArgumentException for an invalid name, a size below 1 or a non-power-of-two alignment */
    public ReserveMemRequest {
        ReserveMemRegion.checkName(name);
        if (size <= 0 || align <= 0 || Long.bitCount(align) != 1) {
            throw new IllegalArgumentException(String.format("reserve_mem '%s': size 0x%x, align 0x%x", name, size,
                    align));
        }
    }

    /**
     * Parses one parameter value.
     *
     * @param value the text after {@code reserve_mem=}
     * @return the request
     * @throws ReserveMemParameterException if the kernel would return {@code -EINVAL}
     */
    public static ReserveMemRequest parse(String value) throws ReserveMemParameterException {
        try {
            Memparse.Result size = Memparse.parse(value, 0);
            if (size.end() == 0 || size.value() == 0) {
                throw invalid(value, "the size is missing or zero");
            }
            if (size.end() >= value.length() || value.charAt(size.end()) != ':') {
                throw invalid(value, "expected ':' after the size at position " + size.end());
            }
            Memparse.Result align = Memparse.parse(value, size.end() + 1);
            if (align.end() >= value.length() || value.charAt(align.end()) != ':') {
                throw invalid(value, "expected ':' after the alignment at position " + align.end());
            }
            if (align.value() < 0 || Long.bitCount(align.value()) > 1) {
                throw invalid(value, "alignment 0x" + Long.toHexString(align.value()) + " is not a power of two below"
                        + " 2^63 (the kernel would misalign silently)");
            }
            // "memblock_phys_alloc() doesn't like a zero size align, but it is OK for this command to have it."
            long a = Math.max(align.value(), SMP_CACHE_BYTES);
            return new ReserveMemRequest(value.substring(align.end() + 1), size.value(), a);
        } catch (ScratchParameterException e) {
            throw invalid(value, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw invalid(value, e.getMessage());
        }
    }

    /**
     * Every {@code reserve_mem=} parameter of a command line, in order.
     *
     * @param commandLine the kernel command line
     * @return the requests
     * @throws ReserveMemParameterException listing every parameter the kernel would reject ({@code -EINVAL}, or
     *     {@code -EBUSY} for a repeated name or more than {@link #MAX_ENTRIES}); the kernel skips those and keeps the
     *     rest, so the caller decides whether to go on without them
     */
    public static List<ReserveMemRequest> fromCommandLine(KernelCommandLine commandLine)
            throws ReserveMemParameterException {
        List<ReserveMemRequest> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (KernelCommandLine.Parameter p : commandLine.parameters()) {
            if (!p.name().equals(PARAMETER)) {
                continue;
            }
            try {
                if (out.size() >= MAX_ENTRIES) {
                    throw new ReserveMemParameterException("reserve_mem=" + p.value().orElse("") + ": the kernel keeps"
                            + " at most " + MAX_ENTRIES + " regions (-EBUSY)");
                }
                ReserveMemRequest r = parse(p.value().orElse(""));
                if (!names.add(r.name())) {
                    throw new ReserveMemParameterException("reserve_mem=" + p.value().orElse("") + ": the name '"
                            + r.name() + "' is already used (-EBUSY)");
                }
                out.add(r);
            } catch (ReserveMemParameterException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ReserveMemParameterException(String.join("; ", problems));
        }
        return out;
    }

    private static ReserveMemParameterException invalid(String value, String why) {
        return new ReserveMemParameterException("reserve_mem=" + value + ": " + why + " (-EINVAL)");
    }
}
