package io.kho4j.spi;

import io.kho4j.abi.CompatibleString;
import io.kho4j.preserve.PhysRange;
import java.nio.ByteOrder;

/**
 * Where a {@link SubsystemSerializer} writes one subtree: either an FDT (nodes and typed properties; the root
 * node is open from the start) or, from kho-v2 on, one raw byte blob ({@link #blob}). It also collects the
 * memory the subsystem wants preserved.
 *
 * <p>Property values are CPU-native by default, as every KHO value is (kho-abi.md §1); the overloads taking a
 * {@link ByteOrder} exist for the rare big-endian device-tree cell. Properties of a node must come before its
 * children (the kernel's own writers use libfdt's sequential API, which the bytes follow). A call out of order
 * throws {@link IllegalStateException}; a bad name {@link IllegalArgumentException}.
 */
public interface SubtreeWriter {

    /** @return the compatible version being written: the serializer must write exactly this layout */
    CompatibleString version();

    /** @return the generation, byte order and page size being written for */
    WriteContext context();

    /** @return the native byte order ({@code context().nativeOrder()}) */
    default ByteOrder nativeOrder() {
        return context().nativeOrder();
    }

    /**
     * Writes {@code compatible = version()} on the current node: the usual first property of a subtree root.
     *
     * @return this writer
     */
    default SubtreeWriter compatible() {
        return strings("compatible", version().toString());
    }

    /** @param name child node name @return this writer, positioned in the new child */
    SubtreeWriter beginNode(String name);

    /** @return this writer, positioned back in the parent */
    SubtreeWriter endNode();

    /** @param name property @param values strings, each NUL-terminated @return this writer */
    SubtreeWriter strings(String name, String... values);

    /** @param name property @param value u32, native order @return this writer */
    default SubtreeWriter u32(String name, int value) {
        return u32(name, value, nativeOrder());
    }

    /** @param name property @param value u32 @param order byte order @return this writer */
    SubtreeWriter u32(String name, int value, ByteOrder order);

    /** @param name property @param value u64, native order @return this writer */
    default SubtreeWriter u64(String name, long value) {
        return u64(name, value, nativeOrder());
    }

    /** @param name property @param value u64 @param order byte order @return this writer */
    SubtreeWriter u64(String name, long value, ByteOrder order);

    /** @param name property @param values u32 array, native order @return this writer */
    default SubtreeWriter u32s(String name, int... values) {
        return u32s(name, nativeOrder(), values);
    }

    /** @param name property @param order byte order @param values u32 array @return this writer */
    SubtreeWriter u32s(String name, ByteOrder order, int... values);

    /** @param name property @param values u64 array, native order @return this writer */
    default SubtreeWriter u64s(String name, long... values) {
        return u64s(name, nativeOrder(), values);
    }

    /** @param name property @param order byte order @param values u64 array @return this writer */
    SubtreeWriter u64s(String name, ByteOrder order, long... values);

    /** @param name property @param value raw bytes, e.g. a packed structure (copied) @return this writer */
    SubtreeWriter bytes(String name, byte[] value);

    /** @param name property @return this writer, after adding a property without a value */
    SubtreeWriter empty(String name);

    /**
     * Makes the subtree a raw blob instead of an FDT: allowed from kho-v2, whose {@code preserved-data} "may use
     * formats other than FDT"; from kho-v3 its size travels in {@code blob-size} (kho-abi.md §1).
     *
     * @param data the blob (copied)
     * @throws IllegalStateException if the generation requires an FDT, or FDT content was already written
     */
    void blob(byte[] data);

    /**
     * Asks for a page range to be preserved ({@code kho_preserve_pages}).
     *
     * @param range page-aligned range
     * @return this writer
     * @throws IllegalArgumentException if the range is not page aligned
     */
    SubtreeWriter preserve(PhysRange range);

    /**
     * Asks for one folio to be preserved ({@code kho_preserve_folio}).
     *
     * @param phys first address, aligned to the folio's size
     * @param order the folio's order (size is {@code pageSize << order})
     * @return this writer
     * @throws IllegalArgumentException if {@code phys} is not aligned to the folio size
     */
    SubtreeWriter preserveFolio(long phys, int order);

    /**
     * Memory for structures that live outside the blob (vmalloc chunk lists, linked blocks, folio arrays).
     * Folios handed out are preserved with this subtree. Without a machine behind the writer (tests, the ABI
     * lock) this is a deterministic heap-backed memory above 4 GiB.
     *
     * @return the allocator
     */
    PreservedAllocator memory();
}
