package io.kho4j.cli;

/**
 * The exit codes of every kho command (DESIGN.md §4). Scripts rely on them: keep their meaning stable.
 */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The input (a file's content, an unreadable file, a value out of range) is invalid. */
    public static final int INVALID_INPUT = 1;
    /** The command line itself is wrong: unknown option, missing argument, unparsable number. */
    public static final int USAGE = 2;
    /** Not the input's fault: a facility is missing on this machine (libfdt), or kho has a bug. */
    public static final int CANNOT_RUN = 3;

    private ExitCodes() {
    }
}
