package io.kho4j.memory.internal;

import io.kho4j.abi.CompatibleString;
import io.kho4j.fdt.FdtNode;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.memory.LuoFile;
import io.kho4j.memory.LuoFileData;
import io.kho4j.memory.LuoFlb;
import io.kho4j.memory.LuoSession;
import io.kho4j.memory.LuoState;
import io.kho4j.memory.MemfdFile;
import io.kho4j.memory.OpaqueFile;
import io.kho4j.preserve.PreservedStructureException;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.KhoBlockSet;
import io.kho4j.spi.PreservedAllocator;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.SubtreeWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two LUO layouts (include/linux/kho/abi/luo.h; kho-abi.md §4, §9.2, §9.6).
 *
 * <p>{@code luo-v1} (6.19 – 7.1), an FDT:
 * <pre>
 *   / { compatible = "luo-v1"; liveupdate-number = &lt;u64&gt;;
 *       luo-session { compatible = "luo-session-v2"; luo-session-header = &lt;u64 phys&gt;; };
 *       luo-flb { compatible = "luo-flb-v1"; luo-flb-header = &lt;u64 phys&gt;; };          7.0, 7.1 only
 *   };
 *   session area, 16 pages: { u64 count; struct luo_session_ser[count]; }   (luo-session-v1: name only, 64 B)
 *   files of a session, 2 pages: struct luo_file_ser[count]                  (files = 0 when it has none)
 *   FLB area, 1 page: { u64 pgcnt; u64 count; struct luo_flb_ser[count]; }
 * </pre>
 * {@code luo-v5} (7.2+), a raw 32-byte blob {@code struct luo_ser { char compatible[8]; u64 liveupdate_num;
 * u64 sessions_pa; u64 flbs_pa; }} with sessions and each session's files in linked-block sets.
 */
public final class LuoCodec {
    /** {@code LUO_FDT_COMPATIBLE}, 6.19 – 7.1. */
    public static final CompatibleString LUO_V1 = CompatibleString.of("luo-v1");
    /** {@code LUO_ABI_COMPATIBLE}, 7.2+. */
    public static final CompatibleString LUO_V5 = CompatibleString.of("luo-v5");
    /** Session node compatibles: v1 (names only) and v2 (with file sets). */
    public static final String SESSION_V1 = "luo-session-v1";
    /** The session node compatible every release writes. */
    public static final String SESSION_V2 = "luo-session-v2";
    /** {@code LUO_FDT_FLB_COMPATIBLE}, 7.0 – 7.1. */
    public static final String FLB_V1 = "luo-flb-v1";
    /** {@code sizeof(struct luo_ser)}. */
    public static final int LUO_SER_SIZE = 32;
    private static final int COMPAT_LEN = 8;
    private static final int SESSION_PGCNT = 16;
    private static final int SESSION_ORDER = 4;
    private static final int FILE_PGCNT = 2;
    private static final int FILE_ORDER = 1;
    private static final int SESSION_V1_SIZE = LuoSession.NAME_LENGTH;
    private static final int SESSION_SIZE = 80;
    private static final int FILE_SIZE = 64;
    private static final int FLB_SIZE = 64;
    private static final int FLB_HEADER = 16;
    /** Largest FLB area read: the kernel writes one page ({@code LUO_FLB_PGCNT}). */
    private static final long MAX_FLB_PAGES = 1024;

    private LuoCodec() {
    }

    /** Writes {@code luo-v1}. */
    public static void writeFdt(LuoState state, SubtreeWriter out, CompatibleString memfd) {
        int page = out.context().pageSize();
        int max = ((SESSION_PGCNT * page) - 8) / SESSION_SIZE;
        if (state.sessions().size() > max) {
            throw new IllegalArgumentException(state.sessions().size() + " sessions; luo-session-v2 holds " + max);
        }
        PreservedAllocator memory = out.memory();
        ByteOrder order = out.nativeOrder();
        try {
            long area = memory.allocateFolio(SESSION_ORDER);
            out.compatible().u64("liveupdate-number", state.liveupdateNumber());
            out.beginNode("luo-session").strings("compatible", SESSION_V2).u64("luo-session-header", area).endNode();
            if (state.flbs().isPresent()) {
                out.beginNode("luo-flb").strings("compatible", FLB_V1).u64("luo-flb-header",
                        writeFlbs(state.flbs().get(), memory, order)).endNode();
            }
            ByteBuffer sessions = ByteBuffer.allocate(8 + state.sessions().size() * SESSION_SIZE).order(order);
            sessions.putLong(state.sessions().size());
            for (LuoSession s : state.sessions()) {
                long files = 0;
                if (!s.files().isEmpty()) {
                    if (s.files().size() > FILE_PGCNT * page / FILE_SIZE) {
                        throw new IllegalArgumentException("session '" + s.name() + "' has " + s.files().size()
                                + " files; luo-session-v2 holds " + FILE_PGCNT * page / FILE_SIZE);
                    }
                    files = memory.allocateFolio(FILE_ORDER);
                    ByteBuffer b = ByteBuffer.allocate(s.files().size() * FILE_SIZE);
                    for (LuoFile f : s.files()) {
                        b.put(fileEntry(f, out, memfd));
                    }
                    memory.write(files, b.array());
                }
                sessions.put(chars(s.name(), LuoSession.NAME_LENGTH)).putLong(files).putLong(s.files().size());
            }
            memory.write(area, sessions.array());
        } catch (PhysicalMemoryException e) {
            throw new IllegalStateException("no memory left for LUO state: " + e.getMessage(), e);
        }
    }

