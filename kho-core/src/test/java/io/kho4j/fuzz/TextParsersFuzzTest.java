package io.kho4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.host.KernelCommandLine;
import io.kho4j.host.Kstrtobool;
import io.kho4j.scratch.KhoCommandLine;
import io.kho4j.scratch.ScratchParameterException;
import io.kho4j.scratch.ScratchRules;
import io.kho4j.scratch.ScratchSizes;
import java.nio.charset.StandardCharsets;

/**
 * The text parsers fed from a kernel or a user: {@code kho_scratch=}/{@code kho_bootmem=} values, whole kernel
 * command lines (both splitters), and kernel release strings. Input bytes are read as ISO-8859-1, one char per
 * byte. Contract: values throw only their typed exception ({@link ScratchParameterException},
 * {@link GenerationException}); command lines never throw; allocation is linear in the text.
 */
class TextParsersFuzzTest {
    private static final ScratchRules[] RULES = {ScratchRules.V6_16, ScratchRules.LATER, ScratchRules.V7_1,
        ScratchRules.V7_3, ScratchRules.V7_4};

    @FuzzTest(maxDuration = "3m")
    void scratchSizes(byte[] data) {
        String value = new String(data, StandardCharsets.ISO_8859_1);
        FuzzBudget.check("ScratchSizes.parse", (1 << 20) + 64L * data.length, () -> {
            for (ScratchRules.SizeSyntax syntax : ScratchRules.SizeSyntax.values()) {
                try {
                    ScratchSizes.parse(value, syntax);
                } catch (ScratchParameterException e) {
                    // the allowed failure
                }
            }
        });
    }

    /**
     * Also differential: {@link KhoCommandLine} and {@link KernelCommandLine} both split like the kernel's
     * {@code next_arg}, so the scratch sizes KhoCommandLine settles on must be what applying each
     * {@code kho_scratch=} that KernelCommandLine finds, in order, gives.
     */
    @FuzzTest(maxDuration = "3m")
    void commandLines(byte[] data) {
        String cmdline = new String(data, StandardCharsets.ISO_8859_1);
        FuzzBudget.check("command line parsers", (1 << 20) + 256L * data.length, () -> {
            for (ScratchRules rules : RULES) {
                KhoCommandLine.parse(cmdline, rules);
            }
            KernelCommandLine parsed = KernelCommandLine.parse(cmdline);
            parsed.kho(Kstrtobool.V6_17);
            parsed.value(KernelCommandLine.KHO_BOOTMEM);
            ScratchSizes expected = ScratchSizes.DEFAULT;
            ScratchSizes.Explicit explicit = new ScratchSizes.Explicit(0, 0, 0);
            for (KernelCommandLine.Parameter p : parsed.parameters()) {
                if (p.name().equals(KernelCommandLine.KHO_SCRATCH) && p.value().isPresent()) {
                    try {
                        ScratchSizes s = ScratchSizes.parse(p.value().get(), ScratchRules.LATER.sizeSyntax());
                        explicit = s instanceof ScratchSizes.Explicit e ? e : explicit;
                        expected = s instanceof ScratchSizes.Scale sc && sc.percent() == 0 ? explicit : s;
                    } catch (ScratchParameterException e) {
                        // ignored by the kernel, earlier values stay
                    }
                }
            }
            ScratchSizes actual = KhoCommandLine.parse(cmdline, ScratchRules.LATER).sizes();
            if (!actual.equals(expected)) {
                throw new AssertionError("KhoCommandLine settles on " + actual + ", KernelCommandLine's parameters on "
                        + expected);
            }
        });
    }

    @FuzzTest(maxDuration = "3m")
    void kernelReleases(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        FuzzBudget.check("KernelRelease.parse", (1 << 20) + 64L * data.length, () -> {
            KernelRelease release;
            try {
                release = KernelRelease.parse(text);
            } catch (GenerationException e) {
                return;
            }
            try {
                if (!KernelRelease.parse(release.toString()).equals(release)) {
                    throw new AssertionError("\"" + release + "\" parses to another release");
                }
                AbiGeneration.forKernelRelease(release);
            } catch (GenerationException e) {
                if (e.kind() == GenerationException.Kind.MALFORMED_RELEASE) {
                    throw new AssertionError("a parsed release prints as text it refuses: " + release, e);
                }
            }
        });
    }
}
