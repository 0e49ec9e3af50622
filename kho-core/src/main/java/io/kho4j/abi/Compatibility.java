package io.kho4j.abi;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a handover from one kernel to another keeps the preserved state, and if not, every reason why.
 * Build it with {@link AbiGeneration#compatible}.
 *
 * @param from the kernel that hands over
 * @param producer its generation
 * @param to the successor kernel
 * @param successor its generation
 * @param losses each reason the successor would lose state; empty when it keeps it
 * @param notes facts the caller must act on even when state is kept (finalize, renamed parameters)
 */
public record Compatibility(KernelRelease from, AbiGeneration producer, KernelRelease to, AbiGeneration successor,
        List<String> losses, List<String> notes) {

    /** The 16 KiB-page radix depth fix: parent "Linux 7.1-rc5", committed 2026-05-26 (kho-abi.md §9.3). */
    private static final KernelRelease RADIX_DEPTH_FIX = KernelRelease.rc(7, 1, 6);
    private static final int PAGE_16K = 16384;

    /** Copies the lists. */
    public Compatibility {
        losses = List.copyOf(losses);
        notes = List.copyOf(notes);
    }

    /** @return whether the successor keeps the preserved state */
    public boolean keepsState() {
        return losses.isEmpty();
    }

    static Compatibility judge(KernelRelease from, int fromPage, AbiGeneration producer, KernelRelease to,
            int toPage, AbiGeneration successor) {
        List<String> losses = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (fromPage != toPage) {
            losses.add("page sizes differ (" + fromPage + " vs " + toPage + " bytes): \"live update between kernels"
                    + " with different page sizes is not supported by KHO\" (include/linux/kho/abi/block.h,"
                    + " kho-abi.md §2)");
        }
        if (!producer.rootCompatible().equals(successor.rootCompatible())) {
            losses.add(from + " writes root compatible \"" + producer.rootCompatible() + "\" but " + to + " expects \""
                    + successor.rootCompatible() + "\": kho_populate() prints \"handover FDT is incompatible\" and"
                    + " disables KHO revival, so nothing is reserved and all preserved memory is reused (kho-abi.md §8)");
        } else if (producer != successor) {
            losses.add(from + " (" + producer + ") and " + to + " (" + successor + ") both write \""
                    + producer.rootCompatible() + "\" but use " + producer.memoryMap().bitmapBytes(fromPage) + "-byte vs "
                    + successor.memoryMap().bitmapBytes(toPage) + "-byte preservation bitmaps: the successor accepts"
                    + " the tree and mis-decodes the memory map, so preserved pages are lost or wrong pages are"
                    + " reserved (\"kho: increase metadata bitmap size to PAGE_SIZE\", kho-abi.md §2, §9.x)");
        }
        if (!producer.memoryMap().isChunkList() && !successor.memoryMap().isChunkList()
                && fromPage == PAGE_16K && toPage == PAGE_16K
                && from.isBefore(RADIX_DEPTH_FIX) != to.isBefore(RADIX_DEPTH_FIX)) {
            losses.add("with 16 KiB pages the radix tree depth changed from 4 to 5 between 7.1-rc5 and 7.1-rc6"
                    + " (\"kho: fix KHO_TREE_MAX_DEPTH for non-4KB page sizes\") without a compatible bump: " + from
                    + " and " + to + " walk different depths (kho-abi.md §9.3)");
        }
        if (producer.needsFinalize()) {
            notes.add(from + " must finalize before kexec: echo 1 > /sys/kernel/debug/kho/out/finalize; without it"
                    + (RootLayout.forKernelRelease(from) == RootLayout.EDITED_IN_PLACE
                            ? " preserved-memory-map stays 0 and the successor disables KHO revival"
                            : " there is no root tree to hand over"));
        }
        if (!to.isBefore(KernelRelease.rc(7, 4, 1))) {
            notes.add(to + " calls scratch areas \"bootmem\": kho_bootmem= on the command line, debugfs"
                    + " out/bootmem_phys and out/bootmem_len (kho-abi.md §9.4)");
        }
        return new Compatibility(from, producer, to, successor, losses, notes);
    }

    @Override
    public String toString() {
        return from + " -> " + to + ": " + (keepsState() ? "keeps state" : "LOSES STATE: " + String.join("; ", losses));
    }
}
