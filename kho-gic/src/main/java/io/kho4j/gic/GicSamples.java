package io.kho4j.gic;

import io.kho4j.gic.internal.GicConstants;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.SampleMachine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Representative GIC states: a fixed one for the ABI lock, and one laid out and filled on a sample machine. */
final class GicSamples {
    /** {@code ITS_MAX_LPI_NRBITS} (drivers/irqchip/irq-gic-v3-its.c): Linux caps LPIs at 16 id bits. */
    static final int ID_BITS = 16;
    /** Where QEMU's arm64 {@code virt} machine puts its ITS register frame. */
    static final long QEMU_VIRT_ITS = 0x0808_0000L;
    /** {@code LPI_PROP_DEFAULT_PRIO | LPI_PROP_GROUP1}: what its_alloc_lpi_tables() fills the property table with. */
    private static final byte LPI_PROP_DEFAULT = (byte) (0xa0 | 1 << 1);
    /** {@code LPI_PROP_ENABLED} (include/linux/irqchip/arm-gic-v3.h). */
    private static final byte LPI_PROP_ENABLED = 1;
    /** {@code GITS_BASER_VALID}, also the valid bit of a level-1 entry (include/linux/irqchip/arm-gic-v3.h). */
    private static final long VALID = 1L << 63;
    private static final int ITS_PAGE = (int) GicConstants.SZ_64K;
    private static final int ENTRY_SIZE = 8;

    private GicSamples() {
    }

    /** @return two CPUs, an ITS with a two-level device table and a flat collection table, at fixed addresses */
    static GicState example() {
        long base = 0x1_0000_0000L;
        return new GicState(new LpiPropertyTable(base, ID_BITS),
                List.of(new LpiPendingTable(0, base + 0x1_0000, 0x1_0000), new LpiPendingTable(1, base + 0x2_0000,
                        0x1_0000)),
                List.of(new Its(QEMU_VIRT_ITS, List.of(
                        new ItsTable(0, ItsTableType.DEVICE, ENTRY_SIZE, ITS_PAGE, true, base + 0x3_0000, ITS_PAGE,
                                List.of(base + 0x4_0000)),
                        new ItsTable(1, ItsTableType.COLLECTION, ENTRY_SIZE, ITS_PAGE, false, base + 0x5_0000,
                                ITS_PAGE, List.of())))));
    }

    /**
     * Lays the tables out on the machine as the kernel would (one pending table per CPU) and fills them, so the
     * successor's digests check real content.
     *
     * @param machine the machine
     * @param seed seed of the table contents
     * @return the state
     * @throws PhysicalMemoryException if the machine has no room
     */
    static GicState onMachine(SampleMachine machine, long seed) throws PhysicalMemoryException {
        SplittableRandom random = new SplittableRandom(seed);
        PhysicalMemory memory = machine.memory();
        PhysRange prop = machine.allocate(LpiPropertyTable.size(ID_BITS));
        byte[] config = new byte[(int) prop.size()];
        Arrays.fill(config, LPI_PROP_DEFAULT);
        for (int i = 0; i < 64; i++) {
            config[random.nextInt(config.length)] |= LPI_PROP_ENABLED;
        }
        memory.write(prop.start(), config);
        List<LpiPendingTable> pending = new ArrayList<>();
        long pendSize = LpiPropertyTable.pendingSize(ID_BITS);
        for (int cpu = 0; cpu < machine.cpus(); cpu++) {
            PhysRange p = machine.allocate(pendSize);
            memory.write(p.start(), randomBytes(random, (int) pendSize / 64));
            pending.add(new LpiPendingTable(cpu, p.start(), pendSize));
        }
        PhysRange l1 = machine.allocate(ITS_PAGE);
        PhysRange l2 = machine.allocate(ITS_PAGE);
        memory.write(l1.start(), ByteBuffer.allocate(GicConstants.GITS_LVL1_ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(l2.start() | VALID).array());
        memory.write(l2.start(), randomBytes(random, ITS_PAGE));
        PhysRange collections = machine.allocate(ITS_PAGE);
        memory.write(collections.start(), randomBytes(random, ENTRY_SIZE * machine.cpus()));
        Its its = new Its(QEMU_VIRT_ITS, List.of(
                new ItsTable(0, ItsTableType.DEVICE, ENTRY_SIZE, ITS_PAGE, true, l1.start(), ITS_PAGE,
                        List.of(l2.start())),
                new ItsTable(1, ItsTableType.COLLECTION, ENTRY_SIZE, ITS_PAGE, false, collections.start(), ITS_PAGE,
                        List.of())));
        return new GicState(new LpiPropertyTable(prop.start(), ID_BITS), pending, List.of(its));
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }
}
