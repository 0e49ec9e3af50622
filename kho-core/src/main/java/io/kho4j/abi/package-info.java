/**
 * The upstream KHO ABI as data: {@link io.kho4j.abi.CompatibleString versioned compatible strings},
 * {@link io.kho4j.abi.AbiGeneration the five generations} and which kernel release writes which
 * ({@link io.kho4j.abi.KernelRelease}, {@link io.kho4j.abi.RootLayout}), whether a handover between two releases
 * keeps state ({@link io.kho4j.abi.Compatibility}), {@link io.kho4j.abi.VersionNegotiation version negotiation}
 * with one report of every mismatch, and the {@link io.kho4j.abi.AbiLock ABI lock} that makes a layout change
 * without a version bump fail a build.
 *
 * <pre>
 * generation          kernels                           root      subtree property           memory map
 * KHO_V1_BITMAP512    6.16.x, 6.17.0-6.17.8, 6.18-rc1-3 kho-v1    fdt                        chunks, 512 B bitmaps
 * KHO_V1_BITMAP_PAGE  6.17.9+, 6.18-rc7 - 7.0.y         kho-v1    fdt                        chunks, page bitmaps
 * KHO_V2_RADIX        7.1 merge-window snapshots only   kho-v2    preserved-data             radix tree
 * KHO_V3_BLOB_SIZE    7.1-rc1 - 7.1.y                   kho-v3    preserved-data, blob-size  radix tree
 * KHO_V4_BLOCKS       7.2 - 7.4                         kho-v4    preserved-data, blob-size  radix tree
 * </pre>
 * Sources: kho-abi.md §1, §2, §9.1, §9.x. Anything the table cannot decide (6.18-rc4..rc6, vendor kernels of a
 * 512-byte release, a bare kho-v1 tree) is refused with a {@link io.kho4j.abi.GenerationException}.
 */
package io.kho4j.abi;
