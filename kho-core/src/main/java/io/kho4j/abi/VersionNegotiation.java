package io.kho4j.abi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks, for each subsystem of an inbound handover, the best version its reader supports among the compatible
 * strings the producer wrote, or reports every subsystem that has none in one {@link NegotiationException}
 * (all mismatches at once, so an operator fixes them in one pass).
 *
 * <p>"Best" is the highest version of a family the reader supports among those found: a device-tree style
 * compatible list ({@code "x-v2", "x-v1"}) lets a producer offer older readers a fallback. Found strings that do
 * not parse are never chosen and are reported verbatim.
 *
 * <p>Use: {@code VersionNegotiation.create().offer(...).offer(...).resolve()}. Not thread-safe.
 */
public final class VersionNegotiation {
    private final Map<String, Offer> offers = new LinkedHashMap<>();

    private record Offer(List<String> found, List<CompatibleString> supported) {
    }

    private VersionNegotiation() {
    }

    /** @return an empty negotiation */
    public static VersionNegotiation create() {
        return new VersionNegotiation();
    }

    /**
     * Adds one subsystem.
     *
     * @param subsystem the subtree name
     * @param found the compatible strings the producer wrote, as found (unparsed)
     * @param supported the versions the reader can read
     * @return this negotiation
     * @throws IllegalArgumentException if the subsystem was already offered
     */
    public VersionNegotiation offer(String subsystem, List<String> found, Collection<CompatibleString> supported) {
        if (offers.putIfAbsent(subsystem, new Offer(List.copyOf(found), List.copyOf(supported))) != null) {
            throw new IllegalArgumentException("subsystem \"" + subsystem + "\" offered twice");
        }
        return this;
    }

    /**
     * @return the chosen version per subsystem, in offer order
     * @throws NegotiationException listing every subsystem without a common version
     */
    public Map<String, CompatibleString> resolve() throws NegotiationException {
        Map<String, CompatibleString> chosen = new LinkedHashMap<>();
        List<Mismatch> mismatches = new ArrayList<>();
        for (Map.Entry<String, Offer> e : offers.entrySet()) {
            Offer o = e.getValue();
            Optional<CompatibleString> best = best(o.found, o.supported);
            if (best.isPresent()) {
                chosen.put(e.getKey(), best.get());
            } else {
                mismatches.add(new Mismatch(e.getKey(), o.found, o.supported, explain(o.found, o.supported)));
            }
        }
        if (!mismatches.isEmpty()) {
            throw new NegotiationException(mismatches);
        }
        return chosen;
    }

    /**
     * @param found compatible strings as found
     * @param supported versions a reader supports
     * @return the highest supported version among those found
     */
    public static Optional<CompatibleString> best(List<String> found, Collection<CompatibleString> supported) {
        CompatibleString best = null;
        for (String f : found) {
            Optional<CompatibleString> c = CompatibleString.tryParse(f);
            if (c.isPresent() && supported.contains(c.get())
                    && (best == null || (c.get().sameFamily(best) && c.get().version() > best.version()))) {
                best = c.get();
            }
        }
        return Optional.ofNullable(best);
    }

    private static String explain(List<String> found, List<CompatibleString> supported) {
        if (found.isEmpty()) {
            return "the subtree carries no compatible string";
        }
        for (String f : found) {
            Optional<CompatibleString> c = CompatibleString.tryParse(f);
            if (c.isEmpty()) {
                continue;
            }
            int newest = -1;
            int oldest = Integer.MAX_VALUE;
            for (CompatibleString s : supported) {
                if (s.sameFamily(c.get())) {
                    newest = Math.max(newest, s.version());
                    oldest = Math.min(oldest, s.version());
                }
            }
            if (newest >= 0) {
                return c.get().version() > newest
                        ? "written by a newer producer (" + c.get() + "); this reader reads up to v" + newest
                        : c.get().version() < oldest
                                ? "written by an older producer (" + c.get() + "); this reader reads v" + oldest
                                        + " and later"
                                : c.get() + " falls in a gap of the supported versions";
            }
        }
        return "no version of the found famil" + (found.size() == 1 ? "y" : "ies") + " is supported";
    }
}
