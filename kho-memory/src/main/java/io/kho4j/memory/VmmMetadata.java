package io.kho4j.memory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a VMM hands over about a guest besides its RAM, carried as the protobuf message {@code kho4j.memory.VmmMetadata}
 * (kho-memory/src/main/proto/io/kho4j/memory/vm_memory.proto). Immutable.
 *
 * @param vmm the VMM, e.g. {@code "cloud-hypervisor"}
 * @param vmmVersion its version
 * @param vcpus the guest's vCPU count
 * @param labels free-form labels in the host's order
 * @param opaque state only the VMM understands, carried verbatim (copied)
 */
public record VmmMetadata(String vmm, String vmmVersion, int vcpus, Map<String, String> labels, byte[] opaque) {
    /** @throws NullPointerException for a missing field */
    public VmmMetadata {
        Objects.requireNonNull(vmm, "vmm");
        Objects.requireNonNull(vmmVersion, "vmmVersion");
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        opaque = opaque.clone();
    }

    /** @return a copy of the VMM's opaque state */
    @Override
    public byte[] opaque() {
        return opaque.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VmmMetadata m && m.vmm.equals(vmm) && m.vmmVersion.equals(vmmVersion) && m.vcpus == vcpus
                && m.labels.equals(labels) && Arrays.equals(m.opaque, opaque);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vmm, vmmVersion, vcpus, labels, Arrays.hashCode(opaque));
    }

    @Override
    public String toString() {
        return "VmmMetadata[" + vmm + " " + vmmVersion + ", " + vcpus + " vCPUs, labels " + labels + ", "
                + opaque.length + " opaque bytes]";
    }
}
