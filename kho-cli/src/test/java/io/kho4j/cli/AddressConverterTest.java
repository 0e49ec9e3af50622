package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressConverterTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "4096, 4096",
        "0x1000, 4096",
        "0X1000, 4096",
        "16M, 16777216",
        "16m, 16777216",
        "16MiB, 16777216",
        "16MB, 16777216",
        "4k, 4096",
        "1G, 1073741824",
        "2T, 2199023255552",
        "1P, 1125899906842624",
        "0x10K, 16384",
        // memparse reads the longest number first: B and E are hex digits here, not suffixes
        "0x1E, 30",
        "0x1B, 27",
        "0x10EK, 276480",
        "' 64 ', 64",
        "7E, 8070450532247928832",
        "18446744073709551615, -1",
        "0xffffffffffffffff, -1",
    })
    void parses(String text, long expected) {
        assertEquals(expected, AddressConverter.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "-1", "0x", "16Q", "16MX", "1.5G", "16 M", "18446744073709551616",
        "0x10000000000000000", "16E", "0x4000P", "\u0661\u0662"})
    void refuses(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressConverter.parse(text));
        assertEquals(true, e.getMessage().startsWith("'" + text + "'"), e.getMessage());
    }

    static LongStream seeds() {
        return LongStream.range(0, 20).map(i -> 0xadd0L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyUnsignedValueRoundTripsInHexAndDecimal(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 1000; i++) {
            long v = rnd.nextLong() >>> rnd.nextInt(64);
            assertEquals(v, AddressConverter.parse("0x" + Long.toHexString(v)));
            assertEquals(v, AddressConverter.parse(Long.toUnsignedString(v)));
            int shift = 10 * (1 + rnd.nextInt(6));
            long small = v >>> shift;
            assertEquals(small << shift, AddressConverter.parse(small + "KMGTPE".substring(shift / 10 - 1, shift / 10)));
        }
    }
}
