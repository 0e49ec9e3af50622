package io.kho4j.tree;

/** A root the successor kernel would refuse, raised by {@link InboundResult#orThrow()}. */
public final class HandoverRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final InboundResult.Refused refusal;

    /** @param refusal the refusal */
    public HandoverRefusedException(InboundResult.Refused refusal) {
        super(refusal.toString());
        this.refusal = refusal;
    }

    /** @return the refusal */
    public InboundResult.Refused refusal() {
        return refusal;
    }
}
