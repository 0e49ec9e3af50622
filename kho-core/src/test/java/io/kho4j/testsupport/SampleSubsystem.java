package io.kho4j.testsupport;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * A test subsystem shaped like the kernel's lib/test_kho.c (kho-abi.md §7): a data range filled with seeded
 * random bytes and preserved, a one-page table folio outside the blob holding the data's place and CRC32C, and
 * a blob pointing at the table. v1 is an FDT ({@code compatible}, u64 {@code table}, string {@code label}); v2 a
 * raw blob ({@code u32 version, u32 0, u64 table, label}) for kho-v2+. Restoring re-reads the data and fails on a
 * checksum mismatch, as test_kho does.
 */
public final class SampleSubsystem implements SubsystemSerializer<SampleSubsystem.State>, Restorer<SampleSubsystem.State> {
    public static final String NAME = "kho4j-sample";
    public static final CompatibleString V1 = CompatibleString.of("kho4j,sample-v1");
    public static final CompatibleString V2 = CompatibleString.of("kho4j,sample-v2");
    /** "K4JS" in the table page. */
    static final int MAGIC = 0x4b344a53;

    /**
     * @param label a name
     * @param data the preserved range
     * @param crc CRC32C of the range's bytes
     */
    public record State(String label, PhysRange data, int crc) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CompatibleString> writes() {
        return List.of(V1, V2);
    }

    @Override
    public boolean writes(CompatibleString version, AbiGeneration generation) {
        return version.equals(V1) || generation.sizeProperty().isPresent();
    }

    @Override
    public void write(State s, SubtreeWriter out) {
        ByteBuffer table = ByteBuffer.allocate(32).order(out.nativeOrder()).putInt(MAGIC).putInt(s.crc())
                .putLong(s.data().start()).putLong(s.data().size()).putLong(0);
        long tablePhys;
        try {
            tablePhys = out.memory().allocate(table.array());
        } catch (PhysicalMemoryException e) {
            throw new IllegalArgumentException("no room for the table page: " + e.getMessage(), e);
        }
        out.preserve(s.data());
        byte[] label = s.label().getBytes(StandardCharsets.UTF_8);
        if (out.version().equals(V2)) {
            out.blob(ByteBuffer.allocate(16 + label.length).order(out.nativeOrder()).putInt(2).putInt(0)
                    .putLong(tablePhys).put(label).array());
        } else {
            out.compatible().u64("table", tablePhys).strings("label", s.label());
        }
    }

    @Override
    public List<CompatibleString> reads() {
        return List.of(V1, V2);
    }

    @Override
    public List<String> versionsIn(InboundSubtree in) throws RestoreException {
        if (in.looksLikeFdt()) {
            return in.rootCompatibles();
        }
        if (in.size() < 16) {
            throw new RestoreException(NAME, "raw blob of " + in.size() + " bytes is shorter than its 16-byte header", null);
        }
        return List.of("kho4j,sample-v" + Integer.toUnsignedString(in.buffer().order(ByteOrder.LITTLE_ENDIAN).getInt(0)));
    }

    @Override
    public State restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        long table;
        String label;
        if (version.equals(V2)) {
            ByteBuffer b = in.buffer().order(ByteOrder.LITTLE_ENDIAN);
            table = b.getLong(8);
            label = new String(in.bytes(), 16, in.size() - 16, StandardCharsets.UTF_8);
        } else {
            try {
                FdtNode root = in.fdt().root();
                table = root.requireProperty("table").u64(ByteOrder.LITTLE_ENDIAN);
                label = root.requireProperty("label").string();
            } catch (FdtFormatException e) {
                throw new RestoreException(NAME, e.getMessage(), e);
            }
        }
        PhysicalMemory memory = in.memory().orElseThrow(() -> new RestoreException(NAME, "no memory to read", null));
        try {
            ByteBuffer t = ByteBuffer.wrap(memory.read(table, 32)).order(ByteOrder.LITTLE_ENDIAN);
            if (t.getInt(0) != MAGIC) {
                throw new RestoreException(NAME, String.format("table page at 0x%x has magic 0x%08x", table,
                        t.getInt(0)), null);
            }
            int crc = t.getInt(4);
            long start = t.getLong(8);
            long size = t.getLong(16);
            if (size <= 0 || size > 1L << 30 || !memory.isRam(start, size)) {
                throw new RestoreException(NAME, String.format("table at 0x%x names data 0x%x+0x%x", table, start, size),
                        null);
            }
            PhysRange data = new PhysRange(start, size);
            int actual = crc(memory, data);
            if (actual != crc) {
                throw new RestoreException(NAME, String.format("data %s has CRC32C 0x%08x, the table says 0x%08x", data,
                        actual, crc), null);
            }
            return new State(label, data, crc);
        } catch (PhysicalMemoryException e) {
            throw new RestoreException(NAME, e.getMessage(), e);
        }
    }

    /**
     * Allocates and fills a data range.
     *
     * @param machine where
     * @param label the state's label
     * @param bytes data size
     * @param seed for the content
     * @return the state
     * @throws PhysicalMemoryException if there is no room
     */
    public static State make(SampleMachine machine, String label, long bytes, long seed) throws PhysicalMemoryException {
        PhysRange data = machine.allocate(bytes);
        fill(machine.memory(), data, seed);
        return new State(label, data, crc(machine.memory(), data));
    }

    /** Writes seeded random bytes into the first 64 KiB of the range; the rest stays zero (sparse). */
    static void fill(PhysicalMemory memory, PhysRange data, long seed) throws PhysicalMemoryException {
        byte[] bytes = new byte[(int) Math.min(data.size(), 64 << 10)];
        new SplittableRandom(seed).nextBytes(bytes);
        memory.write(data.start(), bytes);
    }

    /** @return CRC32C of the range */
    public static int crc(PhysicalMemory memory, PhysRange range) throws PhysicalMemoryException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 16];
        for (long at = range.start(); at < range.end(); at += buf.length) {
            int n = (int) Math.min(buf.length, range.end() - at);
            memory.read(at, buf, 0, n);
            crc.update(buf, 0, n);
        }
        return (int) crc.getValue();
    }

    /** The provider kho demo and the simulated host tests discover: one 2 MiB sample. */
    public static final class Provider implements SampleStateProvider {
        @Override
        public List<Sample<?>> samples(SampleMachine machine) throws PhysicalMemoryException {
            return List.of(new Sample<>(new SampleSubsystem(), make(machine, "demo", 2 << 20, 42),
                    "2 MiB of test data, test_kho style"));
        }
    }
}
