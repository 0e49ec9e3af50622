package io.kho4j.internal.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.fdt.FdtWriter;
import io.kho4j.testsupport.ExternalTools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LibFdtCheck#checkFullCode} gives the same verdict whatever buffer holds the blob: heap, read-only,
 * direct (checked in place), direct at an address libfdt cannot take in place (copied), or too short for a
 * header.
 */
class LibFdtCheckBufferTest {

    @BeforeEach
    void needsLibfdt() {
        ExternalTools.requireLibfdt();
    }

    private static List<ByteBuffer> holders(byte[] blob) {
        List<ByteBuffer> all = new ArrayList<>();
        all.add(ByteBuffer.wrap(blob));
        all.add(ByteBuffer.wrap(blob).asReadOnlyBuffer());
        all.add(ByteBuffer.allocateDirect(blob.length).put(blob));
        ByteBuffer spare = ByteBuffer.allocateDirect(blob.length + 16);
        int oddAddress = (8 - spare.alignmentOffset(0, 8)) % 8 + 1; // one past an 8-byte boundary
        all.add(spare.slice(oddAddress, blob.length).put(blob));
        return all;
    }

    @Test
    void theVerdictDoesNotDependOnTheBuffer() {
        byte[] good = FdtWriter.create().beginNode("").propertyU32("n", 1, ByteOrder.BIG_ENDIAN).endNode().finish();
        byte[] bad = good.clone();
        bad[ByteBuffer.wrap(good).getInt(8) + 3] = 0x0a; // the root's FDT_BEGIN_NODE becomes an unknown token
        for (byte[] blob : new byte[][] {good, bad, Arrays.copyOf(good, 20), new byte[0]}) {
            int expected = LibFdtCheck.checkFullCode(ByteBuffer.wrap(blob.clone()));
            assertEquals(blob == good, expected == 0, "libfdt's verdict on a " + blob.length + "-byte blob: " + expected);
            for (ByteBuffer b : holders(blob)) {
                assertEquals(expected, LibFdtCheck.checkFullCode(b), b + " " + blob.length);
            }
        }
    }
}
