package io.kho4j.memory.internal;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PreservedStructureException;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Checked reads for this module's restorers: exact-size properties, NUL-terminated fixed-size strings and pointers
 * into the inbound memory, each failure a {@link RestoreException} naming the subsystem and where.
 */
public final class Inbound {
    /**
     * KHO and LUO values are CPU-native and every KHO architecture (x86-64, arm64) runs little-endian
     * (kho-abi.md §1); the inbound side has no byte order of its own to consult.
     */
    public static final ByteOrder NATIVE = ByteOrder.LITTLE_ENDIAN;

    private Inbound() {
    }

    /** @return the memory behind the subtree, required by formats that point out of their blob */
    public static PhysicalMemory memory(InboundSubtree in) throws RestoreException {
        return in.memory().orElseThrow(() -> new RestoreException(in.name(), "the subtree points into memory but no"
                + " memory was given to read it from", null));
    }

    /** @return the u64 property, which must be exactly 8 bytes ({@code len != sizeof(u64)} fails in the kernel) */
    public static long u64(String subsystem, FdtNode node, String name) throws RestoreException {
        try {
            return node.requireProperty(name).u64(NATIVE);
        } catch (FdtFormatException e) {
            throw new RestoreException(subsystem, node.path() + ": " + e.getMessage(), e);
        }
    }

    /** @return the u32 property, which must be exactly 4 bytes */
    public static int u32(String subsystem, FdtNode node, String name) throws RestoreException {
        try {
            return node.requireProperty(name).u32(NATIVE);
        } catch (FdtFormatException e) {
            throw new RestoreException(subsystem, node.path() + ": " + e.getMessage(), e);
        }
    }

    /** @return the raw value of a required property */
    public static byte[] bytes(String subsystem, FdtNode node, String name) throws RestoreException {
        try {
            return node.requireProperty(name).bytes();
        } catch (FdtFormatException e) {
            throw new RestoreException(subsystem, node.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return whether the node's {@code compatible} list contains {@code expected}, as {@code fdt_node_check_compatible}
     *     decides; a missing or malformed list does not
     */
    public static boolean isCompatible(FdtNode node, String expected) {
        try {
            FdtProperty p = node.property("compatible").orElse(null);
            return p != null && p.strings().contains(expected);
        } catch (FdtFormatException e) {
            return false;
        }
    }

    /** @return the node's {@code compatible} strings, empty if missing or malformed */
    public static List<String> compatibles(FdtNode node) {
        try {
            FdtProperty p = node.property("compatible").orElse(null);
            return p == null ? List.of() : p.strings();
        } catch (FdtFormatException e) {
            return List.of();
        }
    }

    /**
     * @param field a fixed-size {@code char[]} field
     * @param where its position, for the message
     * @return the text before the first NUL
     * @throws RestoreException if the field has no NUL (the kernel's {@code strcmp} would run past it)
     */
    public static String cString(String subsystem, byte[] field, String where) throws RestoreException {
        for (int i = 0; i < field.length; i++) {
            if (field[i] == 0) {
                return new String(field, 0, i, StandardCharsets.ISO_8859_1);
            }
        }
        throw new RestoreException(subsystem, where + ": the " + field.length + "-byte string has no NUL", null);
    }

    /** Reads bytes at a pointer found in the handover, refusing ranges that are not RAM. */
    public static byte[] read(String subsystem, PhysicalMemory memory, long phys, int length, String what)
            throws RestoreException {
        if (!memory.isRam(phys, length)) {
            throw new RestoreException(subsystem, String.format("%s at 0x%x (%d bytes) is not inside RAM", what, phys,
                    length), null);
        }
        try {
            return memory.read(phys, length);
        } catch (PhysicalMemoryException e) {
            throw new RestoreException(subsystem, String.format("reading %s at 0x%x: %s", what, phys, e.getMessage()),
                    e);
        }
    }

    /** @return a restore failure carrying a preserved-structure failure, the address in its message */
    public static RestoreException wrap(String subsystem, String what, PreservedStructureException e) {
        return new RestoreException(subsystem, what + ": " + e.getMessage(), e);
    }
}
