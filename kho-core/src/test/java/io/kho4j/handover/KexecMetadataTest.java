package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.NegotiationException;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class KexecMetadataTest {
    /** struct kho_kexec_metadata { u32 version; char previous_release[65]; u32 kexec_count; } __packed (§1). */
    private static byte[] golden(int version, String release, int count) {
        ByteBuffer b = ByteBuffer.allocate(73).order(ByteOrder.LITTLE_ENDIAN).putInt(version);
        byte[] text = new byte[65];
        for (int i = 0; i < release.length(); i++) {
            text[i] = (byte) release.charAt(i);
        }
        return b.put(text).putInt(count).array();
    }

    @Test
    void writesThePackedStructAsARawBlobFromKhoV3() {
        SerializedSubtree s = Subtrees.write(KexecMetadata.subsystem(), new KexecMetadata("7.4.0-rc1", 3),
                WriteContext.of(AbiGeneration.KHO_V4_BLOCKS));
        assertTrue(s.isRaw());
        assertArrayEquals(golden(1, "7.4.0-rc1", 3), s.bytes());
        assertTrue(KexecMetadata.subsystem().versionFor(AbiGeneration.KHO_V1_BITMAP_PAGE).isEmpty(), "none before 7.1");
        assertTrue(KexecMetadata.subsystem().versionFor(AbiGeneration.KHO_V2_RADIX).isEmpty());
    }

    @Test
    void readsItBackAndRefusesWhatItCannotTrust() throws Exception {
        KexecMetadata.Subsystem sub = KexecMetadata.subsystem();
        assertEquals(new KexecMetadata("6.19.2", -1), sub.restore(InboundSubtree.of("kexec-metadata",
                golden(1, "6.19.2", -1)), KexecMetadata.V1));
        byte[] noNul = golden(1, "", 1);
        java.util.Arrays.fill(noNul, 4, 69, (byte) 'x');
        RestoreException e = assertThrows(RestoreException.class, () -> sub.restore(InboundSubtree.of("kexec-metadata",
                noNul), KexecMetadata.V1));
        assertTrue(e.getMessage().contains("no NUL"), e.getMessage());
        assertThrows(RestoreException.class, () -> sub.versionsIn(InboundSubtree.of("kexec-metadata", new byte[72])));
        SubsystemRegistry r = SubsystemRegistry.empty().register((io.kho4j.spi.Restorer<?>) sub);
        assertThrows(NegotiationException.class, () -> r.negotiate(List.of(InboundSubtree.of("kexec-metadata",
                golden(-2, "7.4.0", 1)))), "an unknown version is negotiated away, not thrown");
    }
}
