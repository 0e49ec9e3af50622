package io.kho4j.memory;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the Live Update Orchestrator hands over (6.19+; kho-abi.md §4, §9.6): the live-update counter, the
 * preserved sessions with their files, and the File-Lifecycle-Bound global objects.
 *
 * @param liveupdateNumber {@code liveupdate-number} / {@code luo_ser.liveupdate_num} as written: the number of live
 *     updates so far, the incoming value plus one
 * @param sessions the sessions in serialization order, names unique
 * @param flbs the FLB table, or empty where none is written: 6.19 has no {@code luo-flb} node; 7.0 – 7.1 always
 *     write one (7.0 and 7.1 readers require it); 7.2+ write {@code flbs_pa} = 0 for none
 */
public record LuoState(long liveupdateNumber, List<LuoSession> sessions, Optional<List<LuoFlb>> flbs) {
    /** @throws IllegalArgumentException if two sessions share a name or two FLBs a name */
    public LuoState {
        sessions = List.copyOf(sessions);
        flbs = flbs.map(List::copyOf);
        Set<String> names = new HashSet<>();
        for (LuoSession s : sessions) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("LUO session '" + s.name() + "' appears twice (the kernel refuses"
                        + " duplicate names with -EEXIST)");
            }
        }
        Set<String> flbNames = new HashSet<>();
        for (LuoFlb f : flbs.orElse(List.of())) {
            if (!flbNames.add(f.name())) {
                throw new IllegalArgumentException("FLB '" + f.name() + "' appears twice");
            }
        }
    }

    /** @param name a session name @return that session */
    public Optional<LuoSession> session(String name) {
        Objects.requireNonNull(name, "name");
        return sessions.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
