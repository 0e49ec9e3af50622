package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FdtWriter#propertyU64s} and {@link FdtWriter#propertyU32s} write the same blob as {@link FdtWriter#property}
 * of the hand-encoded bytes.
 */
class FdtWriterU64sTest {
    static Stream<Arguments> seeds() {
        return LongStream.range(0, 16).mapToObj(i -> 0x7536_3473L + i * 104_729).map(seed -> Arguments.of(
                "seed 0x" + Long.toHexString(seed), seed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void u64ArraysMatchTheirBytesInBothOrders(String name, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            // 0 .. 5,000 values: empty, tiny, and above the JDK's bulk-copy threshold
            long[] values = r.longs(r.nextInt(3) == 0 ? r.nextInt(3) : r.nextInt(5_000)).toArray();
            byte[] bytes = new byte[values.length * 8];
            for (int i = 0; i < values.length; i++) {
                for (int b = 0; b < 8; b++) {
                    int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * b : 8 * (7 - b);
                    bytes[8 * i + b] = (byte) (values[i] >>> shift);
                }
            }
            byte[] expected = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL).beginNode("").propertyU32("a", 1,
                    order).property("mem", bytes).endNode().finish();
            byte[] actual = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL).beginNode("").propertyU32("a", 1,
                    order).propertyU64s("mem", values, order).endNode().finish();
            assertArrayEquals(expected, actual, name + " " + order);
            assertArrayEquals(values, FdtValidator.standard().validate(actual).root().requireProperty("mem")
                    .u64Array(order), name + " " + order);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void u32ArraysMatchTheirBytesInBothOrders(String name, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int[] values = r.ints(r.nextInt(3) == 0 ? r.nextInt(3) : r.nextInt(5_000)).toArray();
            byte[] bytes = new byte[values.length * 4];
            for (int i = 0; i < values.length; i++) {
                for (int b = 0; b < 4; b++) {
                    int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * b : 8 * (3 - b);
                    bytes[4 * i + b] = (byte) (values[i] >>> shift);
                }
            }
            byte[] expected = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL).beginNode("").propertyU32("a", 1,
                    order).property("events", bytes).endNode().finish();
            byte[] actual = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL).beginNode("").propertyU32("a", 1,
                    order).propertyU32s("events", values, order).endNode().finish();
            assertArrayEquals(expected, actual, name + " " + order);
            assertArrayEquals(values, FdtValidator.standard().validate(actual).root().requireProperty("events")
                    .u32Array(order), name + " " + order);
        }
    }
}
