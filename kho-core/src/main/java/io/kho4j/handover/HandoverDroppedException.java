package io.kho4j.handover;

/** A handover the successor drops as a whole, raised by {@link InboundOutcome#orThrow()}. */
public final class HandoverDroppedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final InboundOutcome.Dropped dropped;

    /** @param dropped what was dropped and why */
    public HandoverDroppedException(InboundOutcome.Dropped dropped) {
        super(dropped.toString());
        this.dropped = dropped;
    }

    /** @return what was dropped and why */
    public InboundOutcome.Dropped dropped() {
        return dropped;
    }
}
