package io.kho4j.scratch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of {@code struct kho_scratch[]} that the first kernel hands over as a kexec segment and the
 * successor reads back ({@code kho_populate}: {@code scratch_cnt = scratch_len / sizeof(struct kho_scratch)}).
 */
public final class ScratchArray {
    /** {@code sizeof(struct kho_scratch)}: two 64-bit {@code phys_addr_t}, CPU-native (kho-abi.md §3). */
    public static final int ENTRY_BYTES = 16;

    private ScratchArray() {
    }

    /**
     * @param areas areas in array order
     * @param order the CPU's byte order
     * @return {@code addr, size} pairs
     */
    public static byte[] encode(List<ScratchArea> areas, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(areas.size(), ENTRY_BYTES)).order(order);
        for (ScratchArea a : areas) {
            b.putLong(a.address()).putLong(a.size());
        }
        return b.array();
    }

    /**
     * Reads an array as the successor does: whole entries only, trailing bytes ignored. Roles follow the array
     * order; node numbers are positions among the per-node areas, since the array does not record node ids.
     *
     * @param bytes the array
     * @param order the CPU's byte order
     * @return the areas
     * @throws ScratchParameterException if an entry's address and size wrap past 2^63
     */
    public static List<ScratchArea> decode(byte[] bytes, ByteOrder order) throws ScratchParameterException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        List<ScratchArea> out = new ArrayList<>();
        for (int i = 0; i < bytes.length / ENTRY_BYTES; i++) {
            long address = b.getLong();
            long size = b.getLong();
            if (address < 0 || size < 0 || address > Long.MAX_VALUE - size) {
                throw new ScratchParameterException(String.format(
                        "scratch entry %d at byte %d: 0x%x+0x%x is not a physical range", i, i * ENTRY_BYTES,
                        address, size));
            }
            ScratchArea.Role role = i == 0 ? ScratchArea.Role.LOWMEM : i == 1 ? ScratchArea.Role.GLOBAL
                    : ScratchArea.Role.NODE;
            out.add(new ScratchArea(role, i < 2 ? -1 : i - 2, address, size));
        }
        return out;
    }
}
