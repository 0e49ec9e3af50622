package io.kho4j.spi;

import io.kho4j.abi.Arch;
import io.kho4j.abi.KernelRelease;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.internal.FolioAllocator;
import java.util.List;
import java.util.Objects;

/**
 * The machine a {@link SampleStateProvider} makes its samples for: the kernels on both sides of the handover,
 * what is written for them, and memory for the data the samples describe (guest RAM, reserve_mem regions,
 * buffers). The handover itself places blobs and preserves memory; a sample only allocates and fills data.
 */
public interface SampleMachine {

    /** @return the generation, byte order and page size the handover is written for */
    WriteContext context();

    /** @return the kernel that hands over */
    KernelRelease from();

    /** @return the successor kernel */
    KernelRelease to();

    /**
     * Allocates free RAM for sample data: outside scratch, the kernel and every other allocation, reading as
     * zero, and not preserved. The serializer preserves what it needs ({@link SubtreeWriter#preserve},
     * {@link SubtreeWriter#preserveFolio}).
     *
     * @param bytes at least 1
     * @return a range of {@code bytes} rounded up to whole pages, naturally aligned to the smallest power of
     *     two pages that holds it (so it can also be preserved as one folio)
     * @throws PhysicalMemoryException if no such range is free
     */
    PhysRange allocate(long bytes) throws PhysicalMemoryException;

    /** @return the machine's memory, to fill allocated ranges with sample content */
    PhysicalMemory memory();

    /** CPUs of a sample machine that does not say otherwise. */
    int DEFAULT_CPUS = 4;

    /** @return the number of CPUs, for per-CPU sample state (GIC redistributors, trace buffers) */
    default int cpus() {
        return DEFAULT_CPUS;
    }

    /** @return the architecture: some subsystems exist on one only (GICv3 on arm64) */
    default Arch arch() {
        return Arch.X86_64;
    }

    /**
     * A machine with no hardware behind it, for a module's own tests of its provider: heap memory that keeps
     * only written pages, 64 GiB of RAM from 4 GiB.
     *
     * @param context what to write for
     * @param from the kernel that hands over
     * @param to the successor kernel
     * @return the machine
     */
    static SampleMachine detached(WriteContext context, KernelRelease from, KernelRelease to) {
        return detached(context, from, to, Arch.X86_64);
    }

    /**
     * As {@link #detached(WriteContext, KernelRelease, KernelRelease)}, for another architecture.
     *
     * @param context what to write for
     * @param from the kernel that hands over
     * @param to the successor kernel
     * @param arch the architecture
     * @return the machine
     */
    static SampleMachine detached(WriteContext context, KernelRelease from, KernelRelease to, Arch arch) {
        Objects.requireNonNull(arch, "arch");
        PhysRange ram = new PhysRange(1L << 32, 64L << 30);
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(ram));
        FolioAllocator folios = new FolioAllocator(memory, context.pageSize(), List.of(ram), List.of(), false);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return new SampleMachine() {
            @Override
            public WriteContext context() {
                return context;
            }

            @Override
            public KernelRelease from() {
                return from;
            }

            @Override
            public KernelRelease to() {
                return to;
            }

            @Override
            public PhysRange allocate(long bytes) throws PhysicalMemoryException {
                return folios.allocateRange(bytes);
            }

            @Override
            public PhysicalMemory memory() {
                return memory;
            }

            @Override
            public Arch arch() {
                return arch;
            }
        };
    }
}
