package io.kho4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapCodecConfig;
import io.kho4j.preserve.MemoryMapFormatException;
import io.kho4j.preserve.PageSize;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.tree.InboundResult;
import io.kho4j.tree.KhoTreeParser;
import java.nio.ByteOrder;

/**
 * {@link KhoTreeParser} over a hostile root and hostile memory, then what a successor does with an accepted
 * root: validate each subtree blob and decode the preserved-memory map with the generation's codec. Input:
 * which parser (generation detection, an expected generation, or a successor release), flags (bit 0 big-endian
 * values), the root's length (u16) and bytes, then patches of RAM. Contract: the parser never throws
 * (it returns {@link InboundResult.Refused} or issues); what follows throws only its typed exceptions; the
 * blobs it copies out of RAM are bounded by RAM size per subtree.
 */
class KhoTreeFuzzTest {
    private static final long BASE = MemoryMapFuzzTest.BASE;
    private static final int RAM = 64 << 10;
    private static final String[] RELEASES = {"6.16.0", "6.17.9", "6.19.1", "7.1.0", "7.4.0"};

    @FuzzTest(maxDuration = "5m")
    void parseAndRestore(byte[] data) throws PhysicalMemoryException, GenerationException {
        FuzzInput in = new FuzzInput(data);
        int mode = in.u8() % (1 + AbiGeneration.values().length + RELEASES.length);
        ByteOrder order = (in.u8() & 1) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] root = in.bytes(in.u16());
        PhysicalMemory memory = PhysicalMemory.ofHeap(BASE, RAM);
        in.patch(memory, BASE, RAM);
        KhoTreeParser parser = KhoTreeParser.create().withMemory(memory).withNativeOrder(order);
        if (mode > 0 && mode <= AbiGeneration.values().length) {
            parser = parser.expecting(AbiGeneration.values()[mode - 1]);
        } else if (mode > 0) {
            parser = parser.forSuccessor(KernelRelease.parse(RELEASES[mode - 1 - AbiGeneration.values().length]));
        }
        KhoTreeParser chosen = parser;
        InboundResult[] result = new InboundResult[1];
        // The root is validated in place; each subtree that fits in RAM is copied once.
        FuzzBudget.check("KhoTreeParser.parse", (2 << 20) + 16L * root.length + (root.length / 8 + 1L) * RAM,
                () -> result[0] = chosen.parse(root));
        if (result[0] instanceof InboundResult.Accepted accepted) {
            restore(accepted, memory, order);
        }
    }

    private static void restore(InboundResult.Accepted accepted, PhysicalMemory memory, ByteOrder order) {
        for (InboundSubtree blob : accepted.blobs().values()) {
            try {
                blob.rootCompatibles();
            } catch (RestoreException e) {
                // the allowed failure: a raw (non-FDT) blob, or a compatible that is not a string list
            }
        }
        AbiGeneration generation;
        try {
            generation = accepted.generation();
        } catch (GenerationException e) {
            return; // a kho-v1 root without a release: its map cannot be decoded, as documented
        }
        MemoryMapCodec codec = MemoryMapCodec.of(MemoryMapCodecConfig.of(generation.memoryMap(), PageSize.KIB_4)
                .withByteOrder(order));
        FuzzBudget.check("memory map of an accepted root", (4 << 20) + 1024L * RAM, () -> {
            try {
                codec.decode(memory, accepted.tree().memoryMap());
            } catch (MemoryMapFormatException e) {
                // the allowed failure
            }
        });
    }
}
