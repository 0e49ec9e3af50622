package io.kho4j.abi;

/**
 * The KHO ABI generation cannot be determined, or not safely: the library refuses rather than guesses,
 * because a wrong guess loses every preserved page (kho-abi.md §8). {@link #kind()} says why; the message
 * says what the caller can do (usually: name the kernel release, or the generation, explicitly).
 */
public final class GenerationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the generation is not known. */
    public enum Kind {
        /** The text is not a kernel release. */
        MALFORMED_RELEASE,
        /** The release has no KHO (before 6.16) or is newer than the releases this library models. */
        UNSUPPORTED_RELEASE,
        /** The release maps to more than one generation (vendor backports, an -rc whose content is unknown). */
        AMBIGUOUS_RELEASE,
        /** The root tree's compatible string is shared by several generations ({@code kho-v1}). */
        AMBIGUOUS_TREE,
        /** The root tree names no KHO generation this library knows. */
        UNKNOWN_COMPATIBLE,
        /** The text is not a generation name. */
        UNKNOWN_NAME
    }

    private final Kind kind;

    /** @param kind why @param message what was found and what to do */
    public GenerationException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** @return why the generation is not known */
    public Kind kind() {
        return kind;
    }
}
