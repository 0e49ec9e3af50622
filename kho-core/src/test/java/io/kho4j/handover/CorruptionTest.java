package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.host.SimulatedMachine;
import io.kho4j.proto.DigestAlgorithm;
import io.kho4j.proto.DigestScope;
import io.kho4j.proto.Region;
import io.kho4j.testsupport.SampleSubsystem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A page changed between the kexec and the successor's walk is reported by subsystem and page address. */
class CorruptionTest {
    private static final SimulatedMachine MACHINE = SimulatedMachine.builder(
            TestHandovers.target(AbiGeneration.KHO_V4_BLOCKS, Arch.X86_64)).build();

    @Test
    void aCorruptedPreservedDataPageIsReportedByItsAddressWhenAllMemoryIsDigested() throws Exception {
        for (DigestAlgorithm algorithm : List.of(DigestAlgorithm.CRC32C, DigestAlgorithm.SHA256)) {
            TestHandovers.Built b = TestHandovers.build(MACHINE, x -> x.digests(algorithm, DigestScope.ALL));
            long page = b.sample().data().start() + 3 * 4096;
            flip(b, page + 100);
            InboundOutcome.Restored r = b.read().orThrow();
            assertFalse(r.verified());
            assertEquals(1, r.mismatches().size(), r.mismatches().toString());
            RangeDigests.Mismatch m = r.mismatches().get(0);
            assertEquals(SampleSubsystem.NAME, m.subsystem());
            assertEquals(page, m.phys(), "the page, not the range, is named");
            assertEquals(4096, m.size());
            assertTrue(r.failures().contains("digest mismatch: " + m), r.failures().toString());
            InboundOutcome.Subsystem s = r.subsystems().stream().filter(x -> x.name().equals(SampleSubsystem.NAME))
                    .findFirst().orElseThrow();
            assertEquals(InboundOutcome.Status.FAILED, s.status(), "its own checksum catches it too, as test_kho's does");
        }
    }

    @Test
    void withMetadataDigestsOnlyTheSubsystemsFoliosAreCheckedPageByPage() throws Exception {
        TestHandovers.Built b = TestHandovers.build(MACHINE, x -> { });
        Region folio = b.handover().regions().stream().filter(r -> r.getKind().equals("FOLIO")).findFirst().orElseThrow();
        flip(b, folio.getPhys() + 28);  // padding of the table page: restoring does not notice, the digest does
        InboundOutcome.Restored r = b.read().orThrow();
        assertEquals(1, r.mismatches().size(), r.failures().toString());
        assertEquals(folio.getPhys(), r.mismatches().get(0).phys());
        assertEquals(SampleSubsystem.NAME, r.mismatches().get(0).subsystem());
        assertTrue(r.subsystems().stream().allMatch(s -> s.status() == InboundOutcome.Status.RESTORED));

        TestHandovers.Built data = TestHandovers.build(MACHINE, x -> { });
        flip(data, data.sample().data().start());
        assertTrue(data.read().orThrow().mismatches().isEmpty(), "guest data is not digested in the metadata scope");
    }

    @Test
    void aCorruptedBlobIsReportedAgainstItsSubsystem() throws Exception {
        TestHandovers.Built b = TestHandovers.build(MACHINE, x -> { });
        Region blob = b.handover().regions().stream().filter(r -> r.getKind().equals("BLOB")
                && r.getOwner().equals(KexecMetadata.NODE_NAME)).findFirst().orElseThrow();
        flip(b, blob.getPhys() + 10);  // inside previous_release
        InboundOutcome.Restored r = b.read().orThrow();
        assertEquals(KexecMetadata.NODE_NAME, r.mismatches().get(0).subsystem());
        assertEquals(blob.getPhys(), r.mismatches().get(0).phys());
    }

    private static void flip(TestHandovers.Built b, long phys) throws Exception {
        byte[] one = b.memory().read(phys, 1);
        one[0] ^= 0x5a;
        b.memory().write(phys, one);
    }
}
