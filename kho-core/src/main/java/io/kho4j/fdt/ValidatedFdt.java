package io.kho4j.fdt;

import io.kho4j.fdt.internal.FdtIndex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A blob that passed {@link FdtValidator}: every offset in it has been bounds-checked, so reads cannot fail
 * on structure. Only value-shape reads ({@link FdtProperty#u64(ByteOrder)} on a 4-byte value, say) still
 * throw {@link FdtFormatException}.
 *
 * <p>Immutable; reads share the underlying buffer, which the caller must not modify afterwards.
 */
public final class ValidatedFdt {
    private final ByteBuffer blob;
    private final long version;
    private final long lastCompVersion;
    private final int bootCpuidPhys;
    private final List<MemoryReservation> reservations;
    private final FdtIndex index;
    /**
     * Property names decoded so far, by name id. Filled lazily without locking: a racing reader decodes the
     * same immutable String again, and a String is safely published through its final fields.
     */
    private final String[] propertyNames;

    ValidatedFdt(ByteBuffer blob, long version, long lastCompVersion, int bootCpuidPhys,
            List<MemoryReservation> reservations, FdtIndex index) {
        this.blob = blob;
        this.version = version;
        this.lastCompVersion = lastCompVersion;
        this.bootCpuidPhys = bootCpuidPhys;
        this.reservations = reservations;
        this.index = index;
        this.propertyNames = new String[index.nameCount()];
    }

    /** Work done finding property-name ends, for tests that bound it (hostile nameoffs). */
    long nameBytesScanned() {
        return index.nameBytesScanned();
    }

    /** @return the header's version */
    public long version() {
        return version;
    }

    /** @return the header's last_comp_version */
    public long lastCompVersion() {
        return lastCompVersion;
    }

    /** @return the header's boot_cpuid_phys (0 for version 1 headers, which lack it) */
    public int bootCpuidPhys() {
        return bootCpuidPhys;
    }

    /** @return the header's totalsize: the blob's length */
    public int totalSize() {
        return blob.capacity();
    }

    /** @return the memory-reservation entries in blob order, terminator excluded */
    public List<MemoryReservation> memoryReservations() {
        return reservations;
    }

    /** @return a read-only, big-endian view of exactly the blob's totalsize bytes */
    public ByteBuffer buffer() {
        return blob.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /** @return a copy of the blob's bytes */
    public byte[] toByteArray() {
        byte[] out = new byte[blob.capacity()];
        blob.get(0, out);
        return out;
    }

    /** @return the unnamed root node */
    public FdtNode root() {
        return new FdtNode(this, 0);
    }

    /** @return number of nodes, root included */
    public int nodeCount() {
        return index.nodeCount();
    }

    /** @return number of properties in the whole tree */
    public int propertyCount() {
        return index.propertyCount();
    }

    /** @return every node in document order (the order of their FDT_BEGIN_NODE tokens) */
    public List<FdtNode> nodes() {
        List<FdtNode> out = new ArrayList<>(index.nodeCount());
        for (int i = 0; i < index.nodeCount(); i++) {
            out.add(new FdtNode(this, i));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Looks a node up by absolute path, libfdt style: {@code "/"} is the root, each component matches a
     * child's full name, or its name before {@code '@'} when the component has no unit address.
     *
     * @param path absolute path
     * @return the node, or empty if absent
     * @throws IllegalArgumentException if the path does not start with {@code '/'}
     */
    public Optional<FdtNode> find(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
        FdtNode node = root();
        for (String component : path.split("/")) {
            if (component.isEmpty()) {
                continue;
            }
            Optional<FdtNode> next = node.child(component);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            node = next.get();
        }
        return Optional.of(node);
    }

    /** @return property {@code p}'s name, decoded once per name id (KHO trees repeat a few names) */
    String propertyName(int p) {
        int id = index.propertyNameId(p);
        if (id == FdtIndex.NONE) {
            return latin1(index.propertyName(p), index.propertyNameLength(p));
        }
        String name = propertyNames[id];
        if (name == null) {
            name = latin1(index.propertyName(p), index.propertyNameLength(p));
            propertyNames[id] = name;
        }
        return name;
    }

    /** @return the bytes at {@code off} as ISO-8859-1 text (names are bytes; this maps each to one char) */
    String latin1(int off, int len) {
        byte[] b = new byte[len];
        blob.get(off, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    FdtIndex index() {
        return index;
    }

    ByteBuffer blob() {
        return blob;
    }
}
