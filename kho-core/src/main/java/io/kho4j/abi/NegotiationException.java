package io.kho4j.abi;

import java.util.List;

/**
 * Version negotiation failed for one or more subsystems; {@link #mismatches()} lists every one, and the message
 * has one line per mismatch: subsystem, found, supported, reason.
 */
public final class NegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Mismatch> mismatches;

    /** @param mismatches every subsystem without a common version, at least one */
    public NegotiationException(List<Mismatch> mismatches) {
        super(message(mismatches));
        this.mismatches = List.copyOf(mismatches);
    }

    private static String message(List<Mismatch> mismatches) {
        if (mismatches.isEmpty()) {
            throw new IllegalArgumentException("a negotiation failure needs at least one mismatch");
        }
        StringBuilder sb = new StringBuilder(mismatches.size() + " subsystem(s) cannot be read:");
        for (Mismatch m : mismatches) {
            sb.append("\n  ").append(m);
        }
        return sb.toString();
    }

    /** @return every subsystem without a common version, in negotiation order */
    public List<Mismatch> mismatches() {
        return mismatches;
    }
}
