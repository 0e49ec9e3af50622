package io.kho4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kho4j.fdt.CanonicalDump;
import io.kho4j.fdt.DumpFormat;
import io.kho4j.fdt.DumpTooLargeException;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.tree.TreeCodec;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * {@link FdtValidator} and everything that reads a validated blob. Contract: validation throws only
 * {@link FdtFormatException} and allocates at most linearly in the blob; an accepted blob can be walked
 * through every accessor, dumped in every format, and re-encoded (where {@link FdtWriter} accepts its names)
 * into a blob with the same canonical content.
 */
class FdtFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void validateAndRead(byte[] blob) throws IOException {
        ValidatedFdt[] accepted = new ValidatedFdt[1];
        // The index holds a few ints per node and property, each at least 8 blob bytes.
        FuzzBudget.check("FdtValidator.validate", (1 << 20) + 16L * blob.length, () -> {
            try {
                accepted[0] = FdtValidator.standard().validate(blob);
            } catch (FdtFormatException e) {
                accepted[0] = null;
            }
        });
        ValidatedFdt fdt = accepted[0];
        if (fdt == null) {
            return;
        }
        // Paths, and dumps that repeat a node's path on each of its property lines, are not linear in the blob:
        // the walk and the dumps are not bounded, and the dumps go to a counting sink.
        walk(fdt);
        for (DumpFormat format : DumpFormat.values()) {
            format.write(fdt, new CountingSink());
        }
        CountingSink canonical = new CountingSink();
        DumpFormat.CANONICAL.write(fdt, canonical);
        long expectedLines = 1 + fdt.memoryReservations().size() + fdt.nodeCount() + fdt.propertyCount();
        if (canonical.lines != expectedLines) {
            throw new AssertionError("canonical dump has " + canonical.lines + " lines, expected " + expectedLines);
        }
        roundTrip(fdt);
    }

    /** Every accessor of every node and property; only the documented FdtFormatException may come out. */
    private static void walk(ValidatedFdt fdt) throws FdtFormatException {
        fdt.memoryReservations();
        if (fdt.toByteArray().length != fdt.totalSize()) {
            throw new AssertionError("toByteArray is not totalsize long");
        }
        for (FdtNode node : fdt.nodes()) {
            String path = node.path();
            if (reachable(node) && !fdt.find(path).equals(Optional.of(node))) {
                throw new AssertionError("find(\"" + path + "\") gives " + fdt.find(path) + ", not the node there");
            }
            for (FdtNode child : node.children()) {
                if (!child.parent().orElseThrow().equals(node) || child.depth() != node.depth() + 1) {
                    throw new AssertionError("child " + child.path() + " does not lead back to " + path);
                }
                if (node.child(child.name()).isEmpty()) {
                    throw new AssertionError("child(\"" + child.name() + "\") misses a child of " + path);
                }
            }
            for (FdtProperty p : node.properties()) {
                if (p.bytes().length != p.length() || p.value().remaining() != p.length()
                        || node.property(p.name()).isEmpty()) {
                    throw new AssertionError("property " + path + " " + p.name() + " reads inconsistently");
                }
                readValues(p);
            }
            try {
                node.requireProperty("\u0000 no property has this name");
                throw new AssertionError("requireProperty found a name no FDT can hold");
            } catch (FdtFormatException e) {
                if (e.kind() != FdtFormatException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
    }

    /**
     * Whether libfdt's {@code fdt_path_offset} reaches the node by its path: every name on the way is non-empty,
     * has no '/' (libfdt accepts such names, but they read as other paths), and is the first match among its
     * siblings (a later duplicate, or a later "a@1" behind an "a", is shadowed).
     */
    private static boolean reachable(FdtNode node) {
        for (FdtNode n = node; n.parent().isPresent(); n = n.parent().get()) {
            if (n.name().isEmpty() || n.name().indexOf('/') >= 0
                    || !n.parent().get().child(n.name()).equals(Optional.of(n))) {
                return false;
            }
        }
        return true;
    }

    private static void readValues(FdtProperty p) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            valueOrBadValue(() -> p.u32(order));
            valueOrBadValue(() -> p.u64(order));
            valueOrBadValue(() -> p.u32Array(order));
            valueOrBadValue(() -> p.u64Array(order));
        }
        valueOrBadValue(p::string);
        valueOrBadValue(p::strings);
    }

    /** A typed read of a value of the wrong shape is BAD_VALUE, nothing else. */
    private interface Read {
        Object read() throws FdtFormatException;
    }

    private static void valueOrBadValue(Read read) {
        try {
            read.read();
        } catch (FdtFormatException e) {
            if (e.kind() != FdtFormatException.Kind.BAD_VALUE) {
                throw new AssertionError("a value read failed with " + e.kind(), e);
            }
        }
    }

    /** What {@code kho fdt normalize} does; the writer may refuse a name libfdt accepts (an unnamed child). */
    private static void roundTrip(ValidatedFdt fdt) throws DumpTooLargeException {
        byte[] again;
        try {
            again = TreeCodec.encode(TreeCodec.decode(fdt), fdt.memoryReservations(),
                    FdtWriter.create().bootCpuidPhys(fdt.bootCpuidPhys()));
        } catch (IllegalArgumentException e) {
            return;
        }
        ValidatedFdt back;
        try {
            back = FdtValidator.standard().validate(again);
        } catch (FdtFormatException e) {
            throw new AssertionError("the re-encoded blob is invalid", e);
        }
        if (!content(fdt).equals(content(back))) {
            throw new AssertionError("re-encoding changed the content:\n" + CanonicalDump.toString(fdt) + "became\n"
                    + CanonicalDump.toString(back));
        }
    }

    /** The canonical dump without its header line, which names the version re-encoding changes. */
    private static String content(ValidatedFdt fdt) throws DumpTooLargeException {
        String dump = CanonicalDump.toString(fdt);
        return dump.substring(dump.indexOf('\n') + 1);
    }

    /** Counts what a dump writes without keeping it. */
    private static final class CountingSink implements Appendable {
        long lines;

        @Override
        public Appendable append(CharSequence s) {
            return append(s, 0, s.length());
        }

        @Override
        public Appendable append(CharSequence s, int start, int end) {
            for (int i = start; i < end; i++) {
                append(s.charAt(i));
            }
            return this;
        }

        @Override
        public Appendable append(char c) {
            if (c == '\n') {
                lines++;
            }
            return this;
        }
    }
}
