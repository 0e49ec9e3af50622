package io.kho4j.abi;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A versioned compatible string: an optional vendor prefix, a name and a version, {@code [vendor ","] name
 * "-v" N}, for example {@code "kho-v4"}, {@code "reserve-mem-v1"}, {@code "ftrace,cpu-v1"},
 * {@code "kho4j,vm-memory-v1"}.
 *
 * <p>The version is the ABI contract: upstream bumps it for "any modification to the FDT structure, node
 * properties, compatible string, or the layout of the data structures referenced" (kho-abi.md §5, quoting
 * include/linux/kho/abi/kexec_handover.h). Two strings are of the same <em>family</em> when vendor and name
 * match; within a family a higher version is newer.
 *
 * <p>Grammar (strict, so that a typo does not silently become a different family):
 * <pre>
 *   compatible = [ vendor "," ] name "-v" version
 *   vendor     = word *( "-" word )
 *   name       = word *( "-" word )
 *   word       = 1*( "a".."z" / "0".."9" / "_" / "." / "+" )
 *   version    = "0" / ( "1".."9" *9( "0".."9" ) )     ; at most Integer.MAX_VALUE
 * </pre>
 * Upper case, spaces, empty words, a second vendor comma and upstream's proposed composite strings
 * ({@code "kho-v4;radix-v1"}, kho-abi.md §9.9, not merged) are rejected with the position of the first
 * offending character. Instances are immutable values.
 */
public final class CompatibleString implements Comparable<CompatibleString> {
    private static final Comparator<CompatibleString> ORDER = Comparator.comparing(CompatibleString::family)
            .thenComparingInt(CompatibleString::version);

    private final String vendor;
    private final String name;
    private final int version;

    private CompatibleString(String vendor, String name, int version) {
        this.vendor = vendor;
        this.name = name;
        this.version = version;
    }

    /**
     * Parses a compatible string from untrusted input (a blob, a file, a command line).
     *
     * @param text the string
     * @return the value
     * @throws CompatibleStringException naming the offending position if {@code text} breaks the grammar
     */
    public static CompatibleString parse(String text) throws CompatibleStringException {
        Objects.requireNonNull(text, "text");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isWordChar(c) && c != '-' && c != ',') {
                throw new CompatibleStringException(text, i, "character '" + printable(c) + "' is not allowed"
                        + " (lower-case letters, digits, '_', '.', '+', '-' between words, ',' after a vendor)");
            }
        }
        int comma = text.indexOf(',');
        String vendor = null;
        int nameStart = 0;
        if (comma >= 0) {
            vendor = text.substring(0, comma);
            checkWords(text, 0, comma, "vendor");
            nameStart = comma + 1;
            int second = text.indexOf(',', nameStart);
            if (second >= 0) {
                throw new CompatibleStringException(text, second, "a second ',' (only one vendor prefix is allowed)");
            }
        }
        int dashV = text.lastIndexOf("-v");
        if (dashV < nameStart) {
            throw new CompatibleStringException(text, text.length(), "no \"-v<N>\" version suffix");
        }
        checkWords(text, nameStart, dashV, "name");
        int version = parseVersion(text, dashV + 2);
        return new CompatibleString(vendor, text.substring(nameStart, dashV), version);
    }

    /**
     * Parses a compatible string written in code; use {@link #parse} for input.
     *
     * @param text the string
     * @return the value
     * @throws IllegalArgumentException if {@code text} breaks the grammar
     */
    public static CompatibleString of(String text) {
        try {
            return parse(text);
        } catch (CompatibleStringException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @param text the string @return the value, or empty if {@code text} breaks the grammar */
    public static Optional<CompatibleString> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (CompatibleStringException e) {
            return Optional.empty();
        }
    }

    /**
     * @param vendor vendor prefix, or null for none
     * @param name name without the version
     * @param version version number, 0 or more
     * @return the value
     * @throws IllegalArgumentException if the parts do not form a valid string
     */
    public static CompatibleString of(String vendor, String name, int version) {
        if (version < 0) {
            throw new IllegalArgumentException("negative version " + version);
        }
        return of((vendor == null ? "" : vendor + ",") + name + "-v" + version);
    }

    private static void checkWords(String text, int from, int to, String what) throws CompatibleStringException {
        if (from == to) {
            throw new CompatibleStringException(text, from, "empty " + what);
        }
        boolean wordStart = true;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '-') {
                if (wordStart) {
                    throw new CompatibleStringException(text, i, "'-' must separate two non-empty words");
                }
                wordStart = true;
                continue;
            }
            wordStart = false;
        }
        if (wordStart) {
            throw new CompatibleStringException(text, to - 1, "'-' must separate two non-empty words");
        }
    }

    private static int parseVersion(String text, int from) throws CompatibleStringException {
        if (from == text.length()) {
            throw new CompatibleStringException(text, from, "no digits after \"-v\"");
        }
        long v = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new CompatibleStringException(text, i, "character '" + printable(c)
                        + "' in the version (digits only)");
            }
            if (i == from + 1 && text.charAt(from) == '0') {
                throw new CompatibleStringException(text, from, "leading zero in the version");
            }
            v = v * 10 + (c - '0');
            if (v > Integer.MAX_VALUE) {
                throw new CompatibleStringException(text, i, "version larger than " + Integer.MAX_VALUE);
            }
        }
        return (int) v;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '+';
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    /** @return the vendor prefix ({@code "ftrace"} in {@code "ftrace,cpu-v1"}), or empty */
    public Optional<String> vendor() {
        return Optional.ofNullable(vendor);
    }

    /** @return the name without vendor and version ({@code "reserve-mem"}) */
    public String name() {
        return name;
    }

    /** @return the version number */
    public int version() {
        return version;
    }

    /** @return vendor and name without the version ({@code "ftrace,cpu"}): what stays the same across bumps */
    public String family() {
        return vendor == null ? name : vendor + "," + name;
    }

    /** @param other another string @return whether both are versions of the same family */
    public boolean sameFamily(CompatibleString other) {
        return family().equals(other.family());
    }

    /** @param version a version number @return this family at that version */
    public CompatibleString withVersion(int version) {
        return of(vendor, name, version);
    }

    /** @return this family at the next version: what a layout change requires */
    public CompatibleString next() {
        return withVersion(Math.addExact(version, 1));
    }

    /** Orders by family, then by version. */
    @Override
    public int compareTo(CompatibleString o) {
        return ORDER.compare(this, o);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompatibleString c && c.version == version && c.name.equals(name)
                && Objects.equals(c.vendor, vendor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vendor, name, version);
    }

    /** @return the string as written in a blob */
    @Override
    public String toString() {
        return family() + "-v" + version;
    }
}
