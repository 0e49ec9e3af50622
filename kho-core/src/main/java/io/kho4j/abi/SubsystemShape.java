package io.kho4j.abi;

import java.util.List;
import java.util.Objects;

/**
 * The ABI shape of one subsystem: every version it writes.
 *
 * @param name the subtree name under the KHO root
 * @param versions one per compatible version, in version order
 */
public record SubsystemShape(String name, List<VersionShape> versions) {
    /** Copies the list. */
    public SubsystemShape {
        Objects.requireNonNull(name, "name");
        versions = List.copyOf(versions);
    }
}
