package io.kho4j.host;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.Arch;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.KernelRelease;
import io.kho4j.handover.HandoverTarget;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.proto.SimulatedMachineSpec;
import io.kho4j.scratch.MachineDescription;
import java.util.Objects;

/**
 * A machine for {@link SimulatedKhoHost}: one contiguous range of RAM split evenly into NUMA nodes, the kernels
 * before and after the kexec, the next kernel's image and initrd sizes, and the first kernel's command line.
 * What the firmware and the first kernel have reserved is derived: the low 1 MiB on x86, the kernel image at
 * 16 MiB, and the struct page array (1/64 of RAM) at the top of each node. Immutable.
 */
public final class SimulatedMachine {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    /** QEMU's arm64 "virt" machine starts RAM at 1 GiB. */
    private static final long ARM64_RAM_BASE = GIB;

    private final HandoverTarget target;
    private final long ramBase;
    private final long ramSize;
    private final int nodes;
    private final long kernelBytes;
    private final long initrdBytes;
    private final String commandLine;

    private SimulatedMachine(Builder b) {
        this.target = b.target;
        this.ramBase = b.ramBase != null ? b.ramBase : b.target.arch() == Arch.ARM64 ? ARM64_RAM_BASE : 0;
        this.ramSize = b.ramSize;
        this.nodes = b.nodes;
        this.kernelBytes = b.kernelBytes;
        this.initrdBytes = b.initrdBytes;
        this.commandLine = b.commandLine != null ? b.commandLine : defaultCommandLine(b.target);
        long page = target.pageSize().bytes();
        if (ramSize < 256 * MIB || ramSize % (page * nodes) != 0 || ramBase % page != 0 || nodes < 1) {
            throw new IllegalArgumentException(String.format("RAM 0x%x+0x%x in %d nodes: need at least 256 MiB,"
                    + " page aligned, divisible into equal nodes", ramBase, ramSize, nodes));
        }
        new PhysRange(ramBase, ramSize); // rejects RAM that ends past 2^63
    }

    /**
     * The demo's default: x86-64, 64 GiB in 2 NUMA nodes, 4 KiB pages, the newest modelled release (7.4.0)
     * handing over to itself.
     *
     * @return the machine
     */
    public static SimulatedMachine defaults() {
        return builder(HandoverTarget.generation(AbiGeneration.KHO_V4_BLOCKS, PageSize.KIB_4, Arch.X86_64)).build();
    }

    /**
     * @param target the kernels, page size and architecture
     * @return a builder: 64 GiB in 2 nodes, a 14 MiB kernel with a 40 MiB initrd, {@code kho=on} and the
     *     documented scratch sizes {@code 16M,512M,256M} (kho-abi.md §3, §9.4)
     */
    public static Builder builder(HandoverTarget target) {
        return new Builder(target);
    }

    /**
     * @param target the kernels
     * @return {@code kho=on} and {@code kho_scratch=16M,512M,256M}, or {@code kho_bootmem=} when the first kernel
     *     is 7.4+ (kho-abi.md §9.4)
     */
    public static String defaultCommandLine(HandoverTarget target) {
        return "console=ttyS0 kho=on " + target.scratchRules().parameterName() + "=16M,512M,256M";
    }

    /** @return the kernels, page size and architecture */
    public HandoverTarget target() {
        return target;
    }

    /** @return all RAM */
    public PhysRange ram() {
        return new PhysRange(ramBase, ramSize);
    }

    /** @return the number of NUMA nodes */
    public int nodes() {
        return nodes;
    }

    /** @return the next kernel image's size */
    public long kernelBytes() {
        return kernelBytes;
    }

    /** @return the next initrd's size, 0 for none */
    public long initrdBytes() {
        return initrdBytes;
    }

    /** @return the first kernel's command line */
    public String commandLine() {
        return commandLine;
    }

