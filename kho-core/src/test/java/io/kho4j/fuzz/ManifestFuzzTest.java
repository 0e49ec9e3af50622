package io.kho4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kho4j.handover.RangeDigests;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.proto.HandoverManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The handover manifest reader: {@link HandoverManifest#parseFrom} and {@link RangeDigests#verify} of what it
 * records against memory. Contract: parsing throws only {@link InvalidProtocolBufferException} and allocates at
 * most in proportion to the input (protobuf checks every length against the bytes left); verifying never throws
 * (a range it cannot digest is a mismatch) and allocates at most in proportion to the manifest's own digest
 * bytes and the RAM it reads.
 */
class ManifestFuzzTest {
    private static final long BASE = MemoryMapFuzzTest.BASE;
    private static final int RAM = 4096;

    @FuzzTest(maxDuration = "5m")
    void parseAndVerify(byte[] data) throws PhysicalMemoryException, IOException {
        HandoverManifest[] parsed = new HandoverManifest[1];
        FuzzBudget.check("HandoverManifest.parseFrom", (1 << 20) + 64L * data.length, () -> {
            try {
                parsed[0] = HandoverManifest.parseFrom(data);
            } catch (InvalidProtocolBufferException e) {
                parsed[0] = null;
            }
        });
        HandoverManifest manifest = parsed[0];
        HandoverManifest streamed;
        try {
            streamed = HandoverManifest.parseFrom(new ByteArrayInputStream(data));
        } catch (InvalidProtocolBufferException e) {
            streamed = null;
        }
        if (manifest == null ? streamed != null : !manifest.equals(streamed)) {
            throw new AssertionError("parsing bytes and parsing a stream disagree");
        }
        if (manifest == null) {
            return;
        }
        PhysicalMemory memory = PhysicalMemory.ofHeap(BASE, RAM);
        byte[] content = new byte[RAM];
        for (int i = 0; i < RAM; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        memory.write(BASE, content);
        // A mismatch per chunk (at most one per recorded digest piece) of a few hundred bytes, and one RAM-sized
        // read buffer per range.
        FuzzBudget.check("RangeDigests.verify", (1 << 20) + 512L * data.length + (long) manifest.getDigestsCount() * RAM,
                () -> RangeDigests.verify(memory, manifest.getDigestAlgorithm(), manifest.getDigestsList()));
    }
}
