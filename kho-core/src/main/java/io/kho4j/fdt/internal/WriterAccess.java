package io.kho4j.fdt.internal;

import io.kho4j.fdt.FdtWriter;

/**
 * Reaches into {@link FdtWriter} from other kho4j packages without public API on it: {@code TreeCodec}
 * computes a blob's exact size with a strings table of its own, and hands that table to the writer so that
 * the names are not stored a second time.
 */
public final class WriterAccess {
    /** FdtWriter's side, installed by its static initializer: any writer instance implies it is there. */
    @FunctionalInterface
    public interface StringsAdopter {
        /** @return whether the writer took the table (see {@link #adoptStrings}) */
        boolean adopt(FdtWriter writer, FdtStrings table);
    }

    private static volatile StringsAdopter adopter;

    private WriterAccess() {
    }

    /** @param a FdtWriter's adopter; only FdtWriter calls this, once */
    public static void install(StringsAdopter a) {
        if (adopter != null) {
            throw new IllegalStateException("the strings adopter is installed already");
        }
        adopter = a;
    }

    /**
     * Gives a writer that has written no property yet a strings table built from the very names, in the
     * very order, that the writer will be given. The writer declines a table of the other order, or one
     * whose offsets moved after they were handed out ({@link FdtStrings#handedOutOffsetsFinal()}); then it
     * builds its own, with the same result.
     *
     * @return whether the writer took the table
     */
    public static boolean adoptStrings(FdtWriter writer, FdtStrings table) {
        return adopter.adopt(writer, table);
    }
}
