package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.KernelCommandLine.Parameter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelCommandLineTest {

    @ParameterizedTest(name = "kho={0} -> {1}")
    @CsvSource({"on, true", "ON, true", "1, true", "y, true", "Yes, true", "t, true", "true, true",
                "off, false", "Off, false", "0, false", "n, false", "no, false", "f, false",
                "o, ", "oops, ", "2, ", "enable, "})
    void khoFollowsKstrtobool(String value, Boolean expected) {
        assertEquals(Optional.ofNullable(expected), KernelCommandLine.parse("root=/dev/sda kho=" + value).kho(Kstrtobool.V6_16));
    }

    @Test
    void khoAbsentEmptyOrWithoutValueLeavesTheDefault() {
        assertEquals(Optional.empty(), KernelCommandLine.parse("root=/dev/sda quiet").kho(Kstrtobool.V6_16));
        assertEquals(Optional.empty(), KernelCommandLine.parse("kho= quiet").kho(Kstrtobool.V6_16));
        assertEquals(Optional.empty(), KernelCommandLine.parse("kho quiet").kho(Kstrtobool.V6_16));
        assertEquals(Optional.of(new Parameter("kho", Optional.empty())), KernelCommandLine.parse("kho quiet").last("kho"));
    }

    @Test
    void theLastOccurrenceWins() {
        KernelCommandLine cl = KernelCommandLine.parse("kho=on kho_scratch=1G kho=off kho_scratch=16M,512M,256M\n");
        assertEquals(Optional.of(false), cl.kho(Kstrtobool.V6_16));
        assertEquals(Optional.of("16M,512M,256M"), cl.value(KernelCommandLine.KHO_SCRATCH));
    }

    @Test
    void scratchAndBootmemAreSeparateParameters() {
        KernelCommandLine cl = KernelCommandLine.parse("kho=1 kho_bootmem=50%");
        assertEquals(Optional.of("50%"), cl.value("kho_bootmem"));
        assertEquals(Optional.empty(), cl.value("kho_scratch"));
    }

    @Test
    void dashesAndUnderscoresAreTheSame() {
        KernelCommandLine cl = KernelCommandLine.parse("kho-scratch=8M,64M,32M");
        assertEquals(Optional.of("8M,64M,32M"), cl.value("kho_scratch"));
        assertEquals(Optional.of("8M,64M,32M"), cl.value("kho-scratch"));
    }

    @Test
    void quotesKeepSpacesAndAreDropped() {
        KernelCommandLine cl = KernelCommandLine.parse("dyndbg=\"file kexec_handover.c +p\" \"kho=on\" x=\"a\"b");
        assertEquals(Optional.of("file kexec_handover.c +p"), cl.value("dyndbg"));
        assertEquals(Optional.of(true), cl.kho(Kstrtobool.V6_16));
        assertEquals(Optional.of("a\"b"), cl.value("x"), "only a leading quote and the last character are removed");
    }

    @Test
    void everythingAfterADoubleDashBelongsToInit() {
        KernelCommandLine cl = KernelCommandLine.parse("ro kho=on -- kho=off single");
        assertEquals(Optional.of(true), cl.kho(Kstrtobool.V6_16));
        assertEquals(List.of("ro", "kho"), cl.parameters().stream().map(Parameter::name).toList());
    }

    /** Found comparing with KhoCommandLine, which TextParsersFuzzTest does: next_arg drops the quotes first. */
    @Test
    void aQuotedDoubleDashAlsoEndsTheKernelParameters() {
        assertEquals(List.of("ro"), KernelCommandLine.parse("ro \"--\" kho=on").parameters().stream()
                .map(Parameter::name).toList());
        assertEquals(Optional.of(true), KernelCommandLine.parse("__ kho=on").kho(Kstrtobool.V6_16));
    }

    @Test
    void whitespaceOfAnyKindSeparates() {
        KernelCommandLine cl = KernelCommandLine.parse("\t a=1\n\nb \r c=\n");
        assertEquals(List.of(new Parameter("a", Optional.of("1")), new Parameter("b", Optional.empty()),
                new Parameter("c", Optional.of(""))), cl.parameters());
        assertTrue(KernelCommandLine.parse("   \n").parameters().isEmpty());
    }

    @Test
    void onlyTheFirstEqualsSplits() {
        assertEquals(Optional.of("UUID=1234-abcd"), KernelCommandLine.parse("root=UUID=1234-abcd").value("root"));
    }
}
