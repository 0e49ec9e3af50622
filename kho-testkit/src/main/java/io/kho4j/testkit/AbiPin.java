package io.kho4j.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.kho4j.abi.CompatibleString;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Pins "compatible X encodes to these bytes": the strongest ABI check, for formats another implementation (the
 * kernel, an older release of the subsystem) must read. Build the expected bytes by hand from the format's
 * definition, not with the serializer under test.
 */
public final class AbiPin {
    private static final int WINDOW = 16;

    private AbiPin() {
    }

    /**
     * @param <S> state type
     * @param serializer the serializer
     * @param state the state
     * @param version the version to write
     * @param context generation, byte order, page size
     * @param expected the bytes that version must produce
     */
    public static <S> void assertEncodes(SubsystemSerializer<S> serializer, S state, CompatibleString version,
            WriteContext context, byte[] expected) {
        SerializedSubtree s = Subtrees.write(serializer, state, version, context);
        byte[] actual = s.bytes();
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            fail(version + " for " + context.generation() + " no longer encodes to the pinned bytes: first difference at"
                    + " offset " + at + " (expected " + expected.length + " bytes, got " + actual.length + ")\n  expected "
                    + window(expected, at) + "\n  actual   " + window(actual, at) + "\nA deliberate change needs a new"
                    + " compatible version (" + version.next() + "); pin it separately.");
        }
    }

    /**
     * @param <S> state type
     * @param serializer the serializer
     * @param state the state
     * @param version the version to write
     * @param context generation, byte order, page size
     * @param expectedHex the expected bytes in hex (whitespace ignored)
     */
    public static <S> void assertEncodesHex(SubsystemSerializer<S> serializer, S state, CompatibleString version,
            WriteContext context, String expectedHex) {
        assertEncodes(serializer, state, version, context, HexFormat.of().parseHex(expectedHex.replaceAll("\\s", "")));
    }

    private static String window(byte[] b, int at) {
        int from = Math.max(0, at - WINDOW / 2);
        int to = Math.min(b.length, at + WINDOW);
        return "[" + from + ".." + to + ") " + HexFormat.of().formatHex(b, from, Math.max(from, to));
    }
}
