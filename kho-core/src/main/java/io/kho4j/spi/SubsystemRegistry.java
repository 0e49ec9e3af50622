package io.kho4j.spi;

import io.kho4j.abi.NegotiationException;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.Mismatch;
import io.kho4j.abi.VersionNegotiation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The serializers and restorers of a handover, by subtree name: discovered with {@link ServiceLoader}, registered
 * by hand, or both. Names are unique, as the kernel's root tree requires ({@code kho_add_subtree} returns
 * {@code -EEXIST} for a second child of the same name). Not thread-safe.
 */
public final class SubsystemRegistry {
    private final Map<String, SubsystemSerializer<?>> serializers = new LinkedHashMap<>();
    private final Map<String, Restorer<?>> restorers = new LinkedHashMap<>();

    private SubsystemRegistry() {
    }

    /** @return an empty registry */
    public static SubsystemRegistry empty() {
        return new SubsystemRegistry();
    }

    /**
     * @return a registry of every {@link SubsystemSerializer} and {@link Restorer} provider visible to
     *     {@link ServiceLoader} from this module (module path {@code provides}, or META-INF/services on the class path)
     * @throws IllegalArgumentException if two providers claim the same name
     * @throws java.util.ServiceConfigurationError if a provider cannot be instantiated
     */
    @SuppressWarnings("rawtypes")
    public static SubsystemRegistry discover() {
        SubsystemRegistry r = new SubsystemRegistry();
        for (SubsystemSerializer s : ServiceLoader.load(SubsystemSerializer.class)) {
            r.register((SubsystemSerializer<?>) s);
        }
        for (Restorer s : ServiceLoader.load(Restorer.class)) {
            r.register((Restorer<?>) s);
        }
        return r;
    }

    /**
     * @param serializer a serializer
     * @return this registry
     * @throws IllegalArgumentException if a serializer of that name is registered (the kernel's EEXIST)
     */
    public SubsystemRegistry register(SubsystemSerializer<?> serializer) {
        SubsystemSerializer<?> old = serializers.putIfAbsent(serializer.name(), serializer);
        if (old != null) {
            throw new IllegalArgumentException("a serializer named \"" + serializer.name() + "\" is already registered ("
                    + old.getClass().getName() + "); subtree names are unique (kho_add_subtree: -EEXIST)");
        }
        return this;
    }

    /**
     * @param restorer a restorer
     * @return this registry
     * @throws IllegalArgumentException if a restorer of that name is registered
     */
    public SubsystemRegistry register(Restorer<?> restorer) {
        Restorer<?> old = restorers.putIfAbsent(restorer.name(), restorer);
        if (old != null) {
            throw new IllegalArgumentException("a restorer named \"" + restorer.name() + "\" is already registered ("
                    + old.getClass().getName() + ")");
        }
        return this;
    }

    /** @return the serializers in registration order */
    public List<SubsystemSerializer<?>> serializers() {
        return List.copyOf(serializers.values());
    }

    /** @return the restorers in registration order */
    public List<Restorer<?>> restorers() {
        return List.copyOf(restorers.values());
    }

    /** @param name subtree name @return its serializer */
    public Optional<SubsystemSerializer<?>> serializer(String name) {
        return Optional.ofNullable(serializers.get(name));
    }

    /** @param name subtree name @return its restorer */
    public Optional<Restorer<?>> restorer(String name) {
        return Optional.ofNullable(restorers.get(name));
    }

    /**
     * Negotiates a version for every inbound subtree that has a restorer. Subtrees without one are left alone, as
     * the kernel leaves subtrees nobody retrieves.
     *
     * @param inbound the inbound subtrees
     * @return the chosen version per subtree name
     * @throws NegotiationException listing every subtree whose versions its restorer cannot read, including
     *     those too malformed to declare a version
     */
    public Map<String, CompatibleString> negotiate(Collection<InboundSubtree> inbound) throws NegotiationException {
        VersionNegotiation n = VersionNegotiation.create();
        List<Mismatch> unreadable = new ArrayList<>();
        for (InboundSubtree s : inbound) {
            Restorer<?> r = restorers.get(s.name());
            if (r == null) {
                continue;
            }
            try {
                n.offer(s.name(), r.versionsIn(s), r.reads());
            } catch (RestoreException e) {
                unreadable.add(new Mismatch(s.name(), List.of(), r.reads(), "cannot read its version: " + e.getMessage()));
            }
        }
        Map<String, CompatibleString> chosen = Map.of();
        List<Mismatch> all = new ArrayList<>();
        try {
            chosen = n.resolve();
        } catch (NegotiationException e) {
            all.addAll(e.mismatches());
        }
        all.addAll(unreadable);
        if (!all.isEmpty()) {
            throw new NegotiationException(all);
        }
        return chosen;
    }
}
