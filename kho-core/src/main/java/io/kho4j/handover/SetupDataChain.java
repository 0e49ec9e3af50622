package io.kho4j.handover;

import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The x86 boot protocol's linked list of {@code struct setup_data} nodes and the KHO node in it
 * ({@code type = SETUP_KEXEC_KHO}, payload {@link KhoData}). All fields are little-endian.
 */
public final class SetupDataChain {
    /** {@code SETUP_KEXEC_KHO} (arch/x86/include/uapi/asm/setup_data.h; kho-abi.md §3). */
    public static final int SETUP_KEXEC_KHO = 10;
    /** {@code struct setup_data} header: {@code __u64 next; __u32 type; __u32 len;} (setup_data.h). */
    public static final int HEADER_SIZE = 16;
    /**
     * Most nodes walked before the chain is declared hostile. Real chains hold a handful (E820 extensions,
     * DTB, PCI ROMs, RNG seed, KHO); the bound only stops a crafted chain from running for ever.
     */
    public static final int MAX_NODES = 4096;

    private SetupDataChain() {
    }

    /**
     * Encodes a KHO setup_data node.
     *
     * @param next physical address of the existing chain head, 0 if none: the node is linked in front
     * @param data the payload
     * @return the 48 bytes to place in memory; the new chain head is where they are placed
     */
    public static byte[] encodeKhoNode(long next, KhoData data) {
        return ByteBuffer.allocate(HEADER_SIZE + KhoData.SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(next).putInt(SETUP_KEXEC_KHO).putInt(KhoData.SIZE).put(data.toBytes()).array();
    }

    /**
     * Walks a chain in memory, as the successor's {@code parse_setup_data} does, and returns the first KHO
     * node's payload.
     *
     * @param memory physical memory holding the chain
     * @param head physical address of the first node, 0 for an empty chain
     * @return the KHO payload, or empty if the chain has no KHO node
     * @throws HandOffFormatException on a node outside RAM, a cycle, a chain longer than {@link #MAX_NODES},
     *     or a KHO node whose length is not 32
     */
    public static Optional<KhoData> findKho(PhysicalMemory memory, long head) throws HandOffFormatException {
        Set<Long> seen = new HashSet<>();
        for (long at = head; at != 0; ) {
            if (!seen.add(at)) {
                throw new HandOffFormatException(at, "setup_data chain loops back to this node");
            }
            if (seen.size() > MAX_NODES) {
                throw new HandOffFormatException(at, "setup_data chain longer than " + MAX_NODES + " nodes");
            }
            try {
                ByteBuffer h = ByteBuffer.wrap(memory.read(at, HEADER_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
                long next = h.getLong();
                int type = h.getInt();
                long len = Integer.toUnsignedLong(h.getInt());
                if (type == SETUP_KEXEC_KHO) {
                    if (len != KhoData.SIZE) {
                        throw new HandOffFormatException(at, "SETUP_KEXEC_KHO node has len " + len + ", expected "
                                + KhoData.SIZE);
                    }
                    return Optional.of(KhoData.fromBytes(memory.read(at + HEADER_SIZE, KhoData.SIZE)));
                }
                if (!memory.isRam(at + HEADER_SIZE, len)) {
                    throw new HandOffFormatException(at, "setup_data node of type " + type + " claims " + len
                            + " payload bytes beyond RAM");
                }
                at = next;
            } catch (PhysicalMemoryException e) {
                throw new HandOffFormatException(at, "setup_data node is not in RAM: " + e.getMessage());
            }
        }
        return Optional.empty();
    }
}
