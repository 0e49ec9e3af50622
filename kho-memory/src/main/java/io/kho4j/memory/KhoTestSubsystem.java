package io.kho4j.memory;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import io.kho4j.fdt.FdtNode;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.memory.internal.Inbound;
import io.kho4j.memory.internal.Layouts;
import io.kho4j.preserve.PreservedStructureException;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.KhoVmalloc;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import io.kho4j.spi.WriteContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's own KHO test format, lib/test_kho.c ({@code CONFIG_TEST_KEXEC_HANDOVER}, 6.17+; kho-abi.md §7), so a
 * handover built here passes the kernel's test module and one the module built is checked here:
 * <pre>
 *   kho_test: / { compatible = "kho-test-v1"; magic = &lt;u32 0x4b484f21&gt;;
 *                 data { nr_folios = &lt;u32&gt;; folios_info = ...; csum = &lt;u32 __wsum&gt;; }; };
 * </pre>
 * {@code folios_info} holds {@code phys | order} per folio, as an array property (6.17) or as a
 * {@code struct kho_vmalloc} (6.18+) under the same string ({@link FoliosInfoLayout}). Reading tells them apart by
 * the property's length; when both readings fit (two folios, 16 bytes) a kho-v2+ handover is the vmalloc form and
 * otherwise the bytes decide whether they are a vmalloc descriptor whose list checks out.
 */
public final class KhoTestSubsystem implements SubsystemSerializer<KhoTestState>, Restorer<KhoTestState> {
    /** {@code KHO_TEST_FDT}: the subtree name. */
    public static final String NAME = "kho_test";
    /** {@code KHO_TEST_COMPAT}. */
    public static final CompatibleString KHO_TEST_V1 = CompatibleString.of("kho-test-v1");
    /** {@code KHO_TEST_MAGIC}: "KHO!". */
    public static final int MAGIC = 0x4b484f21;
    /** Default bound on {@code nr_folios} read through a vmalloc area: 1 Mi folios, an 8 MiB array. */
    public static final int DEFAULT_MAX_FOLIOS = 1 << 20;

    private final FoliosInfoLayout layout;
    private final int pageSize;
    private final int maxFolios;

    /** Writes the layout of each generation's kernels ({@link FoliosInfoLayout#forGeneration}); reads 4 KiB pages. */
    public KhoTestSubsystem() {
        this(null, 4096, DEFAULT_MAX_FOLIOS);
    }

