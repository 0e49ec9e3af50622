package io.kho4j.scratch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kho4j.scratch.ScratchRules.SizeSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kho_parse_scratch_size per kho-abi.md §3: 6.16 rejects zero components, later kernels reject leftovers. */
class ScratchSizesTest {
    private static final long K = 1L << 10;
    private static final long M = 1L << 20;
    private static final long G = 1L << 30;

    @ParameterizedTest(name = "{0} [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
        "16M,512M,256M        | V6_16 | explicit 16777216 536870912 268435456",
        "16M,512M,256M        | LATER | explicit 16777216 536870912 268435456",
        "10%                  | V6_16 | scale 10",
        "10%                  | LATER | scale 10",
        "+10%                 | LATER | scale 10",
        "0%                   | LATER | scale 0",
        "4294967295%          | LATER | scale 4294967295",
        "0x1000,1k,010        | LATER | explicit 4096 1024 8",
        "1g,2G,3t             | V6_16 | explicit 1073741824 2147483648 3298534883328",
        "0,512M,0             | LATER | explicit 0 536870912 0",
        "M,1M,0               | LATER | explicit 0 1048576 0",
        "16M,512M,256Mjunk    | V6_16 | explicit 16777216 536870912 268435456",
        "1E,0,0               | LATER | explicit 1152921504606846976 0 0"})
    void acceptedValues(String value, SizeSyntax syntax, String expected) throws Exception {
        ScratchSizes s = ScratchSizes.parse(value, syntax);
        String actual = s instanceof ScratchSizes.Scale sc ? "scale " + sc.percent()
                : "explicit " + ((ScratchSizes.Explicit) s).lowmem() + " " + ((ScratchSizes.Explicit) s).global() + " "
                        + ((ScratchSizes.Explicit) s).perNode();
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0} [{1}] rejected")
    @CsvSource(delimiter = '|', value = {
        "0,512M,0             | V6_16",
        "M,1M,1M              | V6_16",
        "1G,,                 | V6_16",
        "1G,,                 | LATER",
        "0,0,0                | LATER",
        "16M,512M,256Mjunk    | LATER",
        "16M,512M,256M,       | LATER",
        "1G,512M              | LATER",
        "1G;2G;3G             | LATER",
        "-1M,1M,1M            | LATER",
        "%                    | LATER",
        "12345678901%         | LATER",
        "4294967296%          | LATER",
        "0x10%                | LATER",
        "10%%                 | V6_16",
        "16E,1,1              | LATER",
        "99999999999999999999,1,1 | LATER"})
    void rejectedValues(String value, SizeSyntax syntax) {
        assertThrows(ScratchParameterException.class, () -> ScratchSizes.parse(value, syntax));
    }

    @Test
    void anEmptyValueIsRejected() {
        assertThrows(ScratchParameterException.class, () -> ScratchSizes.parse("", SizeSyntax.LATER));
    }

    @Test
    void memparseStopsWhereTheKernelStops() throws Exception {
        int[] end = new int[1];
        assertEquals(0, SizeParser.memparse("0xg", 0, end), "0x without a hex digit is octal 0, then 'x'");
        assertEquals(1, end[0]);
        assertEquals(0x1e, SizeParser.memparse("0x1E", 0, end), "E is a hex digit here, not exa");
        assertEquals(7 * M, SizeParser.memparse("7m,", 0, end));
        assertEquals(2, end[0]);
        assertEquals(3 * K + 0, SizeParser.memparse("3K", 0, end));
        assertEquals(G, SizeParser.memparse("01G", 0, end));
    }
}
