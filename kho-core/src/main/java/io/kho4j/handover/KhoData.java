package io.kho4j.handover;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the first kernel tells the successor about a handover: where the root KHO FDT is and where the
 * {@code struct kho_scratch[]} array is. On x86 this is {@code struct kho_data} inside a
 * {@code SETUP_KEXEC_KHO} setup_data node; on device-tree platforms the same four numbers travel as the
 * {@code /chosen} properties {@code linux,kho-fdt} and {@code linux,kho-scratch} (kho-abi.md §3).
 *
 * @param fdtAddr physical address of the root KHO FDT
 * @param fdtSize its size; the kernel always passes PAGE_SIZE (kho-abi.md §3, {@code setup_kho()})
 * @param scratchAddr physical address of the {@code struct kho_scratch} array
 * @param scratchSize its size in bytes (16 per area)
 */
public record KhoData(long fdtAddr, long fdtSize, long scratchAddr, long scratchSize) {
    /**
     * {@code sizeof(struct kho_data)}: four packed {@code __u64} (arch/x86/include/uapi/asm/setup_data.h,
     * kho-abi.md §3).
     */
    public static final int SIZE = 32;

    /** @return the 32 packed bytes, little-endian as on x86-64 */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(fdtAddr).putLong(fdtSize).putLong(scratchAddr).putLong(scratchSize).array();
    }

    /**
     * @param bytes exactly {@link #SIZE} bytes of a {@code struct kho_data}
     * @return the decoded value
     * @throws IllegalArgumentException if the length is not 32
     */
    public static KhoData fromBytes(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("struct kho_data is " + SIZE + " bytes, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new KhoData(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    @Override
    public String toString() {
        return String.format("KhoData[fdt=0x%x+0x%x, scratch=0x%x+0x%x]", fdtAddr, fdtSize, scratchAddr, scratchSize);
    }
}
