package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.testsupport.Allocations;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The String-returning dumps stop at a character limit; a hostile blob's quadratic dump cannot fill the heap. */
class DumpSizeLimitTest {
    private static final int DEPTH = DecodeLimits.DEFAULT_MAX_DEPTH;
    private static final int NAME = 1000;
    private static final int PROPERTIES = 20_000;

    /**
     * 63 nested nodes with 1000-character names and 20,000 empty properties on the deepest: a 300 KB blob that
     * passes the default limits, whose canonical dump repeats the 63,063-character path on every property line.
     */
    private static ValidatedFdt hostile() throws FdtFormatException {
        RawFdt.Struct s = new RawFdt.Struct().begin("");
        String name = "a".repeat(NAME);
        for (int i = 1; i < DEPTH; i++) {
            s.begin(name);
        }
        for (int i = 0; i < PROPERTIES; i++) {
            s.prop(0, new byte[0]);
        }
        for (int i = 0; i < DEPTH; i++) {
            s.end();
        }
        RawFdt.Strings strings = new RawFdt.Strings();
        strings.add("p");
        byte[] blob = new RawFdt.Blob().struct(s.finish()).strings(strings).build();
        assertTrue(blob.length < 400_000, "blob " + blob.length);
        return FdtValidator.standard().validate(blob);
    }

    @Test
    void aQuadraticCanonicalDumpIsRefusedAtTheDefaultLimitWithBoundedMemory() throws Exception {
        ValidatedFdt fdt = hostile();
        long pathChars = (long) (DEPTH - 1) * (NAME + 1);
        long wouldNeed = PROPERTIES * ("prop ".length() + pathChars + " p\n".length());
        assertTrue(wouldNeed > 10L * DumpFormat.DEFAULT_MAX_CHARS, "the dump would need " + wouldNeed + " chars");
        DumpTooLargeException[] thrown = new DumpTooLargeException[1];
        long allocated = Allocations.measure(
                () -> thrown[0] = assertThrows(DumpTooLargeException.class, () -> CanonicalDump.toString(fdt)));
        assertEquals(DumpFormat.CANONICAL, thrown[0].format());
        assertEquals(DumpFormat.DEFAULT_MAX_CHARS, thrown[0].maxChars());
        assertTrue(thrown[0].getMessage().contains("maxChars=" + DumpFormat.DEFAULT_MAX_CHARS), thrown[0].getMessage());
        // StringBuilder doubling holds at most about twice the limit at once; the total stays a small multiple
        assertTrue(allocated < 6L * DumpFormat.DEFAULT_MAX_CHARS, "allocated " + allocated + " bytes");
    }

    @ParameterizedTest
    @EnumSource(DumpFormat.class)
    void everyFormatStopsAtASmallLimitWhileStreamingStillWorks(DumpFormat format) throws Exception {
        ValidatedFdt fdt = hostile();
        DumpTooLargeException e = assertThrows(DumpTooLargeException.class, () -> format.toString(fdt, 100_000));
        assertEquals(100_000, e.maxChars());
        assertEquals(format, e.format());
        // streaming has no limit: count the characters of the first few property lines without storing them
        Counting counted = new Counting(1_000_000);
        assertThrows(Counting.Enough.class, () -> format.write(fdt, counted));
        assertTrue(counted.chars >= 1_000_000);
    }

    @ParameterizedTest
    @EnumSource(DumpFormat.class)
    void aLimitEqualToTheLengthIsEnoughAndOneLessIsNot(DumpFormat format) throws Exception {
        ValidatedFdt fdt = FdtValidator.standard().validate(RawFdt.khoRoot(17).build());
        StringBuilder streamed = new StringBuilder();
        format.write(fdt, streamed);
        assertEquals(streamed.toString(), format.toString(fdt, streamed.length()));
        assertEquals(streamed.toString(), format.toString(fdt));
        assertThrows(DumpTooLargeException.class, () -> format.toString(fdt, streamed.length() - 1));
        assertThrows(IllegalArgumentException.class, () -> format.toString(fdt, -1));
    }

    /** Counts characters and gives up after a budget, so the test never materialises the huge text. */
    private static final class Counting implements Appendable {
        static final class Enough extends IOException {
            private static final long serialVersionUID = 1L;
        }

        private final long budget;
        private long chars;

        Counting(long budget) {
            this.budget = budget;
        }

        private Appendable add(long n) throws Enough {
            chars += n;
            if (chars >= budget) {
                throw new Enough();
            }
            return this;
        }

        @Override
        public Appendable append(CharSequence csq) throws IOException {
            return add(csq.length());
        }

        @Override
        public Appendable append(CharSequence csq, int start, int end) throws IOException {
            return add(end - start);
        }

        @Override
        public Appendable append(char c) throws IOException {
            return add(1);
        }
    }
}
