package io.kho4j.testkit;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import io.kho4j.spi.WriteContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An example subsystem for the test kit's own tests: named sessions with a u64 token each.
 * <ul>
 *   <li>{@code kho4j,example-sessions-v1}: an FDT, one child node per session with a native u64 {@code token};</li>
 *   <li>{@code kho4j,example-sessions-v2}: a raw blob (kho-v2+), {@code struct { u32 version; u32 count;
 *       struct { char name[16]; u64 token; } entries[count]; }}, little-endian.</li>
 * </ul>
 */
class SessionTable implements SubsystemSerializer<SessionTable.State>, Restorer<SessionTable.State> {
    static final CompatibleString V1 = CompatibleString.of("kho4j,example-sessions-v1");
    static final CompatibleString V2 = CompatibleString.of("kho4j,example-sessions-v2");
    static final int NAME_LEN = 16;
    static final int ENTRY = NAME_LEN + 8;

    /** Sessions in insertion order. */
    record State(Map<String, Long> sessions) {
        State {
            sessions = new LinkedHashMap<>(sessions);
        }
    }

    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public List<CompatibleString> writes() {
        return List.of(V1, V2);
    }

    @Override
    public boolean writes(CompatibleString version, AbiGeneration generation) {
        return version.equals(V1) || generation.allowsRawBlobs();
    }

    @Override
    public List<CompatibleString> reads() {
        return List.of(V1, V2);
    }

    @Override
    public void write(State state, SubtreeWriter out) {
        if (out.version().equals(V1)) {
            out.compatible();
            for (Map.Entry<String, Long> e : state.sessions().entrySet()) {
                out.beginNode(e.getKey()).u64("token", e.getValue()).endNode();
            }
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(8 + ENTRY * state.sessions().size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(2).putInt(state.sessions().size());
        for (Map.Entry<String, Long> e : state.sessions().entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            if (name.length >= NAME_LEN) {
                throw new IllegalArgumentException("session name longer than " + (NAME_LEN - 1) + ": " + e.getKey());
            }
            b.put(name).put(new byte[NAME_LEN - name.length]).putLong(e.getValue());
        }
        out.blob(b.array());
    }

    @Override
    public List<State> abiSamples() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("alpha", 0x1111L);
        m.put("beta", -2L);
        return List.of(new State(m), new State(Map.of()));
    }

    @Override
    public List<StructLayout> layouts(CompatibleString version, WriteContext context) {
        if (!version.equals(V2)) {
            return List.of();
        }
        return List.of(StructLayout.builder("example_sessions_ser", 8).field("version", "u32", 4)
                .field("count", "u32", 4).build(), StructLayout.builder("example_session_entry", ENTRY)
                .field("name", "char[16]", NAME_LEN).field("token", "u64", 8).build());
    }

    @Override
    public List<String> versionsIn(InboundSubtree in) throws RestoreException {
        if (in.looksLikeFdt()) {
            return in.rootCompatibles();
        }
        if (in.size() < 8) {
            throw new RestoreException(name(), "raw blob of " + in.size() + " bytes has no 8-byte header", null);
        }
        int version = in.buffer().order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (version < 0) {
            throw new RestoreException(name(), "version field " + Integer.toUnsignedString(version) + " at offset 0", null);
        }
        return List.of(V1.withVersion(version).toString());
    }

    @Override
    public State restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        Map<String, Long> sessions = new LinkedHashMap<>();
        if (version.equals(V1)) {
            try {
                for (FdtNode n : in.fdt().root().children()) {
                    if (sessions.put(n.name(), n.requireProperty("token").u64(ByteOrder.LITTLE_ENDIAN)) != null) {
                        throw new RestoreException(name(), "session \"" + n.name() + "\" twice, at offset " + n.offset(),
                                null);
                    }
                }
            } catch (FdtFormatException e) {
                throw new RestoreException(name(), e.getMessage(), e);
            }
            return new State(sessions);
        }
        ByteBuffer b = in.buffer().order(ByteOrder.LITTLE_ENDIAN);
        long count = Integer.toUnsignedLong(b.getInt(4));
        if (8 + count * ENTRY != in.size()) {
            throw new RestoreException(name(), "count " + count + " at offset 4 needs " + (8 + count * ENTRY)
                    + " bytes, the blob has " + in.size(), null);
        }
        List<String> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = 8 + i * ENTRY;
            int len = 0;
            while (len < NAME_LEN && b.get(at + len) != 0) {
                len++;
            }
            if (len == NAME_LEN) {
                throw new RestoreException(name(), "entry " + i + " name at offset " + at + " is not NUL-terminated", null);
            }
            byte[] name = new byte[len];
            b.get(at, name);
            String s = new String(name, StandardCharsets.US_ASCII);
            if (sessions.put(s, b.getLong(at + NAME_LEN)) != null) {
                throw new RestoreException(name(), "session \"" + s + "\" twice, entry " + i, null);
            }
            order.add(s);
        }
        return new State(sessions);
    }
}
