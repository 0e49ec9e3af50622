package io.kho4j.spi;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A small subsystem for tests: a counter and a label. v1 is an FDT ({@code count}, node {@code details} with
 * {@code label}); v2 adds a u32 {@code flags}; v3 is a raw 16-byte struct (kho-v2+ only).
 */
public class CounterSubsystem implements SubsystemSerializer<CounterSubsystem.State>, Restorer<CounterSubsystem.State> {
    public static final CompatibleString V1 = CompatibleString.of("kho4j,counter-v1");
    public static final CompatibleString V2 = CompatibleString.of("kho4j,counter-v2");
    public static final CompatibleString V3 = CompatibleString.of("kho4j,counter-v3");

    /** The state. */
    public record State(long count, int flags, String label) {
    }

    private final List<CompatibleString> writes;

    public CounterSubsystem(CompatibleString... writes) {
        this.writes = List.of(writes);
    }

    /** The form ServiceLoader instantiates (META-INF/services in the test resources). */
    public static final class Provided extends CounterSubsystem {
        public Provided() {
            super(V1, V2);
        }
    }

    @Override
    public String name() {
        return "counter";
    }

    @Override
    public List<CompatibleString> writes() {
        return writes;
    }

    @Override
    public boolean writes(CompatibleString version, AbiGeneration generation) {
        return !version.equals(V3) || generation.allowsRawBlobs();
    }

    @Override
    public List<CompatibleString> reads() {
        return List.of(V1, V2, V3);
    }

    @Override
    public void write(State s, SubtreeWriter out) {
        if (out.version().equals(V3)) {
            out.blob(ByteBuffer.allocate(16).order(out.nativeOrder()).putInt(3).putInt(s.flags()).putLong(s.count())
                    .array());
            return;
        }
        out.compatible().u64("count", s.count());
        if (out.version().equals(V2)) {
            out.u32("flags", s.flags());
        }
        out.beginNode("details").strings("label", s.label()).endNode();
    }

    @Override
    public List<State> abiSamples() {
        return List.of(new State(7, 1, "seven"));
    }

    @Override
    public List<StructLayout> layouts(CompatibleString version, WriteContext context) {
        return version.equals(V3) ? List.of(StructLayout.builder("counter_ser", 16).field("version", "u32", 4)
                .field("flags", "u32", 4).field("count", "u64", 8).build()) : List.of();
    }

    @Override
    public List<String> versionsIn(InboundSubtree in) throws RestoreException {
        if (in.looksLikeFdt()) {
            return in.rootCompatibles();
        }
        if (in.size() != 16) {
            throw new RestoreException(name(), "raw blob is " + in.size() + " bytes, expected 16", null);
        }
        return List.of(V1.withVersion(in.buffer().order(ByteOrder.LITTLE_ENDIAN).getInt(0)).toString());
    }

    @Override
    public State restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        if (version.equals(V3)) {
            ByteBuffer b = in.buffer().order(ByteOrder.LITTLE_ENDIAN);
            return new State(b.getLong(8), b.getInt(4), "");
        }
        try {
            FdtNode root = in.fdt().root();
            long count = root.requireProperty("count").u64(ByteOrder.LITTLE_ENDIAN);
            int flags = version.equals(V2) ? root.requireProperty("flags").u32(ByteOrder.LITTLE_ENDIAN) : 0;
            FdtNode details = root.child("details").orElseThrow(() -> new RestoreException(name(), "no details node", null));
            return new State(count, flags, details.requireProperty("label").string());
        } catch (FdtFormatException e) {
            throw new RestoreException(name(), e.getMessage(), e);
        }
    }
}
