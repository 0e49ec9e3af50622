package io.kho4j.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.spi.WriteContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class AbiPinTest {
    private static final WriteContext V3 = WriteContext.of(AbiGeneration.KHO_V3_BLOB_SIZE);

    private static SessionTable.State sample() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("alpha", 0x1111L);
        m.put("beta", -2L);
        return new SessionTable.State(m);
    }

    @Test
    void theRawLayoutIsPinnedByteForByte() {
        // struct { u32 version = 2; u32 count = 2; { char name[16]; u64 token; } entries[2]; }, little-endian
        String expected = "02000000 02000000"
                + " 616c7068610000000000000000000000 1111000000000000"
                + " 62657461000000000000000000000000 feffffffffffffff";
        AbiPin.assertEncodesHex(new SessionTable(), sample(), SessionTable.V2, V3, expected);
    }

    @Test
    void aDifferenceNamesTheOffsetAndTheVersionToBumpTo() {
        String wrong = "02000000 02000000 616c7068610000000000000000000000 1211000000000000"
                + " 62657461000000000000000000000000 feffffffffffffff";
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> AbiPin.assertEncodesHex(new SessionTable(), sample(), SessionTable.V2, V3, wrong));
        assertTrue(e.getMessage().contains("first difference at offset 24"), e.getMessage());
        assertTrue(e.getMessage().contains("kho4j,example-sessions-v3"), e.getMessage());
    }
}
