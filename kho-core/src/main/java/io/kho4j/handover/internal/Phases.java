package io.kho4j.handover.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per named phase, in the order the phases ran; a repeated name adds up. Not thread-safe. */
public final class Phases {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Starts timing the next phase now. */
    public void start() {
        mark = System.nanoTime();
    }

    /**
     * Ends the current phase and starts the next.
     *
     * @param name the phase that just ended
     */
    public void end(String name) {
        long now = System.nanoTime();
        nanos.merge(name, now - mark, Long::sum);
        mark = now;
    }

    /** @return nanoseconds per phase, in order; unmodifiable */
    public Map<String, Long> nanos() {
        return Collections.unmodifiableMap(nanos);
    }
}
