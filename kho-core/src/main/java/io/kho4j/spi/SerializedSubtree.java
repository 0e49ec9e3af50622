package io.kho4j.spi;

import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.ShapeNode;
import io.kho4j.host.PhysicalMemoryException;
import java.util.List;
import java.util.Objects;

/**
 * One subsystem's output: the blob to place in preserved memory (an FDT, or a raw blob from kho-v2), the
 * memory it asked to preserve, and the shape of what was written (for {@link io.kho4j.abi.AbiLock}).
 * Immutable; {@link #bytes()} returns a copy.
 */
public final class SerializedSubtree {
    private final String name;
    private final CompatibleString version;
    private final WriteContext context;
    private final boolean raw;
    private final byte[] bytes;
    private final List<Preservation> preservations;
    private final List<ShapeNode> nodes;

    /**
     * @param name subtree node name under the KHO root
     * @param version the compatible version written
     * @param context what it was written for
     * @param raw whether {@code bytes} is a raw blob rather than an FDT
     * @param bytes the blob (not copied: the caller hands it over)
     * @param preservations memory to preserve, in request order
     * @param nodes the FDT's shape, empty for a raw blob
     */
    public SerializedSubtree(String name, CompatibleString version, WriteContext context, boolean raw, byte[] bytes,
            List<Preservation> preservations, List<ShapeNode> nodes) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.context = Objects.requireNonNull(context, "context");
        this.raw = raw;
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.preservations = List.copyOf(preservations);
        this.nodes = List.copyOf(nodes);
    }

    /** @return the subtree node name under the KHO root */
    public String name() {
        return name;
    }

    /** @return the compatible version written */
    public CompatibleString version() {
        return version;
    }

    /** @return what it was written for */
    public WriteContext context() {
        return context;
    }

    /** @return whether the blob is raw rather than an FDT */
    public boolean isRaw() {
        return raw;
    }

    /** @return a copy of the blob */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Places the blob in a folio just big enough for it ({@link PreservedAllocator#allocate(byte[])}), without the
     * copy {@link #bytes()} makes: a 256-CPU ftrace blob is 4 MiB.
     *
     * @param memory where the folio comes from; it writes the bytes and must not keep the array
     * @return the blob's physical address
     * @throws PhysicalMemoryException if no folio is left
     */
    public long placeIn(PreservedAllocator memory) throws PhysicalMemoryException {
        return memory.allocate(bytes);
    }

    /** @return the blob's size in bytes: {@code blob-size} from kho-v3 */
    public int size() {
        return bytes.length;
    }

    /** @return memory the subsystem asked to preserve (the blob's own pages are the handover's job) */
    public List<Preservation> preservations() {
        return preservations;
    }

    /** @return the FDT's nodes and properties as written, in document order; empty for a raw blob */
    public List<ShapeNode> nodes() {
        return nodes;
    }

    @Override
    public String toString() {
        return "SerializedSubtree[" + name + ", " + version + ", " + (raw ? "raw " : "fdt ") + bytes.length
                + " bytes, " + preservations.size() + " preservation(s)]";
    }
}
