package io.kho4j.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CompatibleStringTest {

    @ParameterizedTest
    @CsvSource({
        "kho-v4, , kho, 4",
        "reserve-mem-v1, , reserve-mem, 1",
        "'ftrace,cpu-v1', ftrace, cpu, 1",
        "'kho4j,vm-memory-v1', kho4j, vm-memory, 1",
        "luo-session-v2, , luo-session, 2",
        "liveupdate-test-flb-v0, , liveupdate-test-flb, 0",
        "kho-vmalloc-v12, , kho-vmalloc, 12",
        "'active-semi,x_y.z+w-v2147483647', active-semi, x_y.z+w, 2147483647",
    })
    void upstreamAndProjectStringsParse(String text, String vendor, String name, int version) throws Exception {
        CompatibleString c = CompatibleString.parse(text);
        assertEquals(Optional.ofNullable(vendor), c.vendor());
        assertEquals(name, c.name());
        assertEquals(version, c.version());
        assertEquals(text, c.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "kho|3|no \"-v<N>\" version suffix",
        "kho-v|5|no digits after",
        "kho-v01|5|leading zero",
        "kho-v1x|6|in the version",
        "Kho-v1|0|'K' is not allowed",
        "kho v1|3|' ' is not allowed",
        "-kho-v1|0|'-' must separate",
        "kho--x-v1|4|'-' must separate",
        ",kho-v1|0|empty vendor",
        "a,b,c-v1|3|a second ','",
        "acme,-v1|5|empty name",
        "kho-v4;radix-v1|6|';' is not allowed",
        "kho-v99999999999|14|version larger than",
    })
    void malformedStringsNameThePosition(String text, int position, String problem) {
        CompatibleStringException e = assertThrows(CompatibleStringException.class, () -> CompatibleString.parse(text));
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
        assertEquals(Optional.empty(), CompatibleString.tryParse(text));
        assertThrows(IllegalArgumentException.class, () -> CompatibleString.of(text));
    }

    @Test
    void familiesAndVersionsCompare() {
        CompatibleString v1 = CompatibleString.of("ftrace,cpu-v1");
        CompatibleString v2 = CompatibleString.of("ftrace,cpu-v2");
        CompatibleString other = CompatibleString.of("ftrace,array-v1");
        assertTrue(v1.sameFamily(v2));
        assertFalse(v1.sameFamily(other));
        assertEquals("ftrace,cpu", v1.family());
        assertEquals(v2, v1.next());
        assertEquals(List.of(other, v1, v2), List.of(v2, other, v1).stream().sorted().toList());
        assertEquals(CompatibleString.of("kho4j,vm-memory-v3"), CompatibleString.of("kho4j", "vm-memory", 3));
    }

    static LongStream seeds() {
        return new SplittableRandom(7).longs(20);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomStringsEitherRoundTripOrFailWithAPositionInside(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String alphabet = "abcxyz019_.+-,vV ;\u00e9";
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(16);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            if (r.nextBoolean()) {
                sb.append("-v").append(r.nextInt(100));
            }
            String s = sb.toString();
            try {
                assertEquals(s, CompatibleString.parse(s).toString());
            } catch (CompatibleStringException e) {
                assertTrue(e.position() >= 0 && e.position() <= s.length(), s + ": " + e.getMessage());
            }
        }
    }
}
