package io.kho4j.scratch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.KernelCommandLine;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KhoCommandLineTest {
    private static final long G = 1L << 30;
    private static final long M = 1L << 20;

    @Test
    void readsKhoAndExplicitSizes() {
        KhoCommandLine c = KhoCommandLine.parse("console=ttyS0 kho=on kho_scratch=16M,512M,256M quiet",
                ScratchRules.V7_1);
        assertEquals(Optional.of(true), c.enabled());
        assertEquals(new ScratchSizes.Explicit(16 * M, 512 * M, 256 * M), c.sizes());
        assertEquals(0, c.problems().size());
    }

    @Test
    void withoutTheParameterTheScaleIs200Percent() {
        KhoCommandLine c = KhoCommandLine.parse("root=/dev/vda", ScratchRules.V6_16);
        assertEquals(Optional.empty(), c.enabled());
        assertEquals(new ScratchSizes.Scale(200), c.sizes());
    }

    @Test
    void dashesAndUnderscoresMatchAndTheLastValidValueWins() {
        KhoCommandLine c = KhoCommandLine.parse("kho-scratch=1G,1G,1G kho_scratch=25% kho=off kho=1",
                ScratchRules.LATER);
        assertEquals(new ScratchSizes.Scale(25), c.sizes());
        assertEquals(Optional.of(true), c.enabled());
    }

    @Test
    void aRejectedValueIsReportedAndTheEarlierOneStays() {
        KhoCommandLine c = KhoCommandLine.parse("kho_scratch=1G,1G,1G kho_scratch=1G,,", ScratchRules.LATER);
        assertEquals(new ScratchSizes.Explicit(G, G, G), c.sizes());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).startsWith("Malformed early option 'kho_scratch'"), c.problems().get(0));
    }

    @Test
    void zeroPercentFallsBackToEarlierExplicitSizes() {
        // a percentage only sets scratch_scale; 0 means "use the explicit sizes", which an earlier value set
        KhoCommandLine c = KhoCommandLine.parse("kho_scratch=1G,2G,3G kho_scratch=0%", ScratchRules.LATER);
        assertEquals(new ScratchSizes.Explicit(G, 2 * G, 3 * G), c.sizes());
    }

    @Test
    void parsingStopsAtDoubleDash() {
        KhoCommandLine c = KhoCommandLine.parse("ro -- kho=on kho_scratch=1%", ScratchRules.LATER);
        assertEquals(Optional.empty(), c.enabled());
        assertEquals(ScratchSizes.DEFAULT, c.sizes());
    }

    @Test
    void quotesAreRemoved() {
        assertEquals(new ScratchSizes.Explicit(G, G, G),
                KhoCommandLine.parse("\"kho_scratch=1G,1G,1G\"", ScratchRules.LATER).sizes());
        assertEquals(new ScratchSizes.Explicit(G, G, M),
                KhoCommandLine.parse("foo=\"a b\" kho_scratch=\"1G,1G,1M\"", ScratchRules.LATER).sizes());
    }

    @Test
    void sevenFourReadsKhoBootmemOnly() {
        assertEquals(new ScratchSizes.Explicit(16 * M, 512 * M, 256 * M),
                KhoCommandLine.parse("kho_bootmem=16M,512M,256M", ScratchRules.V7_4).sizes());
        assertEquals(ScratchSizes.DEFAULT, KhoCommandLine.parse("kho_scratch=16M,512M,256M", ScratchRules.V7_4).sizes());
    }

    @Test
    void aBareKhoIsMalformed() {
        KhoCommandLine c = KhoCommandLine.parse("kho", ScratchRules.LATER);
        assertEquals(Optional.empty(), c.enabled());
        assertEquals(1, c.problems().size());
    }

    /**
     * Found by TextParsersFuzzTest (input kept): only the kernel's isspace separates arguments, so a U+001F or
     * an em space stays inside the value, which the kernel then rejects.
     */
    @Test
    void onlyAsciiSpacesSeparateArguments() {
        for (String sep : new String[] {"\u001f", "\u2003"}) {
            KhoCommandLine c = KhoCommandLine.parse("kho_scratch=1G,1G,1G" + sep + "kho=on", ScratchRules.LATER);
            assertEquals(ScratchSizes.DEFAULT, c.sizes());
            assertEquals(Optional.empty(), c.enabled());
            assertEquals(1, c.problems().size());
        }
        assertEquals(new ScratchSizes.Explicit(1 << 30, 1 << 30, 1 << 30),
                KhoCommandLine.parse("x\u000b kho_scratch=1G,1G,1G\f", ScratchRules.LATER).sizes());
    }

    /** 6.16 rejects kho=enabled ("Malformed early option"), 6.17 takes it; before, the two parsers disagreed. */
    @Test
    void enabledAndDisabledFollowTheRelease() {
        KhoCommandLine old = KhoCommandLine.parse("kho=on kho=enabled", ScratchRules.V6_16);
        assertEquals(Optional.of(true), old.enabled());
        assertEquals(1, old.problems().size());
        assertTrue(old.problems().get(0).startsWith("Malformed early option 'kho'"), old.problems().get(0));
        assertEquals(Optional.of(false), KhoCommandLine.parse("kho=on kho=disabled", ScratchRules.LATER).enabled());
        assertEquals(Optional.of(true), KhoCommandLine.parse("kho=off kho=E", ScratchRules.V7_4).enabled());
    }

    /** Differential: the scratch view of kho= is the last value KernelCommandLine's parameters give. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void khoAgreesWithKernelCommandLine(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] pieces = {"kho", "kho=", "kho=e", "kho=d", "kho=on", "kho=of", "kho=1", "kho=x", "\"kho=y\"",
            "kho=\"n\"", "--", "\"--\"", "k-ho=t", "quiet", " ", "\t", "\"", "kho=\"e f\""};
        for (int round = 0; round < 200; round++) {
            StringBuilder cmdline = new StringBuilder();
            for (int i = random.nextInt(8); i >= 0; i--) {
                cmdline.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? " " : "");
            }
            for (ScratchRules rules : new ScratchRules[] {ScratchRules.V6_16, ScratchRules.V7_4}) {
                Optional<Boolean> expected = Optional.empty();
                for (KernelCommandLine.Parameter p : KernelCommandLine.parse(cmdline.toString()).parameters()) {
                    if (p.name().equals(KernelCommandLine.KHO)) {
                        Optional<Boolean> v = p.value().flatMap(rules.kstrtobool()::parse);
                        expected = v.isPresent() ? v : expected;
                    }
                }
                assertEquals(expected, KhoCommandLine.parse(cmdline.toString(), rules).enabled(),
                        rules.label() + " [" + cmdline + "]");
            }
        }
    }

    static LongStream seeds() {
        return LongStream.of(1, 2, 3, 0x6b686f34L);
    }
}
