package io.kho4j.gic;

import java.io.IOException;

/**
 * A boot DTB the GIC reserved-memory hand-off cannot be applied to: no GIC node at the given path, cell counts
 * other than 1 or 2, a {@code /reserved-memory} that translates addresses, or a table that does not fit the cells.
 */
public final class GicDeviceTreeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /** @param offset blob offset of the node concerned, or -1 @param message what was wrong */
    public GicDeviceTreeException(int offset, String message) {
        super(offset >= 0 ? message + " (offset " + offset + ")" : message);
        this.offset = offset;
    }

    /** @return blob offset of the node concerned, or -1 */
    public int offset() {
        return offset;
    }
}
