package io.kho4j.gic;

import java.util.Locale;
import java.util.Optional;

/**
 * What a {@code GITS_BASER<n>} register's table holds: its Type field, bits 58:56
 * ({@code GITS_BASER_TYPE_*}, include/linux/irqchip/arm-gic-v3.h). Types 3, 5, 6 and 7 are reserved.
 */
public enum ItsTableType {
    /** {@code GITS_BASER_TYPE_DEVICE}: DeviceID → interrupt translation table. */
    DEVICE(1),
    /** {@code GITS_BASER_TYPE_VCPU}: vPE table (GICv4). */
    VCPU(2),
    /** {@code GITS_BASER_TYPE_COLLECTION}: collection → target redistributor. */
    COLLECTION(4);

    private final int code;

    ItsTableType(int code) {
        this.code = code;
    }

    /** @return the Type field value */
    public int code() {
        return code;
    }

    /** @return a lower-case name for node names and reports: {@code device}, {@code vcpu}, {@code collection} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @param code a Type field value @return the type, empty for none (0) or a reserved value */
    public static Optional<ItsTableType> of(int code) {
        for (ItsTableType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
