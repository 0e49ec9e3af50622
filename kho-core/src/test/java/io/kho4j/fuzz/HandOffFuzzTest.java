package io.kho4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.handover.ChosenHandOff;
import io.kho4j.handover.HandOffFormatException;
import io.kho4j.handover.KhoData;
import io.kho4j.handover.SetupDataChain;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The two hand-off readers: the x86 {@code setup_data} chain over hostile memory, and the DT {@code /chosen}
 * properties of a hostile DTB (and writing them into it). Contract: only {@link HandOffFormatException} (and
 * {@link FdtFormatException} for a DTB that is not one); a chain walk allocates a bounded amount whatever the
 * memory holds; what {@code apply} writes, {@code read} reads back.
 */
class HandOffFuzzTest {
    private static final long BASE = MemoryMapFuzzTest.BASE;
    private static final int RAM = 64 << 10;

    /** Input: the chain head as an offset from the RAM base (0xffffffff: head 0), then patches of RAM. */
    @FuzzTest(maxDuration = "5m")
    void setupDataChain(byte[] data) throws PhysicalMemoryException {
        FuzzInput in = new FuzzInput(data);
        long offset = in.u32();
        long head = offset == 0xffffffffL ? 0 : BASE + offset;
        PhysicalMemory memory = PhysicalMemory.ofHeap(BASE, RAM);
        in.patch(memory, BASE, RAM);
        // The walk keeps one set entry per node, at most SetupDataChain.MAX_NODES of them.
        FuzzBudget.check("SetupDataChain.findKho", 2 << 20, () -> {
            try {
                Optional<KhoData> kho = SetupDataChain.findKho(memory, head);
                kho.ifPresent(k -> {
                    if (!Arrays.equals(KhoData.fromBytes(k.toBytes()).toBytes(), k.toBytes())) {
                        throw new AssertionError("struct kho_data does not round-trip: " + k);
                    }
                });
            } catch (HandOffFormatException e) {
                // the allowed failure
            }
        });
    }

    /** Input: a {@code struct kho_data} (32 bytes, little-endian) to hand over, then the DTB. */
    @FuzzTest(maxDuration = "5m")
    void chosen(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        KhoData handOff = new KhoData(in.u64(), in.u64(), in.u64(), in.u64());
        boolean crashKernel = (handOff.fdtSize() & 1) != 0;
        byte[] dtb = in.rest();
        ValidatedFdt fdt;
        try {
            fdt = FdtValidator.standard().validate(dtb);
        } catch (FdtFormatException e) {
            return;
        }
        try {
            ChosenHandOff.read(fdt);
        } catch (HandOffFormatException e) {
            // the allowed failure
        }
        byte[] next;
        try {
            next = ChosenHandOff.apply(fdt, handOff, crashKernel);
        } catch (HandOffFormatException e) {
            return;
        }
        try {
            Optional<KhoData> back = ChosenHandOff.read(FdtValidator.standard().validate(next));
            Optional<KhoData> expected = crashKernel ? Optional.empty() : Optional.of(handOff);
            if (!back.equals(expected)) {
                throw new AssertionError("apply wrote " + expected + " but read finds " + back);
            }
        } catch (FdtFormatException | HandOffFormatException e) {
            throw new AssertionError("apply wrote a DTB its own reader refuses", e);
        }
    }
}
