package io.kho4j.spi;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.host.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A subtree handed over by the previous kernel, as a {@link Restorer} sees it: its name, where it was, its
 * bytes (bounds-checked against the RAM they came from), and, if it is an FDT, the validated tree. Restorers
 * that follow pointers out of the blob get the {@link PhysicalMemory} too. Not thread-safe (the FDT is
 * validated on first use).
 */
public final class InboundSubtree {
    private static final int FDT_MAGIC = 0xd00dfeed;

    private final String name;
    private final long address;
    private final byte[] bytes;
    private final AbiGeneration generation;
    private final PhysicalMemory memory;
    private final FdtValidator validator;
    private ValidatedFdt fdt;

    private InboundSubtree(String name, long address, byte[] bytes, AbiGeneration generation, PhysicalMemory memory,
            FdtValidator validator) {
        this.name = Objects.requireNonNull(name, "name");
        this.address = address;
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.generation = generation;
        this.memory = memory;
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /**
     * @param name subtree name
     * @param address physical address the blob was read from
     * @param bytes the blob (not copied)
     * @param generation the handover's generation, or null if the tree alone could not tell (kho-v1)
     * @param memory the memory the blob came from, or null
     * @param validator how to validate the blob if it is an FDT
     * @return the subtree
     */
    public static InboundSubtree of(String name, long address, byte[] bytes, AbiGeneration generation,
            PhysicalMemory memory, FdtValidator validator) {
        return new InboundSubtree(name, address, bytes, generation, memory, validator);
    }

    /** @param name subtree name @param bytes the blob, not copied @return a subtree at address 0 without memory */
    public static InboundSubtree of(String name, byte[] bytes) {
        return new InboundSubtree(name, 0, bytes, null, null, FdtValidator.standard());
    }

    /** @return the subtree name under the KHO root */
    public String name() {
        return name;
    }

    /** @return the physical address of the blob */
    public long address() {
        return address;
    }

    /** @return the blob's size in bytes */
    public int size() {
        return bytes.length;
    }

    /** @return a read-only big-endian view of the blob */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
    }

    /** @return a copy of the blob */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the generation of the handover, empty when only a kernel release could tell ({@code kho-v1}) */
    public Optional<AbiGeneration> generation() {
        return Optional.ofNullable(generation);
    }

    /** @return the memory the blob came from, for restorers that follow pointers out of it */
    public Optional<PhysicalMemory> memory() {
        return Optional.ofNullable(memory);
    }

    /** @return whether the blob starts with the FDT magic 0xd00dfeed */
    public boolean looksLikeFdt() {
        return bytes.length >= 4 && ByteBuffer.wrap(bytes).getInt(0) == FDT_MAGIC;
    }

    /**
     * @return the blob as a validated FDT
     * @throws RestoreException naming the offset if the blob is not a valid FDT
     */
    public ValidatedFdt fdt() throws RestoreException {
        if (fdt == null) {
            try {
                fdt = validator.validate(bytes);
            } catch (FdtFormatException e) {
                throw new RestoreException(name, String.format("blob at 0x%x is not a valid FDT: %s", address,
                        e.getMessage()), e);
            }
        }
        return fdt;
    }

    /**
     * @return the FDT root's {@code compatible} strings
     * @throws RestoreException if the blob is not a valid FDT or the property is not a string list
     */
    public List<String> rootCompatibles() throws RestoreException {
        FdtNode root = fdt().root();
        Optional<FdtProperty> p = root.property("compatible");
        if (p.isEmpty()) {
            return List.of();
        }
        try {
            return p.get().strings();
        } catch (FdtFormatException e) {
            throw new RestoreException(name, e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return String.format("InboundSubtree[%s at 0x%x, %d bytes]", name, address, bytes.length);
    }
}