    /** @return the layout a scratch plan and the handover work with: banks, nodes, reservations */
    public MachineDescription description() {
        long page = target.pageSize().bytes();
        long nodeSize = ramSize / nodes;
        MachineDescription.Builder b = MachineDescription.builder().pageSize(target.pageSize());
        long memmap = Math.max(page, nodeSize / 64 / page * page);
        for (int n = 0; n < nodes; n++) {
            long start = ramBase + n * nodeSize;
            b.bank(new PhysRange(start, nodeSize), n);
            b.kernelReserved(new PhysRange(start + nodeSize - memmap, memmap));
        }
        if (target.arch() == Arch.X86_64) {
            b.reserved(new PhysRange(ramBase, MIB));
        }
        b.reserved(new PhysRange(ramBase + 16 * MIB, (kernelBytes + 2 * MIB - 1) / (2 * MIB) * (2 * MIB)));
        return b.build();
    }

    /** @return the machine as persisted in a simulated host's state file */
    public SimulatedMachineSpec toSpec() {
        return SimulatedMachineSpec.newBuilder().setArch(target.arch().cliName()).setPageSize(target.pageSize().bytes())
                .setRamBase(ramBase).setRamSize(ramSize).setNodes(nodes).setFromRelease(target.from().toString())
                .setToRelease(target.to().toString()).setGeneration(target.generation().name())
                .setKernelSize(kernelBytes).setInitrdSize(initrdBytes).setCommandLine(commandLine).build();
    }

    /**
     * @param spec a persisted machine
     * @return the machine
     * @throws IllegalArgumentException if a size, page size or architecture is out of range
     * @throws GenerationException if a release or generation name is not known
     */
    public static SimulatedMachine fromSpec(SimulatedMachineSpec spec) throws GenerationException {
        HandoverTarget target = new HandoverTarget(KernelRelease.parse(spec.getFromRelease()),
                KernelRelease.parse(spec.getToRelease()), AbiGeneration.parse(spec.getGeneration()),
                PageSize.ofBytes(Integer.toUnsignedLong(spec.getPageSize())), Arch.parse(spec.getArch()));
        return builder(target).ram(spec.getRamBase(), spec.getRamSize()).nodes(spec.getNodes())
                .kernel(spec.getKernelSize(), spec.getInitrdSize()).commandLine(spec.getCommandLine()).build();
    }

    @Override
    public String toString() {
        return String.format("%s, %d GiB in %d NUMA node%s from 0x%x, %s, Linux %s -> %s", target.arch(), ramSize >> 30,
                nodes, nodes == 1 ? "" : "s", ramBase, target.pageSize(), target.from(), target.to());
    }

    /** Builds a {@link SimulatedMachine}. */
    public static final class Builder {
        private final HandoverTarget target;
        private Long ramBase;
        private long ramSize = 64 * GIB;
        private int nodes = 2;
        private long kernelBytes = 14 * MIB;
        private long initrdBytes = 40 * MIB;
        private String commandLine;

        private Builder(HandoverTarget target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /** @param base first RAM address (default 0 on x86-64, 1 GiB on arm64) @param size bytes @return this */
        public Builder ram(long base, long size) {
            this.ramBase = base;
            this.ramSize = size;
            return this;
        }

        /** @param count NUMA nodes, each an equal share of RAM @return this */
        public Builder nodes(int count) {
            this.nodes = count;
            return this;
        }

        /** @param kernel next kernel image bytes @param initrd next initrd bytes, 0 for none @return this */
        public Builder kernel(long kernel, long initrd) {
            if (kernel < 1 || initrd < 0) {
                throw new IllegalArgumentException("kernel " + kernel + " bytes, initrd " + initrd);
            }
            this.kernelBytes = kernel;
            this.initrdBytes = initrd;
            return this;
        }

        /** @param line the first kernel's command line @return this */
        public Builder commandLine(String line) {
            this.commandLine = Objects.requireNonNull(line, "line");
            return this;
        }

        /** @return the machine @throws IllegalArgumentException if the RAM cannot be split into the nodes */
        public SimulatedMachine build() {
            return new SimulatedMachine(this);
        }
    }
}
