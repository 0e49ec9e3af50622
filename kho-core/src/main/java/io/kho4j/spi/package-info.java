/**
 * The plug-in API for subsystems: a {@link io.kho4j.spi.SubsystemSerializer} writes its state through a
 * {@link io.kho4j.spi.SubtreeWriter} (FDT nodes and typed properties, or a raw blob from kho-v2, plus the memory
 * to preserve); a {@link io.kho4j.spi.Restorer} reads it back from an {@link io.kho4j.spi.InboundSubtree} after
 * version negotiation. Both are found with {@link java.util.ServiceLoader} or registered in a
 * {@link io.kho4j.spi.SubsystemRegistry}; {@link io.kho4j.spi.Subtrees} runs them and describes their ABI shape.
 * {@link io.kho4j.spi.KhoVmalloc} and {@link io.kho4j.spi.KhoBlockSet} write the kernel's page-list structures
 * through a {@link io.kho4j.spi.PreservedAllocator} and read them back; they live here, not in
 * {@code io.kho4j.preserve}, so that preserve does not depend on spi (PackageDependencyTest).
 */
package io.kho4j.spi;