    /**
     * @param layout the layout to write whatever the generation (a 6.17.9+ stable kernel writes {@link
     *     FoliosInfoLayout#ARRAY} under the page-bitmap generation), or null for the generation's
     * @param pageSize the page size, whose low bits of each {@code folios_info} entry hold the order
     * @param maxFolios the most folios read through a vmalloc area
     */
    public KhoTestSubsystem(FoliosInfoLayout layout, int pageSize, int maxFolios) {
        if (Integer.bitCount(pageSize) != 1 || pageSize < 4096 || maxFolios < 1 || maxFolios > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("page size " + pageSize + ", max folios " + maxFolios);
        }
        this.layout = layout;
        this.pageSize = pageSize;
        this.maxFolios = maxFolios;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CompatibleString> writes() {
        return List.of(KHO_TEST_V1);
    }

    @Override
    public List<CompatibleString> reads() {
        return List.of(KHO_TEST_V1);
    }

    @Override
    public void write(KhoTestState state, SubtreeWriter out) {
        AbiGeneration g = out.context().generation();
        FoliosInfoLayout l = layout != null ? layout : FoliosInfoLayout.forGeneration(g);
        if (l == FoliosInfoLayout.ARRAY && g.compareTo(AbiGeneration.KHO_V2_RADIX) >= 0) {
            throw new IllegalArgumentException("kernels of " + g + " store folios_info as kho_vmalloc, not an array");
        }
        long[] info = new long[state.folios().size()];
        for (int i = 0; i < info.length; i++) {
            KhoTestFolio f = state.folios().get(i);
            if (f.phys() % ((long) out.context().pageSize() << f.order()) != 0) {
                throw new IllegalArgumentException(String.format("folio 0x%x is not aligned to its order %d", f.phys(),
                        f.order()));
            }
            info[i] = f.phys() | f.order();
            out.preserveFolio(f.phys(), f.order());
        }
        out.compatible().u32("magic", MAGIC).beginNode("data").u32("nr_folios", info.length);
        if (l == FoliosInfoLayout.ARRAY) {
            out.u64s("folios_info", info);
        } else {
            ByteBuffer array = ByteBuffer.allocate(info.length * Long.BYTES).order(out.nativeOrder());
            for (long e : info) {
                array.putLong(e);
            }
            try {
                out.bytes("folios_info", KhoVmalloc.write(out.memory(), array.array(), out.nativeOrder())
                        .encode(out.nativeOrder()));
            } catch (PhysicalMemoryException e) {
                throw new IllegalStateException("no memory left for folios_info: " + e.getMessage(), e);
            }
        }
        out.u32("csum", state.csum()).endNode();
    }

    @Override
    public List<KhoTestState> abiSamples() {
        return List.of(MemorySamples.khoTestExample());
    }

    @Override
    public List<StructLayout> layouts(CompatibleString version, WriteContext context) {
        return FoliosInfoLayout.forGeneration(context.generation()) == FoliosInfoLayout.ARRAY ? List.of()
                : List.of(Layouts.KHO_VMALLOC, Layouts.KHO_VMALLOC_CHUNK);
    }

    @Override
    public KhoTestState restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        FdtNode root = in.fdt().root();
        int magic = Inbound.u32(NAME, root, "magic");
        if (magic != MAGIC) {
            throw new RestoreException(NAME, String.format("magic 0x%x at offset %d, expected 0x%x", magic,
                    root.property("magic").orElseThrow().valueOffset(), MAGIC), null);
        }
        FdtNode data = root.child("data").orElseThrow(() -> new RestoreException(NAME, "no /data node", null));
        long nr = Integer.toUnsignedLong(Inbound.u32(NAME, data, "nr_folios"));
        int csum = Inbound.u32(NAME, data, "csum");
        byte[] info = Inbound.bytes(NAME, data, "folios_info");
        ByteBuffer entries = ByteBuffer.wrap(folioInfo(in, nr, info)).order(Inbound.NATIVE);
        List<KhoTestFolio> folios = new ArrayList<>();
        long orderMask = pageSize - 1;
        for (int i = 0; i < nr; i++) {
            long e = entries.getLong(i * Long.BYTES);
            int order = (int) (e & orderMask);
            long phys = e & ~orderMask;
            if (phys <= 0 || order > 30 || phys % ((long) pageSize << order) != 0) {
                throw new RestoreException(NAME, String.format("folios_info[%d] = 0x%x: phys 0x%x is not aligned to"
                        + " order %d", i, e, phys, order), null);
            }
            folios.add(new KhoTestFolio(phys, order));
        }
        if (folios.isEmpty()) {
            throw new RestoreException(NAME, "nr_folios is 0; the test always preserves folios", null);
        }
        return new KhoTestState(folios, csum);
    }

    private byte[] folioInfo(InboundSubtree in, long nr, byte[] info) throws RestoreException {
        boolean arrayFits = info.length == nr * Long.BYTES;
        boolean vmallocFits = info.length == KhoVmalloc.SIZE;
        if (arrayFits && vmallocFits) {
            boolean vmallocOnly = in.generation().map(g -> g.compareTo(AbiGeneration.KHO_V2_RADIX) >= 0).orElse(false);
            return vmallocOnly ? vmalloc(in, nr, info) : tryVmalloc(in, nr, info).orElse(info);
        }
        if (arrayFits) {
            return info;
        }
        if (vmallocFits) {
            return vmalloc(in, nr, info);
        }
        throw new RestoreException(NAME, "folios_info is " + info.length + " bytes: neither nr_folios * 8 = "
                + nr * Long.BYTES + " (6.17 array) nor a 16-byte struct kho_vmalloc (6.18+)", null);
    }

    private Optional<byte[]> tryVmalloc(InboundSubtree in, long nr, byte[] info) {
        try {
            return Optional.of(vmalloc(in, nr, info));
        } catch (RestoreException e) {
            return Optional.empty();
        }
    }

    private byte[] vmalloc(InboundSubtree in, long nr, byte[] info) throws RestoreException {
        if (nr > maxFolios) {
            throw new RestoreException(NAME, "nr_folios " + nr + " exceeds the limit " + maxFolios, null);
        }
        try {
            return KhoVmalloc.decode(info, Inbound.NATIVE).read(Inbound.memory(in), pageSize, Inbound.NATIVE,
                    (int) nr * Long.BYTES);
        } catch (PreservedStructureException e) {
            throw Inbound.wrap(NAME, "folios_info", e);
        }
    }
}
