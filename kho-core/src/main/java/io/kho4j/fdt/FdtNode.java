package io.kho4j.fdt;

import io.kho4j.fdt.FdtFormatException.Kind;
import io.kho4j.fdt.internal.FdtIndex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** A node of a {@link ValidatedFdt}: a cheap handle, created on access. */
public final class FdtNode {
    private final ValidatedFdt fdt;
    private final int id;

    FdtNode(ValidatedFdt fdt, int id) {
        this.fdt = fdt;
        this.id = id;
    }

    /** @return the node's name with its unit address ({@code "cpu@0"}); {@code ""} for the root */
    public String name() {
        FdtIndex ix = fdt.index();
        return fdt.latin1(ix.nodeName(id), ix.nodeNameLength(id));
    }

    /** @return the absolute path, {@code "/"} for the root */
    public String path() {
        List<String> names = new ArrayList<>();
        FdtIndex ix = fdt.index();
        for (int n = id; ix.parent(n) != FdtIndex.NONE; n = ix.parent(n)) {
            names.add(new FdtNode(fdt, n).name());
        }
        if (names.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = names.size() - 1; i >= 0; i--) {
            sb.append('/').append(names.get(i));
        }
        return sb.toString();
    }

    /** @return the byte offset of this node's FDT_BEGIN_NODE token in the blob */
    public int offset() {
        return fdt.index().nodeTag(id);
    }

    /** @return nesting depth, 0 for the root */
    public int depth() {
        int d = 0;
        for (int n = fdt.index().parent(id); n != FdtIndex.NONE; n = fdt.index().parent(n)) {
            d++;
        }
        return d;
    }

    /** @return the parent, or empty for the root */
    public Optional<FdtNode> parent() {
        int p = fdt.index().parent(id);
        return p == FdtIndex.NONE ? Optional.empty() : Optional.of(new FdtNode(fdt, p));
    }

    /** @return the child nodes in blob order */
    public List<FdtNode> children() {
        List<FdtNode> out = new ArrayList<>();
        for (int c = fdt.index().firstChild(id); c != FdtIndex.NONE; c = fdt.index().nextSibling(c)) {
            out.add(new FdtNode(fdt, c));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Finds a child as libfdt's {@code fdt_subnode_offset} does: exact name, or the part before {@code '@'}
     * when {@code name} has no unit address. The first match in blob order wins.
     *
     * @param name child name
     * @return the child, or empty
     */
    public Optional<FdtNode> child(String name) {
        byte[] want = name.getBytes(StandardCharsets.ISO_8859_1);
        boolean hasUnit = name.indexOf('@') >= 0;
        FdtIndex ix = fdt.index();
        for (int c = ix.firstChild(id); c != FdtIndex.NONE; c = ix.nextSibling(c)) {
            int off = ix.nodeName(c);
            int len = ix.nodeNameLength(c);
            if (len >= want.length && regionEquals(off, want)
                    && (len == want.length || (!hasUnit && fdt.blob().get(off + want.length) == '@'))) {
                return Optional.of(new FdtNode(fdt, c));
            }
        }
        return Optional.empty();
    }

    /** @return the properties in blob order */
    public List<FdtProperty> properties() {
        List<FdtProperty> out = new ArrayList<>();
        for (int p = fdt.index().firstProperty(id); p != FdtIndex.NONE; p = fdt.index().nextProperty(p)) {
            out.add(new FdtProperty(fdt, p));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * @param name property name
     * @return the first property with that name, or empty
     */
    public Optional<FdtProperty> property(String name) {
        byte[] want = name.getBytes(StandardCharsets.ISO_8859_1);
        FdtIndex ix = fdt.index();
        for (int p = ix.firstProperty(id); p != FdtIndex.NONE; p = ix.nextProperty(p)) {
            if (ix.propertyNameLength(p) == want.length && regionEquals(ix.propertyName(p), want)) {
                return Optional.of(new FdtProperty(fdt, p));
            }
        }
        return Optional.empty();
    }

    /**
     * @param name property name
     * @return the property
     * @throws FdtFormatException of kind {@link Kind#NOT_FOUND} naming the node if it is absent
     */
    public FdtProperty requireProperty(String name) throws FdtFormatException {
        Optional<FdtProperty> p = property(name);
        if (p.isEmpty()) {
            throw new FdtFormatException(Kind.NOT_FOUND, offset(),
                    "node " + path() + " has no property \"" + name + "\"");
        }
        return p.get();
    }

    private boolean regionEquals(int off, byte[] want) {
        for (int i = 0; i < want.length; i++) {
            if (fdt.blob().get(off + i) != want[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FdtNode n && n.fdt == fdt && n.id == id;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(fdt) * 31 + id;
    }

    @Override
    public String toString() {
        return path();
    }
}
