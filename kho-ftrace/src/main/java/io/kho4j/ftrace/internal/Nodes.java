package io.kho4j.ftrace.internal;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.spi.RestoreException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Checked reads of the ftrace subtree's nodes; every failure names the node and the blob offset. */
public final class Nodes {
    /** KHO property values are CPU-native, little-endian on every KHO architecture (kho-abi.md §1). */
    public static final ByteOrder NATIVE = ByteOrder.LITTLE_ENDIAN;

    private final String subsystem;

    /** @param subsystem the subtree name, for messages */
    public Nodes(String subsystem) {
        this.subsystem = subsystem;
    }

    /** @return a failure at a node */
    public RestoreException at(FdtNode node, String message) {
        return new RestoreException(subsystem, String.format("node %s at offset %d: %s", node.path(), node.offset(),
                message), null);
    }

    /** @return a failure at a property's value */
    public RestoreException at(FdtProperty p, long valueOffset, String message) {
        String node = p.node().path();
        return new RestoreException(subsystem, String.format("%s%s%s at offset %d: %s", node, node.endsWith("/") ? ""
                : "/", p.name(), valueOffset, message), null);
    }

    /** @return the required property @throws RestoreException if the node lacks it */
    public FdtProperty require(FdtNode node, String name) throws RestoreException {
        return node.property(name).orElseThrow(() -> at(node, "missing property '" + name + "'"));
    }

    /** @return the value of an exactly 4-byte property */
    public int u32(FdtNode node, String name) throws RestoreException {
        FdtProperty p = require(node, name);
        try {
            return p.u32(NATIVE);
        } catch (FdtFormatException e) {
            throw at(p, p.valueOffset(), "must be a 4-byte u32, is " + p.length() + " bytes");
        }
    }

    /** @return the value as little-endian words; its length is the caller's to check */
    public ByteBuffer value(FdtProperty p) {
        return ByteBuffer.wrap(p.bytes()).order(NATIVE);
    }

    /**
     * @throws RestoreException unless the node's {@code compatible} list holds {@code expected}, as
     *     {@code fdt_node_check_compatible} decides
     */
    public void requireCompatible(FdtNode node, String expected) throws RestoreException {
        FdtProperty p = require(node, "compatible");
        List<String> found;
        try {
            found = p.strings();
        } catch (FdtFormatException e) {
            throw at(p, p.valueOffset(), "not a string list: " + e.getMessage());
        }
        if (!found.contains(expected)) {
            throw at(node, "compatible " + found + " does not contain \"" + expected + "\"");
        }
    }

    /**
     * The review's {@code additionalProperties: false} (kho-abi.md §6).
     *
     * @throws RestoreException if the node has a property outside {@code allowed}
     */
    public void onlyProperties(FdtNode node, List<String> allowed) throws RestoreException {
        for (FdtProperty p : node.properties()) {
            if (!allowed.contains(p.name())) {
                throw at(p, p.valueOffset(), "property not allowed here (only " + allowed + ")");
            }
        }
    }
}