    /** Writes {@code luo-v5}. */
    public static void writeBlob(LuoState state, SubtreeWriter out, CompatibleString memfd) {
        PreservedAllocator memory = out.memory();
        ByteOrder order = out.nativeOrder();
        try {
            List<byte[]> sessions = new ArrayList<>();
            for (LuoSession s : state.sessions()) {
                List<byte[]> files = new ArrayList<>();
                for (LuoFile f : s.files()) {
                    files.add(fileEntry(f, out, memfd));
                }
                long head = KhoBlockSet.write(memory, files, FILE_SIZE, order);
                sessions.add(ByteBuffer.allocate(SESSION_SIZE).order(order).put(chars(s.name(), LuoSession.NAME_LENGTH))
                        .putLong(head).putLong(files.size()).array());
            }
            long sessionsPa = KhoBlockSet.write(memory, sessions, SESSION_SIZE, order);
            long flbsPa = state.flbs().isPresent() ? writeFlbs(state.flbs().get(), memory, order) : 0;
            out.blob(ByteBuffer.allocate(LUO_SER_SIZE).order(order).put(chars(LUO_V5.toString(), COMPAT_LEN))
                    .putLong(state.liveupdateNumber()).putLong(sessionsPa).putLong(flbsPa).array());
        } catch (PhysicalMemoryException e) {
            throw new IllegalStateException("no memory left for LUO state: " + e.getMessage(), e);
        }
    }

    private static long writeFlbs(List<LuoFlb> flbs, PreservedAllocator memory, ByteOrder order)
            throws PhysicalMemoryException {
        int max = (memory.pageSize() - FLB_HEADER) / FLB_SIZE;
        if (flbs.size() > max) {
            throw new IllegalArgumentException(flbs.size() + " FLBs; one page holds " + max + " (LUO_FLB_MAX)");
        }
        ByteBuffer b = ByteBuffer.allocate(FLB_HEADER + flbs.size() * FLB_SIZE).order(order).putLong(1)
                .putLong(flbs.size());
        for (LuoFlb f : flbs) {
            b.put(chars(f.name(), LuoFlb.NAME_LENGTH)).putLong(f.data()).putLong(f.count());
        }
        return memory.allocate(b.array());
    }

    private static byte[] fileEntry(LuoFile f, SubtreeWriter out, CompatibleString memfd) {
        LuoFileData d = f.data();
        String compatible = d instanceof MemfdFile ? memfd.toString() : ((OpaqueFile) d).compatible();
        long data = d instanceof MemfdFile m ? MemfdCodec.write(m, memfd, out) : ((OpaqueFile) d).data();
        return ByteBuffer.allocate(FILE_SIZE).order(out.nativeOrder()).put(chars(compatible, 48)).putLong(data)
                .putLong(f.token()).array();
    }

    private static byte[] chars(String s, int n) {
        byte[] b = new byte[n];
        byte[] text = s.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(text, 0, b, 0, text.length);
        return b;
    }

    /** What a restorer needs besides the subtree: the page size and the memfd size bound. */
    public record Reader(String subsystem, int pageSize, long maxFolios) {
    }

