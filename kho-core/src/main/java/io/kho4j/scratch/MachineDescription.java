package io.kho4j.scratch;

import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The memory layout a scratch plan is made for: RAM banks per NUMA node, online nodes (a node without banks is
 * memoryless), what memblock has reserved when {@code kho_reserve_scratch} runs, and the arch limits.
 */
public final class MachineDescription {
    /** x86-64's {@code ARCH_LOW_ADDRESS_LIMIT}, memblock's generic default {@code 0xffffffff}. */
    public static final long DEFAULT_LOW_LIMIT = 0xffffffffL;

    private final PageSize pageSize;
    private final List<MemoryBank> banks;
    private final SortedSet<Integer> onlineNodes;
    private final List<PhysRange> reserved;
    private final List<PhysRange> kernelReserved;
    private final long lowLimit;
    private final long allocLimit;

    private MachineDescription(Builder b) {
        this.pageSize = b.pageSize;
        List<MemoryBank> sorted = new ArrayList<>(b.banks);
        sorted.sort((x, y) -> x.range().compareTo(y.range()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).range().overlaps(sorted.get(i - 1).range())) {
                throw new IllegalArgumentException("RAM banks overlap: " + sorted.get(i - 1) + ", " + sorted.get(i));
            }
        }
        this.banks = List.copyOf(sorted);
        TreeSet<Integer> nodes = new TreeSet<>(b.onlineNodes);
        sorted.forEach(bank -> nodes.add(bank.node()));
        this.onlineNodes = Collections.unmodifiableSortedSet(nodes);
        this.reserved = sortedCopy(b.reserved);
        this.kernelReserved = sortedCopy(b.kernelReserved);
        this.lowLimit = b.lowLimit;
        this.allocLimit = b.allocLimit;
    }

    private static List<PhysRange> sortedCopy(List<PhysRange> ranges) {
        List<PhysRange> out = new ArrayList<>(ranges);
        Collections.sort(out);
        return List.copyOf(out);
    }

    /** @return a builder for 4 KiB pages, the x86-64 low limit and no allocation limit */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the page size */
    public PageSize pageSize() {
        return pageSize;
    }

    /** @return RAM banks by address */
    public List<MemoryBank> banks() {
        return banks;
    }

    /** @return online node ids: those with banks plus any declared memoryless */
    public SortedSet<Integer> onlineNodes() {
        return onlineNodes;
    }

    /** @return node ids that have at least one bank ({@code N_MEMORY}) */
    public SortedSet<Integer> nodesWithMemory() {
        TreeSet<Integer> out = new TreeSet<>();
        banks.forEach(b -> out.add(b.node()));
        return Collections.unmodifiableSortedSet(out);
    }

    /** @return ranges reserved by firmware, the kernel image and the like: never allocated, not counted */
    public List<PhysRange> reserved() {
        return reserved;
    }

    /** @return the kernel's own memblock allocations ({@code MEMBLOCK_RSRV_KERN}): never allocated, scaled by {@code N%} */
    public List<PhysRange> kernelReserved() {
        return kernelReserved;
    }

    /** @return {@code ARCH_LOW_ADDRESS_LIMIT}, the end (as memblock uses it) of the lowmem area search */
    public long lowLimit() {
        return lowLimit;
    }

    /** @return memblock's current limit for "accessible" allocations */
    public long allocLimit() {
        return allocLimit;
    }

    /** @param phys an address @return the node of the bank holding it, or -1 */
    public int nodeOf(long phys) {
        for (MemoryBank b : banks) {
            if (b.range().contains(phys)) {
                return b.node();
            }
        }
        return -1;
    }

    /**
     * {@code memblock_reserved_kern_size(limit, nid)}: kernel-reserved bytes whose regions start at or below
     * {@code limit}, clipped at it.
     *
     * @param limit address limit
     * @param node node id, or -1 for all
     * @return bytes
     */
    public long kernelReservedBytes(long limit, int node) {
        long total = 0;
        for (PhysRange r : kernelReserved) {
            if (r.start() > limit) {
                break;
            }
            long size = r.end() > limit ? limit - r.start() : r.size();
            if (node < 0 || nodeOf(r.start()) == node) {
                total += size;
            }
        }
        return total;
    }

    /** Builds a {@link MachineDescription}. */
    public static final class Builder {
        private PageSize pageSize = PageSize.KIB_4;
        private final List<MemoryBank> banks = new ArrayList<>();
        private final List<Integer> onlineNodes = new ArrayList<>();
        private final List<PhysRange> reserved = new ArrayList<>();
        private final List<PhysRange> kernelReserved = new ArrayList<>();
        private long lowLimit = DEFAULT_LOW_LIMIT;
        private long allocLimit = Long.MAX_VALUE;

        private Builder() {
        }

        /** @param p page size @return this */
        public Builder pageSize(PageSize p) {
            this.pageSize = p;
            return this;
        }

        /** @param range RAM @param node its node @return this */
        public Builder bank(PhysRange range, int node) {
            banks.add(new MemoryBank(range, node));
            return this;
        }

        /** @param nodes node ids that are online, with or without memory @return this */
        public Builder onlineNodes(int... nodes) {
            for (int n : nodes) {
                if (n < 0) {
                    throw new IllegalArgumentException("negative node " + n);
                }
                onlineNodes.add(n);
            }
            return this;
        }

        /** @param range firmware or other reserved memory @return this */
        public Builder reserved(PhysRange range) {
            reserved.add(range);
            return this;
        }

        /** @param range a kernel memblock allocation @return this */
        public Builder kernelReserved(PhysRange range) {
            kernelReserved.add(range);
            return this;
        }

        /** @param limit {@code ARCH_LOW_ADDRESS_LIMIT} (arm64: DMA limit - 1) @return this */
        public Builder lowLimit(long limit) {
            this.lowLimit = limit;
            return this;
        }

        /** @param limit memblock current limit @return this */
        public Builder allocLimit(long limit) {
            this.allocLimit = limit;
            return this;
        }

        /** @return the description @throws IllegalArgumentException if banks overlap or none is given */
        public MachineDescription build() {
            if (banks.isEmpty()) {
                throw new IllegalArgumentException("a machine needs at least one RAM bank");
            }
            return new MachineDescription(this);
        }
    }
}
