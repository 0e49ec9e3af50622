/**
 * The KHO tree: the generic node model ({@link io.kho4j.tree.KhoNode}, {@link io.kho4j.tree.Property},
 * {@link io.kho4j.tree.TreeCodec}) and the KHO root built and read per generation:
 * {@link io.kho4j.tree.TreeAssembler} writes it byte for byte as the kernel does,
 * {@link io.kho4j.tree.KhoTreeParser} reads it as the successor kernel does, returning a sealed
 * {@link io.kho4j.tree.InboundResult}.
 *
 * <pre>
 * / {                                          (kho-abi.md §1; values CPU-native, little-endian on x86-64/arm64)
 *     compatible = "kho-vN";
 *     preserved-memory-map = &lt;u64: memory-map root&gt;;
 *     &lt;subsystem&gt; {
 *         fdt = &lt;u64: sub-FDT address&gt;;                kho-v1
 *         preserved-data = &lt;u64: blob address&gt;;       kho-v2 and later
 *         blob-size = &lt;u64: blob size&gt;;               kho-v3 and later
 *     };
 * };
 * </pre>
 */
package io.kho4j.tree;
