package io.kho4j.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.kho4j.fdt.MemoryReservation;
import io.kho4j.internal.jna.LibFdt;
import io.kho4j.internal.jna.LibFdtCheck;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;

/**
 * libfdt (Debian libfdt1 1.6.1, through JNA) as the reference the tests compare against: its verdict on a
 * blob, its view of a blob's content in the canonical-dump format (built from libfdt's own walk, not from
 * our reader), and the bytes its sequential-write API produces. Every method calls
 * {@link ExternalTools#requireLibfdt()} first.
 */
public final class LibFdtOracle {
    /** Slack behind a copied blob, so libfdt's header reads never leave the allocation. */
    private static final int SLACK = 64;

    private LibFdtOracle() {
    }

    /**
     * libfdt's {@code fdt_check_full} verdict, unless the blob is one libfdt 1.6.1 cannot survive: a property
     * length that makes its offset arithmetic return to the same token (it loops forever), or a version
     * 2..15 blob whose root name has no '/' (it dereferences NULL and kills the JVM).
     *
     * @param blob the bytes, all of them passed as bufsize
     * @return libfdt's return code, or empty if libfdt must not see this blob
     */
    public static OptionalInt checkFull(byte[] blob) {
        ExternalTools.requireLibfdt();
        if (!safeForLibfdt(blob)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(LibFdtCheck.checkFullCode(ByteBuffer.wrap(blob)));
    }

    /** @return whether {@link #checkFull} would call libfdt on this blob */
    public static boolean safeForLibfdt(byte[] blob) {
        for (int i = 0; i + 4 <= blob.length; i++) {
            int v = be32(blob, i);
            if (v == 0xfffffff4 || v == 0xfffffff0) {
                return false; // a property length that wraps libfdt's next offset back onto the token
            }
        }
        if (blob.length < 40 || be32(blob, 0) != 0xd00dfeed) {
            return true;
        }
        int version = be32(blob, 20);
        return version < 2 || version >= 16 || rootNameHasSlash(blob);
    }

    /**
     * Follows libfdt's walk to the first FDT_BEGIN_NODE (skipping NOPs and properties as
     * {@code fdt_next_tag} does); any bounds problem means libfdt stops before looking at a name.
     */
    private static boolean rootNameHasSlash(byte[] blob) {
        long structOff = Integer.toUnsignedLong(be32(blob, 8));
        long pos = structOff;
        for (int steps = 0; steps < blob.length; steps++) {
            if (pos < 0 || pos + 4 > blob.length) {
                return true;
            }
            int tag = be32(blob, (int) pos);
            if (tag == 4) {
                pos += 4;
            } else if (tag == 3) {
                if (pos + 12 > blob.length) {
                    return true;
                }
                long len = Integer.toUnsignedLong(be32(blob, (int) pos + 4));
                long value = pos + 12;
                if (len >= 8 && ((value - structOff) & 7) != 0) {
                    value += 4;
                }
                pos = (value + len + 3) & ~3L;
            } else if (tag == 1) {
                for (long i = pos + 4; i < blob.length; i++) {
                    if (blob[(int) i] == '/') {
                        return true;
                    }
                    if (blob[(int) i] == 0) {
                        return false;
                    }
                }
                return true; // unterminated: libfdt fails before asking for the name
            } else {
                return true;
            }
        }
        return true;
    }

    /**
     * The blob's content as libfdt sees it, in the canonical-dump format of DESIGN.md §4: header fields
     * from the header bytes, reservations from {@code fdt_get_mem_rsv}, nodes from {@code fdt_next_node} and
     * {@code fdt_get_name}, properties from {@code fdt_first/next_property_offset} and
     * {@code fdt_getprop_by_offset}. Only for blobs {@code fdt_check_full} accepted.
     *
     * @param blob an accepted blob
     * @return libfdt's view, or a line starting {@code "libfdt error"} where a libfdt call failed
     */
    public static String canonicalView(byte[] blob) {
        ExternalTools.requireLibfdt();
        StringBuilder out = new StringBuilder();
        int version = be32(blob, 20);
        out.append("fdt version=").append(Integer.toUnsignedString(version))
                .append(" last_comp_version=").append(Integer.toUnsignedString(be32(blob, 24)))
                .append(" boot_cpuid_phys=").append(Integer.toUnsignedString(Integer.compareUnsigned(version, 2) >= 0 ? be32(blob, 28) : 0))
                .append('\n');
        try (Memory fdt = copy(blob); Memory a = new Memory(8); Memory b = new Memory(8);
                Memory namep = new Memory(Native.POINTER_SIZE)) {
            int n = LibFdt.fdt_num_mem_rsv(fdt);
            if (n < 0) {
                return out.append("libfdt error ").append(n).append('\n').toString();
            }
            for (int i = 0; i < n; i++) {
                LibFdt.fdt_get_mem_rsv(fdt, i, a, b);
                out.append(String.format("rsv 0x%016x 0x%016x", a.getLong(0), b.getLong(0))).append('\n');
            }
            List<String> open = new ArrayList<>(); // path of the open node at each depth, root first
            a.setInt(0, 0);
            for (int node = LibFdt.fdt_next_node(fdt, -1, a); node >= 0; node = LibFdt.fdt_next_node(fdt, node, a)) {
                int depth = a.getInt(0);
                Pointer name = LibFdt.fdt_get_name(fdt, node, b);
                if (name == null) {
                    return out.append("libfdt error ").append(b.getInt(0)).append(" naming node at ").append(node)
                            .append('\n').toString();
                }
                while (open.size() >= depth) {
                    open.remove(open.size() - 1);
                }
                String path = open.isEmpty() ? "/"
                        : (open.size() == 1 ? "" : open.get(open.size() - 1)) + "/" + escape(name.getByteArray(0, b.getInt(0)));
                open.add(path);
                out.append("node ").append(path).append('\n');
                for (int p = LibFdt.fdt_first_property_offset(fdt, node); p >= 0;
                        p = LibFdt.fdt_next_property_offset(fdt, p)) {
                    Pointer value = LibFdt.fdt_getprop_by_offset(fdt, p, namep, b);
                    if (value == null) {
                        return out.append("libfdt error ").append(b.getInt(0)).append(" reading property at ")
                                .append(p).append('\n').toString();
                    }
                    out.append("prop ").append(path).append(' ').append(escape(readCString(namep.getPointer(0))));
                    int len = b.getInt(0);
                    if (len > 0) {
                        out.append(' ').append(hex(value.getByteArray(0, len)));
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    /**
     * Builds a blob with libfdt's sequential-write API ({@code fdt_create}, {@code fdt_add_reservemap_entry},
     * {@code fdt_finish_reservemap}, {@code fdt_begin_node}, {@code fdt_property}, {@code fdt_end_node},
     * {@code fdt_finish}), as the 6.16 kernel builds the KHO root.
     *
     * @param root the tree, root named {@code ""}
     * @param reservations memory-reservation entries
     * @return the finished blob, exactly totalsize bytes
     */
    public static byte[] sequentialWrite(KhoNode root, List<MemoryReservation> reservations) {
        ExternalTools.requireLibfdt();
        int size = 1 << 16;
        for (int attempt = 0; attempt < 12; attempt++, size *= 2) {
            try (Memory buf = new Memory(size)) {
                buf.clear();
                int rc = writeInto(buf, size, root, reservations);
                if (rc == -3) { // FDT_ERR_NOSPACE
                    continue;
                }
                check("sequential write", rc);
                return buf.getByteArray(0, be32(buf.getByteArray(0, 8), 4));
            }
        }
        throw new AssertionError("tree does not fit in " + size + " bytes");
    }

    private static int writeInto(Memory buf, int size, KhoNode root, List<MemoryReservation> reservations) {
        int rc = LibFdt.fdt_create(buf, size);
        for (MemoryReservation r : reservations) {
            rc = rc < 0 ? rc : LibFdt.fdt_add_reservemap_entry(buf, r.address(), r.size());
        }
        rc = rc < 0 ? rc : LibFdt.fdt_finish_reservemap(buf);
        Deque<Iterator<KhoNode>> stack = new ArrayDeque<>();
        rc = rc < 0 ? rc : begin(buf, root);
        stack.push(root.children().iterator());
        while (rc >= 0 && !stack.isEmpty()) {
            Iterator<KhoNode> it = stack.peek();
            if (it.hasNext()) {
                KhoNode child = it.next();
                rc = begin(buf, child);
                stack.push(child.children().iterator());
            } else {
                rc = LibFdt.fdt_end_node(buf);
                stack.pop();
            }
        }
        return rc < 0 ? rc : LibFdt.fdt_finish(buf);
    }

    private static int begin(Memory buf, KhoNode node) {
        try (Memory name = nativeString(node.name())) {
            int rc = LibFdt.fdt_begin_node(buf, name);
            for (Property p : node.properties()) {
                if (rc < 0) {
                    return rc;
                }
                byte[] v = p.value();
                try (Memory pname = nativeString(p.name()); Memory value = new Memory(Math.max(1, v.length))) {
                    value.write(0, v, 0, v.length);
                    rc = LibFdt.fdt_property(buf, pname, value, v.length);
                }
            }
            return rc;
        }
    }

    private static void check(String what, int rc) {
        if (rc < 0) {
            fail("libfdt " + what + " failed: " + LibFdt.fdt_strerror(rc));
        }
    }

    private static Memory copy(byte[] blob) {
        Memory m = new Memory(blob.length + SLACK);
        m.clear();
        m.write(0, blob, 0, blob.length);
        return m;
    }

    private static Memory nativeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        Memory m = new Memory(b.length + 1);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    private static byte[] readCString(Pointer p) {
        int len = 0;
        while (p.getByte(len) != 0) {
            len++;
        }
        return p.getByteArray(0, len);
    }

    /** The canonical dump's name escaping, written again here so the view does not borrow our code. */
    private static String escape(byte[] name) {
        StringBuilder sb = new StringBuilder();
        for (byte x : name) {
            int c = x & 0xff;
            if (c > 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    private static int be32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
