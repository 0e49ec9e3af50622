package io.kho4j.scratch;

/**
 * The value of {@code kho_scratch=} / {@code kho_bootmem=}: either explicit sizes or a percentage of the memory
 * the kernel has reserved at boot (kho-abi.md §3, {@code kho_parse_scratch_size}).
 */
public sealed interface ScratchSizes {
    /** The kernel's default: 200% of kernel-reserved memory. */
    Scale DEFAULT = new Scale(200);

    /**
     * {@code ll[KMG],mm[KMG],nn[KMG]}.
     *
     * @param lowmem bytes below the arch low limit
     * @param global bytes anywhere
     * @param perNode bytes on each node
     */
    record Explicit(long lowmem, long global, long perNode) implements ScratchSizes {
    }

    /**
     * {@code nn%}.
     *
     * @param percent scale of kernel-reserved memory, an unsigned int
     */
    record Scale(long percent) implements ScratchSizes {
    }

    /**
     * Parses a value exactly as {@code kho_parse_scratch_size} does for the given syntax. Sizes use {@code
     * memparse}: C integer prefixes ({@code 0x} hex, leading {@code 0} octal) and K, M, G, T, P, E suffixes.
     * Unlike the kernel, a size that overflows 64 bits is rejected instead of wrapping.
     *
     * @param value the text after {@code =}
     * @param syntax which release's checks
     * @return the sizes
     * @throws ScratchParameterException if the kernel would return -EINVAL or -ERANGE
     */
    static ScratchSizes parse(String value, ScratchRules.SizeSyntax syntax) throws ScratchParameterException {
        return SizeParser.parseScratch(value, syntax);
    }
}
