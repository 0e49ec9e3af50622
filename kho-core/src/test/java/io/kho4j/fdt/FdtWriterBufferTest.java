package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import io.kho4j.tree.TreeCodec;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way of giving the writer its memory (its own growing segments, a size hint that is exact, short or
 * long, a caller's reused buffer full of old bytes) gives the same bytes; the byte layouts themselves are
 * checked against dtc and libfdt in {@link DtcDifferentialTest}.
 */
class FdtWriterBufferTest {

    static LongStream seeds() {
        return LongStream.range(20261100, 20261140);
    }

    /** The tree replayed call for call, so that no size is known in advance. */
    private static void replay(KhoNode node, FdtWriter w) {
        w.beginNode(node.name());
        for (Property p : node.properties()) {
            w.property(p.name(), p.value());
        }
        for (KhoNode c : node.children()) {
            replay(c, w);
        }
        w.endNode();
    }

    private static FdtWriter withReservations(FdtWriter w, RandomTrees.Tree tree) {
        tree.reservations().forEach(r -> w.addReservation(r.address(), r.size()));
        return w;
    }

    private static byte[] garbage(SplittableRandom rnd, int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyKindOfMemoryGivesTheSameBytes(long seed) {
        RandomTrees.Tree tree = RandomTrees.generate(seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (FdtWriter.Layout layout : FdtWriter.Layout.values()) {
            FdtWriter plain = withReservations(FdtWriter.create(layout), tree);
            replay(tree.khoNode(), plain);
            byte[] expected = plain.finish();
            String what = layout + " seed " + seed;
            assertEquals(expected.length, TreeCodec.encodedSize(tree.khoNode(), tree.reservations(), layout), what);
            assertArrayEquals(expected,
                    TreeCodec.encode(tree.khoNode(), tree.reservations(), FdtWriter.create(layout)), what);
            for (int hint : new int[] {0, 1, expected.length / 2, expected.length, expected.length + 1 + rnd.nextInt(999)}) {
                FdtWriter hinted = withReservations(FdtWriter.create(layout).ensureCapacity(hint), tree);
                replay(tree.khoNode(), hinted);
                assertArrayEquals(expected, hinted.finish(), what + " hint " + hint);
            }
            byte[] buffer = garbage(rnd, expected.length + rnd.nextInt(64));
            byte[] tail = Arrays.copyOfRange(buffer, expected.length, buffer.length);
            FdtWriter over = withReservations(FdtWriter.over(layout, buffer), tree);
            replay(tree.khoNode(), over);
            assertEquals(expected.length, over.finishInBuffer(), what);
            assertArrayEquals(expected, Arrays.copyOf(buffer, expected.length), what);
            assertArrayEquals(tail, Arrays.copyOfRange(buffer, expected.length, buffer.length), what + ": bytes after the blob");
            rnd.nextBytes(buffer); // reuse, as a caller would
            assertEquals(expected.length, TreeCodec.encodeInto(tree.khoNode(), tree.reservations(),
                    FdtWriter.over(layout, buffer)), what);
            assertArrayEquals(expected, Arrays.copyOf(buffer, expected.length), what + " (encodeInto)");
        }
    }

    /**
     * TreeCodec's writer reuses the strings table of its size pass. In libfdt order a name that later turns
     * out to be the tail of a newer name moves to it (libfdt's lookup finds the newest match), so the
     * properties written before and after the newer name point at different bytes; the reuse must not change
     * that, nor the dtc-order case where the first occurrence stays.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(FdtWriter.Layout.class)
    void reusingTheSizePassNamesKeepsEveryNameOffset(FdtWriter.Layout layout) {
        byte[] v = {1, 2, 3, 4};
        KhoNode tree = KhoNode.builder("")
                .property(Property.of("size", v))
                .property(Property.of("reg-size", v))
                .child(KhoNode.builder("a").property(Property.of("size", v)).property(Property.of("g-size", v))
                        .property(Property.of("reg-size", v)).property(Property.of("e", v)).build())
                .build();
        FdtWriter plain = FdtWriter.create(layout);
        replay(tree, plain);
        byte[] expected = plain.finish();
        assertArrayEquals(expected, TreeCodec.encode(tree, java.util.List.of(), FdtWriter.create(layout)));
        byte[] buffer = new byte[expected.length];
        TreeCodec.encodeInto(tree, java.util.List.of(), FdtWriter.over(layout, buffer));
        assertArrayEquals(expected, buffer);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aShortBufferIsReportedWithItsSizeAndEndsTheWriter(long seed) {
        RandomTrees.Tree tree = RandomTrees.generate(seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        int size = TreeCodec.encodedSize(tree.khoNode(), tree.reservations(), FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        int capacity = rnd.nextInt(size);
        FdtWriter w = withReservations(FdtWriter.over(FdtWriter.Layout.LIBFDT_SEQUENTIAL, new byte[capacity]), tree);
        FdtBufferTooSmallException e = assertThrows(FdtBufferTooSmallException.class, () -> {
            replay(tree.khoNode(), w);
            w.finishInBuffer();
        });
        assertEquals(capacity, e.capacity());
        assertTrue(e.required() > capacity && e.required() <= size, e.getMessage());
        assertTrue(e.getMessage().contains(capacity + ""), e.getMessage());
        IllegalStateException after = assertThrows(IllegalStateException.class, w::finishInBuffer);
        assertTrue(after.getMessage().contains("state DONE"), after.getMessage());

        // TreeCodec knows the size first and refuses before touching the buffer.
        byte[] buffer = garbage(rnd, capacity);
        byte[] before = buffer.clone();
        FdtBufferTooSmallException early = assertThrows(FdtBufferTooSmallException.class,
                () -> TreeCodec.encodeInto(tree.khoNode(), tree.reservations(),
                        FdtWriter.over(FdtWriter.Layout.LIBFDT_SEQUENTIAL, buffer)));
        assertEquals(size, early.required());
        assertArrayEquals(before, buffer);
    }

    /** The calls that write no bytes of their own (NULs, placeholders, the alignment gap) in old memory. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(FdtWriter.Layout.class)
    void bytesTheWriterOnlyImpliedAreWrittenIntoAReusedBuffer(FdtWriter.Layout layout) {
        Consumer<FdtWriter> calls = w -> {
            w.beginNode("").propertyStrings("compatible", "kho-v1", "x").propertyEmpty("flag");
            FdtWriter.Placeholder p = w.placeholder("preserved-memory-map", 8);
            w.beginNode("child@1").propertyU32("n", 7, ByteOrder.BIG_ENDIAN).endNode();
            p.fillU64(0x1234, ByteOrder.LITTLE_ENDIAN);
            w.endNode();
        };
        FdtWriter plain = FdtWriter.create(layout);
        calls.accept(plain);
        byte[] expected = plain.finish();
        byte[] buffer = new byte[expected.length + 16];
        Arrays.fill(buffer, (byte) 0xa5);
        FdtWriter over = FdtWriter.over(layout, buffer);
        calls.accept(over);
        assertEquals(expected.length, over.finishInBuffer());
        assertArrayEquals(expected, Arrays.copyOf(buffer, expected.length));
    }

    /** Values larger than a segment, and many segments, without a size hint. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void largeValuesAcrossSegmentsMatchTheExactlySizedBlob(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        KhoNode.Builder root = KhoNode.builder("");
        for (int i = rnd.nextInt(1, 6); i > 0; i--) {
            root.child(KhoNode.builder("n@" + i).property(Property.of("mem", garbage(rnd, rnd.nextInt(600_000))))
                    .property(Property.of("start", garbage(rnd, rnd.nextInt(9)))).build());
        }
        KhoNode tree = root.build();
        FdtWriter plain = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
        replay(tree, plain);
        assertArrayEquals(TreeCodec.encode(tree, java.util.List.of(), FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL)),
                plain.finish(), "seed " + seed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FdtWriter.Layout.class)
    void eachFinishBelongsToItsKindOfWriter(FdtWriter.Layout layout) {
        FdtWriter over = FdtWriter.over(layout, new byte[256]).beginNode("").endNode();
        assertTrue(assertThrows(IllegalStateException.class, over::finish).getMessage().contains("finishInBuffer"));
        FdtWriter own = FdtWriter.create(layout).beginNode("").endNode();
        assertTrue(assertThrows(IllegalStateException.class, own::finishInBuffer).getMessage().contains("finish()"));
    }
}
