package io.kho4j.memory;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.KernelRelease;

/**
 * How lib/test_kho.c stores {@code folios_info} under the same {@code kho-test-v1} (kho-abi.md §7): the string was
 * not bumped when the array moved out of the FDT, so the layout follows the kernel release, not the string.
 */
public enum FoliosInfoLayout {
    /** 6.17: the {@code phys | order} array is the property itself, {@code nr_folios * 8} bytes. */
    ARRAY,
    /** 6.18+: the property is a 16-byte {@code struct kho_vmalloc} pointing at a vmalloc'd array. */
    VMALLOC;

    private static final KernelRelease VMALLOC_FROM = KernelRelease.rc(6, 18, 1);

    /** @param release a kernel release @return the layout its test_kho writes ({@code kho_preserve_vmalloc} is 6.18) */
    public static FoliosInfoLayout forKernel(KernelRelease release) {
        return release.isBefore(VMALLOC_FROM) ? ARRAY : VMALLOC;
    }

    /**
     * @param generation a generation
     * @return the layout most of its kernels write: the array for 6.16 – 6.17.8, the vmalloc descriptor after (a
     *     6.17.9+ stable kernel still writes the array: pass {@link #ARRAY} explicitly for it)
     */
    public static FoliosInfoLayout forGeneration(AbiGeneration generation) {
        return generation == AbiGeneration.KHO_V1_BITMAP512 ? ARRAY : VMALLOC;
    }
}
