package io.kho4j.handover;

import io.kho4j.fdt.FdtWriter;
import io.kho4j.scratch.MachineDescription;
import io.kho4j.scratch.MemoryBank;
import java.nio.ByteOrder;

/** The boot DTB of a described arm64 machine, for when the caller has none: cells, {@code /chosen}, RAM. */
final class BootDtb {
    private BootDtb() {
    }

    /**
     * @param machine the machine
     * @return {@code / { #address-cells = <2>; #size-cells = <2>; chosen { }; memory@.. { ... }; }}, one memory
     *     node per bank with its NUMA node id
     */
    static byte[] minimal(MachineDescription machine) {
        FdtWriter w = FdtWriter.create();
        w.beginNode("").propertyU32("#address-cells", 2, ByteOrder.BIG_ENDIAN)
                .propertyU32("#size-cells", 2, ByteOrder.BIG_ENDIAN).propertyStrings("compatible", "linux,dummy-virt");
        w.beginNode("chosen").endNode();
        for (MemoryBank bank : machine.banks()) {
            byte[] reg = java.nio.ByteBuffer.allocate(16).putLong(bank.range().start()).putLong(bank.range().size())
                    .array();
            w.beginNode("memory@" + Long.toHexString(bank.range().start())).propertyStrings("device_type", "memory")
                    .property("reg", reg).propertyU32("numa-node-id", bank.node(), ByteOrder.BIG_ENDIAN).endNode();
        }
        return w.endNode().finish();
    }
}
