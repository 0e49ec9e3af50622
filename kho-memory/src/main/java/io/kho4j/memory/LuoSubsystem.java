package io.kho4j.memory;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import io.kho4j.memory.internal.Layouts;
import io.kho4j.memory.internal.LuoCodec;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import io.kho4j.spi.WriteContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The Live Update Orchestrator's subtree {@code LUO} with its memfd files (kho-abi.md §4, §9.1, §9.6):
 * <table>
 *   <caption>What each generation writes</caption>
 *   <tr><th>generation</th><th>kernels</th><th>LUO</th><th>memfd</th></tr>
 *   <tr><td>kho-v1, 512-byte bitmaps</td><td>6.16 – 6.17.8</td><td>none (LUO came in 6.19)</td><td></td></tr>
 *   <tr><td>kho-v1, page bitmaps</td><td>6.17.9+ – 7.0</td><td>{@code luo-v1} FDT (6.19, 7.0)</td>
 *       <td>{@code memfd-v1}</td></tr>
 *   <tr><td>kho-v2, kho-v3</td><td>7.1</td><td>{@code luo-v1} FDT</td><td>{@code memfd-v2}</td></tr>
 *   <tr><td>kho-v4</td><td>7.2 – 7.4</td><td>{@code luo-v5} raw {@code struct luo_ser}, linked blocks</td>
 *       <td>{@code memfd-v2}</td></tr>
 * </table>
 * {@code luo-v2} … {@code luo-v4} existed only inside the 2026-06-03 series that produced {@code luo-v5}; no release
 * wrote them, so they are refused with that explanation. Reading needs the inbound memory (everything but the
 * counter lives in preserved pages) and the page size, which the constructor takes (4 KiB by default).
 */
public final class LuoSubsystem implements SubsystemSerializer<LuoState>, Restorer<LuoState> {
    /** {@code LUO_FDT_KHO_ENTRY_NAME} / {@code LUO_KHO_ENTRY_NAME}. */
    public static final String NAME = "LUO";
    /** The FDT layout of 6.19 – 7.1. */
    public static final CompatibleString LUO_V1 = LuoCodec.LUO_V1;
    /** The packed {@code struct luo_ser} of 7.2+. */
    public static final CompatibleString LUO_V5 = LuoCodec.LUO_V5;
    /** Default bound on the folios of one memfd read: 4 Mi folios, 16 GiB of 4 KiB pages, a 64 MiB array. */
    public static final long DEFAULT_MAX_FOLIOS = 1L << 22;
    private static final Set<String> NEVER_SHIPPED = Set.of("luo-v2", "luo-v3", "luo-v4");

    private final LuoCodec.Reader reader;

    /** A restorer for 4 KiB pages with {@link #DEFAULT_MAX_FOLIOS}. */
    public LuoSubsystem() {
        this(4096, DEFAULT_MAX_FOLIOS);
    }

    /**
     * @param pageSize the successor's page size (the FDT-era session area is 16 pages, blocks are one page)
     * @param maxFolios the most folios one memfd may have before reading it is refused
     */
    public LuoSubsystem(int pageSize, long maxFolios) {
        if (Integer.bitCount(pageSize) != 1 || pageSize < 4096 || maxFolios < 0 || maxFolios > Integer.MAX_VALUE / 16) {
            throw new IllegalArgumentException("page size " + pageSize + ", max folios " + maxFolios);
        }
        this.reader = new LuoCodec.Reader(NAME, pageSize, maxFolios);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CompatibleString> writes() {
        return List.of(LUO_V1, LUO_V5);
    }

    @Override
    public boolean writes(CompatibleString version, AbiGeneration generation) {
        if (version.equals(LUO_V5)) {
            return generation == AbiGeneration.KHO_V4_BLOCKS;
        }
        return EnumSet.of(AbiGeneration.KHO_V1_BITMAP_PAGE, AbiGeneration.KHO_V2_RADIX, AbiGeneration.KHO_V3_BLOB_SIZE)
                .contains(generation);
    }

    @Override
    public List<CompatibleString> reads() {
        return List.of(LUO_V1, LUO_V5);
    }

    /**
     * @param generation a generation
     * @return the memfd handler version its kernels write: {@code memfd-v1} up to 7.0, {@code memfd-v2} from 7.1
     *     (the seals commit of 2026-04-05 is in the same merge window as {@code kho-v2})
     */
    public static CompatibleString memfdVersion(AbiGeneration generation) {
        return generation.compareTo(AbiGeneration.KHO_V2_RADIX) < 0 ? MemfdFile.V1 : MemfdFile.V2;
    }

    @Override
    public void write(LuoState state, SubtreeWriter out) {
        CompatibleString memfd = memfdVersion(out.context().generation());
        if (out.version().equals(LUO_V5)) {
            LuoCodec.writeBlob(state, out, memfd);
        } else {
            LuoCodec.writeFdt(state, out, memfd);
        }
    }

    @Override
    public List<LuoState> abiSamples() {
        return List.of(MemorySamples.luoExample(), new LuoState(1, List.of(), java.util.Optional.empty()));
    }

    @Override
    public List<StructLayout> layouts(CompatibleString version, WriteContext context) {
        StructLayout memfd = memfdVersion(context.generation()).equals(MemfdFile.V1) ? Layouts.MEMFD_V1
                : Layouts.MEMFD_V2;
        List<StructLayout> common = List.of(Layouts.LUO_SESSION, Layouts.LUO_FILE, Layouts.LUO_FLB_HEADER,
                Layouts.LUO_FLB, memfd, Layouts.MEMFD_FOLIO, Layouts.KHO_VMALLOC, Layouts.KHO_VMALLOC_CHUNK);
        List<StructLayout> own = version.equals(LUO_V5) ? List.of(Layouts.LUO_SER, Layouts.KHO_BLOCK_HEADER)
                : List.of(Layouts.LUO_SESSION_HEADER);
        return java.util.stream.Stream.concat(own.stream(), common.stream()).toList();
    }

    @Override
    public List<String> versionsIn(InboundSubtree in) throws RestoreException {
        List<String> found = in.looksLikeFdt() ? in.rootCompatibles() : List.of(LuoCodec.blobCompatible(NAME, in));
        for (String f : found) {
            if (NEVER_SHIPPED.contains(f)) {
                throw new RestoreException(NAME, "'" + f + "' existed only inside the patch series that produced"
                        + " luo-v5 (2026-06-03); no kernel release writes it, so it is refused (kho-abi.md §9.1)", null);
            }
        }
        return found;
    }

    @Override
    public LuoState restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        try {
            return version.equals(LUO_V5) ? LuoCodec.readBlob(reader, in) : LuoCodec.readFdt(reader, in);
        } catch (IllegalArgumentException e) {
            throw new RestoreException(NAME, "the handed-over state is not a valid LUO state: " + e.getMessage(), e);
        }
    }
}
