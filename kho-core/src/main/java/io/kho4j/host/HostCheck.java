package io.kho4j.host;

import java.util.Objects;
import java.util.Optional;

/**
 * One finding of {@link HostDoctor}: what was looked at, what was found, in plain words, and what to do.
 *
 * @param id a stable identifier ({@code kho-cmdline}, {@code debugfs}, ...) for scripts
 * @param status how it affects a handover
 * @param summary what was found
 * @param remedy what to do about it, when there is something to do
 */
public record HostCheck(String id, Status status, String summary, Optional<String> remedy) {

    /** How a finding affects a handover. */
    public enum Status {
        /** Present and as needed. */
        OK,
        /** Needed for a handover and not there. */
        MISSING,
        /** Works, but something may go wrong or be lost. */
        WARNING,
        /** For information; neither needed nor in the way. */
        INFO
    }

    /** @throws NullPointerException if a component is null */
    public HostCheck {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(remedy, "remedy");
    }

    static HostCheck of(String id, Status status, String summary) {
        return new HostCheck(id, status, summary, Optional.empty());
    }

    static HostCheck of(String id, Status status, String summary, String remedy) {
        return new HostCheck(id, status, summary, Optional.of(remedy));
    }
}