    /** Reads {@code luo-v1}. */
    public static LuoState readFdt(Reader r, InboundSubtree in) throws RestoreException {
        FdtNode root = in.fdt().root();
        long number = Inbound.u64(r.subsystem(), root, "liveupdate-number");
        FdtNode node = root.child("luo-session").orElseThrow(() -> new RestoreException(r.subsystem(),
                "no luo-session node (luo_session_setup_incoming returns -EINVAL)", null));
        boolean v2 = Inbound.isCompatible(node, SESSION_V2);
        if (!v2 && !Inbound.isCompatible(node, SESSION_V1)) {
            throw new RestoreException(r.subsystem(), "luo-session node at offset " + node.offset() + " is "
                    + Inbound.compatibles(node) + ", not " + SESSION_V2 + " or " + SESSION_V1, null);
        }
        long header = Inbound.u64(r.subsystem(), node, "luo-session-header");
        PhysicalMemory memory = Inbound.memory(in);
        int entry = v2 ? SESSION_SIZE : SESSION_V1_SIZE;
        long count = ByteBuffer.wrap(Inbound.read(r.subsystem(), memory, header, 8, "luo_session_header_ser"))
                .order(Inbound.NATIVE).getLong();
        long max = ((long) SESSION_PGCNT * r.pageSize() - 8) / entry;
        if (count < 0 || count > max) {
            throw new RestoreException(r.subsystem(), String.format("luo_session_header_ser at 0x%x: count %s, the"
                    + " 16-page area holds %d", header, Long.toUnsignedString(count), max), null);
        }
        ByteBuffer b = ByteBuffer.wrap(Inbound.read(r.subsystem(), memory, header + 8, (int) count * entry,
                "luo_session_ser array")).order(Inbound.NATIVE);
        List<LuoSession> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long at = header + 8 + (long) i * entry;
            String name = name(r, b, i * entry, LuoSession.NAME_LENGTH, at);
            List<LuoFile> files = v2 ? fileArray(r, memory, b.getLong(i * entry + 64), b.getLong(i * entry + 72), at)
                    : List.of();
            sessions.add(new LuoSession(name, files));
        }
        Optional<List<LuoFlb>> flbs = Optional.empty();
        Optional<FdtNode> flb = root.child("luo-flb");
        if (flb.isPresent()) {
            if (!Inbound.isCompatible(flb.get(), FLB_V1)) {
                throw new RestoreException(r.subsystem(), "luo-flb node at offset " + flb.get().offset() + " is "
                        + Inbound.compatibles(flb.get()) + ", not " + FLB_V1, null);
            }
            flbs = Optional.of(flbs(r, memory, Inbound.u64(r.subsystem(), flb.get(), "luo-flb-header")));
        }
        return new LuoState(number, sessions, flbs);
    }

    private static List<LuoFile> fileArray(Reader r, PhysicalMemory memory, long files, long count, long at)
            throws RestoreException {
        if (files == 0) {
            return noFiles(r, count, at);
        }
        long max = (long) FILE_PGCNT * r.pageSize() / FILE_SIZE;
        if (count < 1 || count > max) {
            throw new RestoreException(r.subsystem(), String.format("luo_session_ser at 0x%x: file count %s, the"
                    + " 2-page file area holds %d", at, Long.toUnsignedString(count), max), null);
        }
        ByteBuffer b = ByteBuffer.wrap(Inbound.read(r.subsystem(), memory, files, (int) count * FILE_SIZE,
                "luo_file_ser array")).order(Inbound.NATIVE);
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] e = new byte[FILE_SIZE];
            b.get(i * FILE_SIZE, e);
            entries.add(e);
        }
        return files(r, memory, entries, files);
    }

    private static List<LuoFile> noFiles(Reader r, long count, long at) throws RestoreException {
        if (count != 0) {
            throw new RestoreException(r.subsystem(), String.format("luo_session_ser at 0x%x: no file set but count"
                    + " %s (the kernel warns and drops them)", at, Long.toUnsignedString(count)), null);
        }
        return List.of();
    }

    private static List<LuoFile> files(Reader r, PhysicalMemory memory, List<byte[]> entries, long base)
            throws RestoreException {
        List<LuoFile> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ByteBuffer e = ByteBuffer.wrap(entries.get(i)).order(Inbound.NATIVE);
            String where = String.format("luo_file_ser %d of the set at 0x%x", i, base);
            String compatible = name(r, e, 0, OpaqueFile.COMPATIBLE_LENGTH, base);
            long data = e.getLong(48);
            long token = e.getLong(56);
            Optional<CompatibleString> memfd = CompatibleString.tryParse(compatible)
                    .filter(c -> c.equals(MemfdFile.V1) || c.equals(MemfdFile.V2));
            LuoFileData d = memfd.isPresent()
                    ? MemfdCodec.read(r.subsystem() + " (" + where + ")", memory, data, memfd.get(), r.pageSize(),
                            r.maxFolios())
                    : new OpaqueFile(compatible, data);
            out.add(new LuoFile(token, d));
        }
        return out;
    }

    private static String name(Reader r, ByteBuffer b, int offset, int length, long at) throws RestoreException {
        byte[] field = new byte[length];
        b.get(offset, field);
        return Inbound.cString(r.subsystem(), field, String.format("char[%d] at 0x%x", length, at + offset));
    }

    private static List<LuoFlb> flbs(Reader r, PhysicalMemory memory, long header) throws RestoreException {
        ByteBuffer h = ByteBuffer.wrap(Inbound.read(r.subsystem(), memory, header, FLB_HEADER, "luo_flb_header_ser"))
                .order(Inbound.NATIVE);
        long pages = h.getLong(0);
        long count = h.getLong(8);
        if (pages < 1 || pages > MAX_FLB_PAGES || count < 0 || count > (pages * r.pageSize() - FLB_HEADER) / FLB_SIZE) {
            throw new RestoreException(r.subsystem(), String.format("luo_flb_header_ser at 0x%x: pgcnt %s, count %s",
                    header, Long.toUnsignedString(pages), Long.toUnsignedString(count)), null);
        }
        ByteBuffer b = ByteBuffer.wrap(Inbound.read(r.subsystem(), memory, header + FLB_HEADER, (int) count * FLB_SIZE,
                "luo_flb_ser array")).order(Inbound.NATIVE);
        List<LuoFlb> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = name(r, b, i * FLB_SIZE, LuoFlb.NAME_LENGTH, header + FLB_HEADER);
            out.add(new LuoFlb(name, b.getLong(i * FLB_SIZE + 48), b.getLong(i * FLB_SIZE + 56)));
        }
        return out;
    }

    /**
     * @return the compatible string in a raw blob's {@code luo_ser.compatible}, after the kernel's size check
     */
    public static String blobCompatible(String subsystem, InboundSubtree in) throws RestoreException {
        if (in.size() < LUO_SER_SIZE) {
            throw new RestoreException(subsystem, "LUO state is too small: " + in.size() + " bytes, struct luo_ser is "
                    + LUO_SER_SIZE, null);
        }
        byte[] field = new byte[COMPAT_LEN];
        in.buffer().get(0, field);
        return Inbound.cString(subsystem, field, "luo_ser.compatible at offset 0");
    }

    /** Reads {@code luo-v5}. */
    public static LuoState readBlob(Reader r, InboundSubtree in) throws RestoreException {
        blobCompatible(r.subsystem(), in);
        ByteBuffer b = in.buffer().order(Inbound.NATIVE);
        long number = b.getLong(8);
        long sessionsPa = b.getLong(16);
        long flbsPa = b.getLong(24);
        PhysicalMemory memory = Inbound.memory(in);
        List<byte[]> entries = blocks(r, memory, sessionsPa, SESSION_SIZE, "sessions_pa");
        List<LuoSession> sessions = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ByteBuffer e = ByteBuffer.wrap(entries.get(i)).order(Inbound.NATIVE);
            String where = String.format("session %d of the set at 0x%x", i, sessionsPa);
            byte[] field = new byte[LuoSession.NAME_LENGTH];
            e.get(0, field);
            String name = Inbound.cString(r.subsystem(), field, where);
            long files = e.getLong(64);
            long count = e.getLong(72);
            List<LuoFile> list;
            if (files == 0) {
                list = noFiles(r, count, sessionsPa);
            } else {
                List<byte[]> fe = blocks(r, memory, files, FILE_SIZE, where + " files");
                if (fe.size() != count) {
                    throw new RestoreException(r.subsystem(), String.format("%s: File count mismatch: expected %s,"
                            + " found %d", where, Long.toUnsignedString(count), fe.size()), null);
                }
                list = files(r, memory, fe, files);
            }
            sessions.add(new LuoSession(name, list));
        }
        Optional<List<LuoFlb>> flbs = flbsPa == 0 ? Optional.empty() : Optional.of(flbs(r, memory, flbsPa));
        return new LuoState(number, sessions, flbs);
    }

    private static List<byte[]> blocks(Reader r, PhysicalMemory memory, long head, int entry, String what)
            throws RestoreException {
        try {
            return KhoBlockSet.read(memory, head, r.pageSize(), entry, Inbound.NATIVE);
        } catch (PreservedStructureException e) {
            throw Inbound.wrap(r.subsystem(), what, e);
        }
    }
}
