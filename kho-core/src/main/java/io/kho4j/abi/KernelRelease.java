package io.kho4j.abi;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux kernel release as {@code uname -r} prints it: {@code major.minor[.patch][-rcN][local version]}, for
 * example {@code 6.17.9}, {@code 7.4.0-rc1}, {@code 6.18-rc3}, {@code 6.17.0-14-generic}.
 *
 * <p>The stable sub-version matters: the 512-byte to page-size bitmap change was backported into 6.17.9
 * (kho-abi.md §9.x). A local version (anything after the numbers and the -rc tag: {@code -14-generic},
 * {@code -200.fc43.x86_64}, {@code +}) marks a vendor or locally built kernel, which may carry backports
 * its numbers do not show; {@link AbiGeneration#forKernelRelease} uses that to refuse rather than guess.
 *
 * <p>Ordering: by major, minor, patch; a release candidate sorts before the release ({@code 6.18-rc7 <
 * 6.18.0}); the local version does not take part in the order (but does in equality).
 *
 * @param major major number
 * @param minor minor number
 * @param patch stable sub-version, 0 if absent
 * @param rc release-candidate number, 0 for a release
 * @param localVersion what followed, {@code ""} if nothing
 */
public record KernelRelease(int major, int minor, int patch, int rc, String localVersion)
        implements Comparable<KernelRelease> {

    private static final Pattern RELEASE = Pattern.compile(
            "(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,6}))?(?:-rc(\\d{1,4}))?([-+~_.].{0,200})?");

    private static final Comparator<KernelRelease> ORDER = Comparator.comparingInt(KernelRelease::major)
            .thenComparingInt(KernelRelease::minor).thenComparingInt(KernelRelease::patch)
            .thenComparingInt(r -> r.rc == 0 ? Integer.MAX_VALUE : r.rc);

    /** @throws IllegalArgumentException for negative numbers or a null local version */
    public KernelRelease {
        if (major < 0 || minor < 0 || patch < 0 || rc < 0) {
            throw new IllegalArgumentException("negative number in release " + major + "." + minor + "." + patch
                    + " rc" + rc);
        }
        if (rc > 0 && patch > 0) {
            throw new IllegalArgumentException("a release candidate has no stable sub-version: " + major + "."
                    + minor + "." + patch + "-rc" + rc);
        }
        Objects.requireNonNull(localVersion, "localVersion");
    }

    /**
     * Parses a release string.
     *
     * @param text the release, as {@code uname -r} prints it
     * @return the release
     * @throws GenerationException of kind {@link GenerationException.Kind#MALFORMED_RELEASE} if it does not
     *     start with {@code major.minor}, or has {@code -rc0}
     */
    public static KernelRelease parse(String text) throws GenerationException {
        Matcher m = RELEASE.matcher(text.strip());
        if (!m.matches()) {
            throw new GenerationException(GenerationException.Kind.MALFORMED_RELEASE, "\"" + text
                    + "\" is not a kernel release (expected major.minor[.patch][-rcN][local], e.g. 6.17.9 or 7.4.0-rc1)");
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int rc = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        if (m.group(4) != null && rc == 0) {
            // rc == 0 means "a release" here, so "-rc0" would print back as something else.
            throw new GenerationException(GenerationException.Kind.MALFORMED_RELEASE, "\"" + text
                    + "\" has -rc0; release candidates count from 1");
        }
        if (rc > 0 && patch > 0) {
            throw new GenerationException(GenerationException.Kind.MALFORMED_RELEASE, "\"" + text
                    + "\" has both a stable sub-version and an -rc tag");
        }
        return new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch, rc,
                m.group(5) == null ? "" : m.group(5));
    }

    /** @param major major @param minor minor @param patch stable sub-version @return a plain release */
    public static KernelRelease of(int major, int minor, int patch) {
        return new KernelRelease(major, minor, patch, 0, "");
    }

    /** @param major major @param minor minor @param rc release-candidate number @return {@code major.minor-rcN} */
    public static KernelRelease rc(int major, int minor, int rc) {
        return new KernelRelease(major, minor, 0, rc, "");
    }

    /** @return whether this is a release candidate */
    public boolean isReleaseCandidate() {
        return rc > 0;
    }

    /** @return the local version, if any (a vendor or locally built kernel) */
    public Optional<String> local() {
        return localVersion.isEmpty() ? Optional.empty() : Optional.of(localVersion);
    }

    /** @param major major @param minor minor @return whether this release belongs to the {@code major.minor} series */
    public boolean inSeries(int major, int minor) {
        return this.major == major && this.minor == minor;
    }

    /** @param other a release @return whether this one sorts before it (local versions ignored) */
    public boolean isBefore(KernelRelease other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(KernelRelease o) {
        return ORDER.compare(this, o);
    }

    /** @return the release in {@code uname -r} form */
    @Override
    public String toString() {
        return major + "." + minor + (patch > 0 || rc == 0 ? "." + patch : "") + (rc > 0 ? "-rc" + rc : "")
                + localVersion;
    }
}
