package io.kho4j.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionNegotiationTest {
    private static final CompatibleString CPU1 = CompatibleString.of("ftrace,cpu-v1");
    private static final CompatibleString CPU2 = CompatibleString.of("ftrace,cpu-v2");
    private static final CompatibleString MEM1 = CompatibleString.of("memblock-v1");

    @Test
    void theReaderPicksTheBestVersionItSupports() {
        assertEquals(Optional.of(CPU2), VersionNegotiation.best(List.of("ftrace,cpu-v2", "ftrace,cpu-v1"),
                List.of(CPU1, CPU2)));
        assertEquals(Optional.of(CPU1), VersionNegotiation.best(List.of("ftrace,cpu-v2", "ftrace,cpu-v1"),
                List.of(CPU1)));
        assertEquals(Optional.empty(), VersionNegotiation.best(List.of("FTRACE", ""), List.of(CPU1)));
    }

    @Test
    void oneReportListsEveryMismatch() throws Exception {
        VersionNegotiation n = VersionNegotiation.create()
                .offer("memblock", List.of("memblock-v1"), List.of(MEM1))
                .offer("ftrace", List.of("ftrace,cpu-v3"), List.of(CPU1, CPU2))
                .offer("LUO", List.of("luo-v1"), List.of(CompatibleString.of("luo-v5")))
                .offer("gic", List.of(), List.of(CompatibleString.of("kho4j,gic-v1")))
                .offer("vm", List.of("not a compatible"), List.of(CompatibleString.of("kho4j,vm-memory-v1")));
        NegotiationException e = assertThrows(NegotiationException.class, n::resolve);
        assertEquals(List.of("ftrace", "LUO", "gic", "vm"), e.mismatches().stream().map(Mismatch::subsystem).toList());
        Mismatch ftrace = e.mismatches().get(0);
        assertEquals(List.of("ftrace,cpu-v3"), ftrace.found());
        assertEquals(List.of(CPU1, CPU2), ftrace.supported());
        assertTrue(ftrace.reason().contains("newer producer") && ftrace.reason().contains("up to v2"), ftrace.reason());
        assertTrue(e.mismatches().get(1).reason().contains("older producer"), e.mismatches().get(1).reason());
        assertTrue(e.mismatches().get(2).reason().contains("no compatible string"));
        assertEquals(5, e.getMessage().split("\n").length, e.getMessage());
        assertTrue(e.getMessage().contains("ftrace: found [ftrace,cpu-v3], supported [ftrace,cpu-v1, ftrace,cpu-v2]"),
                e.getMessage());
    }

    @Test
    void successReturnsTheChoiceInOfferOrder() throws Exception {
        Map<String, CompatibleString> chosen = VersionNegotiation.create()
                .offer("ftrace", List.of("ftrace,cpu-v2", "ftrace,cpu-v1"), List.of(CPU1))
                .offer("memblock", List.of("memblock-v1"), List.of(MEM1)).resolve();
        assertEquals(List.of("ftrace", "memblock"), List.copyOf(chosen.keySet()));
        assertEquals(CPU1, chosen.get("ftrace"));
        assertThrows(IllegalArgumentException.class, () -> VersionNegotiation.create()
                .offer("a", List.of(), List.of()).offer("a", List.of(), List.of()));
    }
}
