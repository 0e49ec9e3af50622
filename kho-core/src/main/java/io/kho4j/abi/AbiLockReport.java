package io.kho4j.abi;

import java.util.List;
import java.util.Objects;

/**
 * The result of comparing current serializers with a committed {@link AbiLock}: every finding, and whether
 * the check passed (no {@link Severity#FAILURE}).
 *
 * @param findings every finding, failures first
 */
public record AbiLockReport(List<Finding> findings) {

    /** How serious a finding is. */
    public enum Severity {
        /** A layout changed under an unchanged compatible string: successors would misread it. */
        FAILURE,
        /** Something the lock records is no longer written; older successors may still expect it. */
        WARNING,
        /** A new subsystem, version or generation: allowed, and recorded by {@code kho abi lock}. */
        ADDED
    }

    /**
     * One finding.
     *
     * @param severity how serious
     * @param subsystem subtree name
     * @param version compatible string, or {@code ""} for a whole subsystem
     * @param message what changed, and for a failure which version to bump to
     */
    public record Finding(Severity severity, String subsystem, String version, String message) {
        /** Checks for nulls. */
        public Finding {
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(subsystem, "subsystem");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return severity + " " + subsystem + (version.isEmpty() ? "" : " " + version) + ": " + message;
        }
    }

    /** Copies the list, failures first. */
    public AbiLockReport {
        findings = findings.stream().sorted(java.util.Comparator.comparing(Finding::severity)).toList();
    }

    /** @return whether no finding is a failure */
    public boolean passed() {
        return findings.stream().noneMatch(f -> f.severity() == Severity.FAILURE);
    }

    /** @param severity a severity @return the findings of that severity */
    public List<Finding> findings(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }

    /** @return one finding per line, then a summary line */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Finding f : findings) {
            sb.append(f).append('\n');
        }
        sb.append(passed() ? "ABI lock check passed" : "ABI lock check FAILED").append(" (")
                .append(findings(Severity.FAILURE).size()).append(" failure(s), ")
                .append(findings(Severity.WARNING).size()).append(" warning(s), ")
                .append(findings(Severity.ADDED).size()).append(" addition(s))");
        return sb.toString();
    }
}
