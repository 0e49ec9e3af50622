package io.kho4j.host;

import io.kho4j.preserve.PhysRange;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The KHO state a kernel exposes, as raw bytes: the root FDT, each subsystem's blob by name, and the scratch
 * areas. Outgoing state is what the running kernel will hand over; incoming state is what the previous kernel
 * handed to this one (no scratch areas are listed for it). Nothing here is validated: pass the bytes to
 * {@link io.kho4j.fdt.FdtValidator} or a subsystem decoder.
 *
 * <p>Sub-blobs are FDTs up to 7.0 ({@code sub_fdts/}); from 7.1 they may be any bytes, sized by the root's
 * {@code blob-size} (kho-abi.md §4).
 */
public final class KhoState {
    private final byte[] rootFdt;
    private final TreeMap<String, byte[]> subBlobs = new TreeMap<>();
    private final List<PhysRange> scratch;

    /**
     * @param rootFdt the root FDT, or empty when it is not there (6.16 – 7.0 before finalize)
     * @param subBlobs each subsystem's blob by name; copied
     * @param scratch the scratch areas in kernel order: [0] low memory, [1] global, [2..] per node (kho-abi.md §3)
     */
    public KhoState(Optional<byte[]> rootFdt, Map<String, byte[]> subBlobs, List<PhysRange> scratch) {
        this.rootFdt = rootFdt.map(byte[]::clone).orElse(null);
        subBlobs.forEach((name, blob) -> this.subBlobs.put(name, blob.clone()));
        this.scratch = List.copyOf(scratch);
    }

    /** @return a copy of the root FDT, or empty if the kernel does not show one (yet) */
    public Optional<byte[]> rootFdt() {
        return Optional.ofNullable(rootFdt).map(byte[]::clone);
    }

    /** @return the names of the subsystem blobs, sorted */
    public SortedSet<String> subBlobNames() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(subBlobs.keySet()));
    }

    /** @param name a subsystem blob name @return a copy of its bytes, or empty if there is none by that name */
    public Optional<byte[]> subBlob(String name) {
        return Optional.ofNullable(subBlobs.get(name)).map(byte[]::clone);
    }

    /** @return the scratch areas in kernel order; empty for incoming state */
    public List<PhysRange> scratch() {
        return scratch;
    }

    @Override
    public String toString() {
        return "KhoState[root=" + (rootFdt == null ? "absent" : rootFdt.length + " bytes") + ", blobs="
                + subBlobs.keySet() + ", scratch=" + scratch + "]";
    }
}
