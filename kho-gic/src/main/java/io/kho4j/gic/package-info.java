/**
 * GICv3 interrupt-table handover: the LPI property table, one LPI pending table per CPU and the ITS tables
 * ({@link io.kho4j.gic.GicState}), which a kernel cannot move once the hardware uses them (kho-abi.md §6).
 * Three hand-offs of the same state:
 * <ul>
 *   <li>{@link io.kho4j.gic.GicSubsystem}: a KHO subtree in kho4j's own {@code kho4j,gicv3-v1} format (upstream has
 *       no KHO format for the GIC);</li>
 *   <li>{@link io.kho4j.gic.GicReservedMemory}: DT {@code /reserved-memory} children plus {@code memory-region} on
 *       the GIC node;</li>
 *   <li>{@link io.kho4j.gic.EfiMemreserve}: the upstream {@code LINUX_EFI_MEMRESERVE} list, encoded and walked.</li>
 * </ul>
 */
package io.kho4j.gic;
