package io.kho4j.spi;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PreservedStructureException;
import io.kho4j.preserve.PreservedStructureException.Kind;

/** Checked page reads for the decoders of structures that live in preserved pages. */
final class PreservedPages {
    private PreservedPages() {
    }

    /**
     * Reads {@code length} bytes at a pointer taken from hostile memory, after checking its alignment and that the
     * whole range is RAM.
     */
    static byte[] read(PhysicalMemory memory, long phys, int length, long alignment, String what)
            throws PreservedStructureException {
        requireRange(memory, phys, length, alignment, what);
        try {
            return memory.read(phys, length);
        } catch (PhysicalMemoryException e) {
            throw new PreservedStructureException(Kind.READ_FAILED, phys, "reading " + what + ": " + e.getMessage(), e);
        }
    }

    /** Checks a pointer from hostile memory: aligned to {@code alignment}, and {@code length} bytes of RAM. */
    static void requireRange(PhysicalMemory memory, long phys, long length, long alignment, String what)
            throws PreservedStructureException {
        if ((phys & (alignment - 1)) != 0) {
            throw new PreservedStructureException(Kind.UNALIGNED_POINTER, phys, what + " is not aligned to 0x"
                    + Long.toHexString(alignment), null);
        }
        if (!memory.isRam(phys, length)) {
            throw new PreservedStructureException(Kind.POINTER_OUTSIDE_RAM, phys, what + " (0x"
                    + Long.toHexString(length) + " bytes) is not inside RAM", null);
        }
    }
}
