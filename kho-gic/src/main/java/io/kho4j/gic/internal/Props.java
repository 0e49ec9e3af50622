package io.kho4j.gic.internal;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.spi.RestoreException;
import java.nio.ByteOrder;

/** Exact-size property reads for the GIC restorer; each failure a {@link RestoreException} naming node and offset. */
public final class Props {
    /** KHO values are CPU-native, little-endian on both KHO architectures (kho-abi.md §1). */
    public static final ByteOrder NATIVE = ByteOrder.LITTLE_ENDIAN;

    private final String subsystem;

    /** @param subsystem the subtree name for messages */
    public Props(String subsystem) {
        this.subsystem = subsystem;
    }

    /** @return the u32, exactly 4 bytes */
    public int u32(FdtNode node, String name) throws RestoreException {
        try {
            return node.requireProperty(name).u32(NATIVE);
        } catch (FdtFormatException e) {
            throw fail(node, e);
        }
    }

    /** @return the u64, exactly 8 bytes */
    public long u64(FdtNode node, String name) throws RestoreException {
        try {
            return node.requireProperty(name).u64(NATIVE);
        } catch (FdtFormatException e) {
            throw fail(node, e);
        }
    }

    /** @return the u64 array of exactly {@code count} elements */
    public long[] u64s(FdtNode node, String name, int count) throws RestoreException {
        long[] v = u64s(node, name);
        if (v.length != count) {
            throw error(node, "property \"" + name + "\" holds " + v.length + " u64 values, expected " + count);
        }
        return v;
    }

    /** @return the u64 array, whose length must be a multiple of 8 */
    public long[] u64s(FdtNode node, String name) throws RestoreException {
        try {
            return node.requireProperty(name).u64Array(NATIVE);
        } catch (FdtFormatException e) {
            throw fail(node, e);
        }
    }

    /** @return a failure at the node: its path and blob offset, and what was wrong */
    public RestoreException error(FdtNode node, String message) {
        return new RestoreException(subsystem, "node " + node.path() + " at offset " + node.offset() + ": " + message,
                null);
    }

    private RestoreException fail(FdtNode node, FdtFormatException e) {
        return new RestoreException(subsystem, "node " + node.path() + " at offset " + node.offset() + ": "
                + e.getMessage(), e);
    }
}
