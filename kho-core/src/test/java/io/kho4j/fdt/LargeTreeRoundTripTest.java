package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import io.kho4j.tree.TreeCodec;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trees large enough to take every path the writer and the index grow through: several writer segments
 * (values up to 300 KiB), more than one index chunk (thousands of nodes and properties), more distinct
 * names than the index remembers (hundreds of short ones), long names (64 bytes and more), and names that
 * are tails of other names (shared in the strings table).
 */
class LargeTreeRoundTripTest {

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 4).mapToObj(Arguments::of);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void largeTreesReadBackAsWritten(long seed) throws FdtFormatException {
        SplittableRandom r = new SplittableRandom(seed);
        String[] names = names(r);
        KhoNode root = tree(r, names);
        for (FdtWriter.Layout layout : FdtWriter.Layout.values()) {
            List<MemoryReservation> rsv = List.of(new MemoryReservation(r.nextLong(), 1 + r.nextInt(1 << 20)));
            byte[] blob = TreeCodec.encode(root, rsv, FdtWriter.create(layout));
            ValidatedFdt fdt = FdtValidator.standard().validate(blob);
            assertEquals(root, TreeCodec.decode(fdt), layout.toString());
            assertEquals(rsv, fdt.memoryReservations());
            assertArrayEquals(blob, TreeCodec.encode(TreeCodec.decode(fdt), rsv, FdtWriter.create(layout)));
        }
    }

    @Test
    void repeatedNamesAreDecodedOnce() throws FdtFormatException {
        FdtWriter w = FdtWriter.create().beginNode("");
        for (int i = 0; i < 3; i++) {
            w.beginNode("n@" + i).propertyU32("reg", i, ByteOrder.BIG_ENDIAN).endNode();
        }
        ValidatedFdt fdt = FdtValidator.standard().validate(w.endNode().finish());
        List<FdtNode> nodes = fdt.root().children();
        String first = nodes.get(0).properties().get(0).name();
        assertEquals("reg", first);
        assertSame(first, nodes.get(2).properties().get(0).name());
    }

    @Test
    void placeholderIsFilledAfterMegabytesOfLaterProperties() throws FdtFormatException {
        FdtWriter w = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL).beginNode("");
        FdtWriter.Placeholder map = w.placeholder("preserved-memory-map", 8);
        byte[] page = new byte[4096];
        for (int i = 0; i < 600; i++) {
            page[0] = (byte) i;
            w.beginNode("blob@" + i).property("data", page).endNode();
        }
        map.fillU64(0x1234_5678_9abcL, ByteOrder.LITTLE_ENDIAN);
        ValidatedFdt fdt = FdtValidator.standard().validate(w.endNode().finish());
        FdtProperty mapProperty = fdt.root().requireProperty("preserved-memory-map");
        assertEquals(0x1234_5678_9abcL, mapProperty.u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals((byte) 599, fdt.find("/blob@599").orElseThrow().requireProperty("data").bytes()[0]);
    }

    /** Short names (some tails of others), then long ones. */
    private static String[] names(SplittableRandom r) {
        String[] out = new String[420];
        for (int i = 0; i < 400; i++) {
            boolean tail = i % 7 == 0 && i > 0;
            out[i] = tail ? out[i - 1].substring(r.nextInt(out[i - 1].length())) : word(r, 1 + r.nextInt(20));
        }
        for (int i = 400; i < out.length; i++) {
            out[i] = word(r, 64 + r.nextInt(100));
        }
        return out;
    }

    private static String word(SplittableRandom r, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    /** About 3,000 nodes in a few levels; properties drawn from the names, values mostly small. */
    private static KhoNode tree(SplittableRandom r, String[] names) {
        KhoNode.Builder root = KhoNode.builder("");
        for (int a = 0; a < 30; a++) {
            KhoNode.Builder mid = KhoNode.builder("mid@" + a);
            addProperties(r, names, mid);
            for (int b = 0; b < 100; b++) {
                KhoNode.Builder leaf = KhoNode.builder(word(r, 1 + r.nextInt(30)) + "@" + Integer.toHexString(b));
                addProperties(r, names, leaf);
                mid.child(leaf.build());
            }
            root.child(mid.build());
        }
        return root.build();
    }

    private static void addProperties(SplittableRandom r, String[] names, KhoNode.Builder node) {
        int count = r.nextInt(4);
        for (int i = 0; i < count; i++) {
            int size = r.nextInt(500) == 0 ? 300 * 1024 : r.nextInt(40);
            byte[] value = new byte[size];
            r.nextBytes(value);
            node.property(Property.of(names[r.nextInt(names.length)], value));
        }
    }
}
