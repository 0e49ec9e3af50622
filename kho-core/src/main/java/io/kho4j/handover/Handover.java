package io.kho4j.handover;

import io.kho4j.preserve.PreservedMemoryMap;
import io.kho4j.proto.HandOff;
import io.kho4j.proto.HandoverManifest;
import io.kho4j.proto.Region;
import io.kho4j.scratch.ScratchPlan;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A handover written into physical memory by {@link HandoverBuilder}: everything a successor needs is in
 * memory, {@link #handOff()} says where it starts, and {@link #manifest()} records what was preserved and how
 * to check that it arrived intact.
 *
 * @param target the kernels and machine facts
 * @param plan where the scratch areas are
 * @param rootPhys physical address of the root KHO FDT
 * @param root the root FDT's bytes
 * @param map the preserved blocks
 * @param handOff what the successor is given: the setup_data chain head or the boot DTB
 * @param manifest the integrity manifest
 * @param phases wall time per build phase, in nanoseconds, in order
 */
public record Handover(HandoverTarget target, ScratchPlan plan, long rootPhys, byte[] root, PreservedMemoryMap map,
        HandOff handOff, HandoverManifest manifest, Map<String, Long> phases) {

    /** Checks for nulls and copies the root and the phases. */
    public Handover {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(plan, "plan");
        root = root.clone();
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(handOff, "handOff");
        Objects.requireNonNull(manifest, "manifest");
        phases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases));
    }

    /** @return a copy of the root FDT */
    @Override
    public byte[] root() {
        return root.clone();
    }

    /** @return everything placed in memory (blobs, folios, map pages, segments), from the manifest */
    public List<Region> regions() {
        return manifest.getRegionsList();
    }
}
