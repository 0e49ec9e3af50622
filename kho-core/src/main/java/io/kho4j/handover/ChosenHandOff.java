package io.kho4j.handover;

import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.tree.KhoNode;
import io.kho4j.tree.Property;
import io.kho4j.tree.TreeCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The device-tree hand-off: {@code /chosen} properties {@code linux,kho-fdt} and {@code linux,kho-scratch},
 * each an address/size pair of big-endian cells sized by the root's {@code #address-cells} and
 * {@code #size-cells}, as {@code fdt_appendprop_addrrange} writes them (kho-abi.md §3).
 */
public final class ChosenHandOff {
    /** {@code /chosen} property names (kho-abi.md §3, unchanged through 7.4-rc1 per §9.8). */
    public static final String FDT_PROPERTY = "linux,kho-fdt";
    public static final String SCRATCH_PROPERTY = "linux,kho-scratch";

    /** libfdt's defaults when the root has no {@code #address-cells} / {@code #size-cells} (fdt_addresses.c). */
    private static final int DEFAULT_ADDRESS_CELLS = 2;
    private static final int DEFAULT_SIZE_CELLS = 1;

    private ChosenHandOff() {
    }

    /**
     * Returns the boot DTB with the KHO properties set for the next kernel. Stale copies from an earlier
     * kexec are removed first, the fix for the repeated-kexec bug (kho-abi.md §8); a crash kernel gets no KHO
     * properties at all, only the removal.
     *
     * @param bootDtb the DTB the next kernel will boot with
     * @param data the addresses to hand over
     * @param crashKernel whether the image is a crash (kdump) kernel
     * @return the new DTB (dtc layout; {@code /chosen} is created if absent)
     * @throws HandOffFormatException if an address or size does not fit the cells, or the cell counts are
     *     not 1 or 2 (libfdt's {@code fdt_appendprop_addrrange} refuses the same), or the DTB holds a node
     *     {@link FdtWriter} cannot write again (a child with an empty name, which libfdt accepts)
     */
    public static byte[] apply(ValidatedFdt bootDtb, KhoData data, boolean crashKernel)
            throws HandOffFormatException {
        int ac = cells(bootDtb, "#address-cells", DEFAULT_ADDRESS_CELLS);
        int sc = cells(bootDtb, "#size-cells", DEFAULT_SIZE_CELLS);
        KhoNode root = TreeCodec.decode(bootDtb);
        // The node the next kernel reads: fdt_path_offset("/chosen") also takes a first child named "chosen@...".
        String chosenName = bootDtb.find("/chosen").map(FdtNode::name).orElse("chosen");
        KhoNode chosen = root.child(chosenName).orElse(KhoNode.builder(chosenName).build());
        KhoNode.Builder nb = KhoNode.builder(chosenName);
        for (Property p : chosen.properties()) {
            if (!p.name().equals(FDT_PROPERTY) && !p.name().equals(SCRATCH_PROPERTY)) {
                nb.property(p);
            }
        }
        if (!crashKernel) {
            nb.property(Property.of(FDT_PROPERTY, range(ac, sc, data.fdtAddr(), data.fdtSize())));
            nb.property(Property.of(SCRATCH_PROPERTY, range(ac, sc, data.scratchAddr(), data.scratchSize())));
        }
        chosen.children().forEach(nb::child);
        KhoNode.Builder rb = KhoNode.builder("");
        root.properties().forEach(rb::property);
        boolean replaced = false;
        for (KhoNode c : root.children()) {
            if (c.name().equals(chosenName) && !replaced) {
                rb.child(nb.build());
                replaced = true;
            } else {
                rb.child(c);
            }
        }
        if (!replaced) {
            rb.child(nb.build());
        }
        try {
            return TreeCodec.encode(rb.build(), bootDtb.memoryReservations(), FdtWriter.create());
        } catch (IllegalArgumentException e) {
            throw new HandOffFormatException(0, "the boot DTB cannot be rewritten: " + e.getMessage());
        }
    }

    /**
     * Reads the hand-off as the successor's {@code early_init_dt_check_kho()} does: both properties present
     * and each exactly {@code (#address-cells + #size-cells) * 4} bytes.
     *
     * @param dtb the DTB the kernel booted with
     * @return the hand-off, or empty if {@code /chosen} has neither property
     * @throws HandOffFormatException if only one is present or a length is wrong
     */
    public static Optional<KhoData> read(ValidatedFdt dtb) throws HandOffFormatException {
        Optional<FdtNode> chosen = dtb.find("/chosen");
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Optional<FdtProperty> fdt = chosen.get().property(FDT_PROPERTY);
        Optional<FdtProperty> scratch = chosen.get().property(SCRATCH_PROPERTY);
        if (fdt.isEmpty() && scratch.isEmpty()) {
            return Optional.empty();
        }
        if (fdt.isEmpty() || scratch.isEmpty()) {
            throw new HandOffFormatException(chosen.get().offset(), "/chosen has only one of " + FDT_PROPERTY
                    + " and " + SCRATCH_PROPERTY);
        }
        int ac = cells(dtb, "#address-cells", DEFAULT_ADDRESS_CELLS);
        int sc = cells(dtb, "#size-cells", DEFAULT_SIZE_CELLS);
        long[] f = pair(fdt.get(), ac, sc);
        long[] s = pair(scratch.get(), ac, sc);
        return Optional.of(new KhoData(f[0], f[1], s[0], s[1]));
    }

    private static int cells(ValidatedFdt dtb, String name, int dflt) throws HandOffFormatException {
        Optional<FdtProperty> p = dtb.root().property(name);
        if (p.isEmpty()) {
            return dflt;
        }
        try {
            int v = p.get().u32(ByteOrder.BIG_ENDIAN);
            if (v != 1 && v != 2) {
                throw new HandOffFormatException(p.get().offset(), name + " is " + Integer.toUnsignedString(v)
                        + "; KHO hand-off supports 1 or 2 cells (libfdt fdt_appendprop_addrrange)");
            }
            return v;
        } catch (FdtFormatException e) {
            throw new HandOffFormatException(p.get().offset(), e.detail());
        }
    }

    private static byte[] range(int ac, int sc, long addr, long size) throws HandOffFormatException {
        ByteBuffer b = ByteBuffer.allocate((ac + sc) * 4).order(ByteOrder.BIG_ENDIAN);
        put(b, ac, addr, "address");
        put(b, sc, size, "size");
        return b.array();
    }

    private static void put(ByteBuffer b, int cells, long v, String what) throws HandOffFormatException {
        if (cells == 1) {
            if ((v >>> 32) != 0) {
                throw new HandOffFormatException(v, what + String.format(" 0x%x", v) + " does not fit one cell");
            }
            b.putInt((int) v);
        } else {
            b.putLong(v);
        }
    }

    private static long[] pair(FdtProperty p, int ac, int sc) throws HandOffFormatException {
        if (p.length() != (ac + sc) * 4) {
            throw new HandOffFormatException(p.offset(), "/chosen " + p.name() + " is " + p.length()
                    + " bytes, expected " + (ac + sc) * 4 + " for #address-cells=" + ac + " #size-cells=" + sc);
        }
        ByteBuffer b = p.value();
        long addr = ac == 1 ? Integer.toUnsignedLong(b.getInt()) : b.getLong();
        long size = sc == 1 ? Integer.toUnsignedLong(b.getInt()) : b.getLong();
        return new long[] {addr, size};
    }
}
