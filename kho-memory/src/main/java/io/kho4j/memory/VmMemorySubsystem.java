package io.kho4j.memory;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtNode;
import io.kho4j.memory.internal.Inbound;
import io.kho4j.memory.internal.proto.Guest;
import io.kho4j.memory.internal.proto.GuestRange;
import io.kho4j.memory.internal.proto.Label;
import io.kho4j.memory.internal.proto.VmMemoryHandover;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kho4j's own guest-RAM handover for VM hosts (not an upstream format), subtree {@code vm-memory}:
 * <ul>
 *   <li>{@code kho4j,vm-memory-v1}, every generation, an FDT:
 *   <pre>
 *   / { compatible = "kho4j,vm-memory-v1";
 *       vm@&lt;id hex&gt; { id = &lt;u64&gt;; name = "..."; memory = &lt;u64 start, u64 size, ...&gt;;
 *                       vmm-metadata = [protobuf kho4j.memory.VmmMetadata];   optional
 *       };
 *   };</pre></li>
 *   <li>{@code kho4j,vm-memory-v2}, kho-v3+ (a raw blob needs {@code blob-size}): {@code char compatible[32]}
 *   NUL-padded, then the protobuf message {@code kho4j.memory.VmMemoryHandover}.</li>
 * </ul>
 * Values are CPU-native like every KHO value; each memory range is preserved as naturally aligned blocks.
 */
public final class VmMemorySubsystem implements SubsystemSerializer<GuestRam>, Restorer<GuestRam> {
    /** The subtree name. */
    public static final String NAME = "vm-memory";
    /** The FDT layout. */
    public static final CompatibleString V1 = CompatibleString.of("kho4j,vm-memory-v1");
    /** The protobuf blob layout, kho-v3+. */
    public static final CompatibleString V2 = CompatibleString.of("kho4j,vm-memory-v2");
    /** Bytes of the v2 blob's compatible header. */
    public static final int HEADER = 32;

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
    public List<CompatibleString> reads() {
        return List.of(V1, V2);
    }

    @Override
    public void write(GuestRam state, SubtreeWriter out) {
        if (out.version().equals(V2)) {
            VmMemoryHandover.Builder h = VmMemoryHandover.newBuilder();
            for (GuestVm g : state.guests()) {
                Guest.Builder b = Guest.newBuilder().setId(g.id()).setName(g.name());
                g.ranges().forEach(r -> b.addRange(GuestRange.newBuilder().setStart(r.start()).setSize(r.size())));
                g.metadata().ifPresent(m -> b.setMetadata(toProto(m)));
                h.addGuest(b);
            }
            byte[] body = h.build().toByteArray();
            out.blob(ByteBuffer.allocate(HEADER + body.length).put(V2.toString().getBytes(StandardCharsets.US_ASCII))
                    .position(HEADER).put(body).array());
        } else {
            out.compatible();
            for (GuestVm g : state.guests()) {
                long[] memory = new long[g.ranges().size() * 2];
                for (int i = 0; i < g.ranges().size(); i++) {
                    memory[2 * i] = g.ranges().get(i).start();
                    memory[2 * i + 1] = g.ranges().get(i).size();
                }
                out.beginNode("vm@" + Long.toHexString(g.id())).u64("id", g.id()).strings("name", g.name())
                        .u64s("memory", memory);
                g.metadata().ifPresent(m -> out.bytes("vmm-metadata", toProto(m).toByteArray()));
                out.endNode();
            }
        }
        state.guests().forEach(g -> g.ranges().forEach(out::preserve));
    }

    private static io.kho4j.memory.internal.proto.VmmMetadata toProto(VmmMetadata m) {
        io.kho4j.memory.internal.proto.VmmMetadata.Builder b = io.kho4j.memory.internal.proto.VmmMetadata.newBuilder()
                .setVmm(m.vmm()).setVmmVersion(m.vmmVersion()).setVcpus(m.vcpus()).setOpaque(ByteString.copyFrom(
                        m.opaque()));
        m.labels().forEach((k, v) -> b.addLabel(Label.newBuilder().setKey(k).setValue(v)));
        return b.build();
    }

    private static VmmMetadata fromProto(io.kho4j.memory.internal.proto.VmmMetadata p) {
        Map<String, String> labels = new LinkedHashMap<>();
        p.getLabelList().forEach(l -> labels.put(l.getKey(), l.getValue()));
        return new VmmMetadata(p.getVmm(), p.getVmmVersion(), p.getVcpus(), labels, p.getOpaque().toByteArray());
    }

    @Override
    public List<GuestRam> abiSamples() {
        return List.of(MemorySamples.guestRamExample());
    }

    @Override
    public List<String> versionsIn(InboundSubtree in) throws RestoreException {
        if (in.looksLikeFdt()) {
            return in.rootCompatibles();
        }
        if (in.size() < HEADER) {
            throw new RestoreException(NAME, "raw blob of " + in.size() + " bytes has no " + HEADER + "-byte header",
                    null);
        }
        byte[] field = new byte[HEADER];
        in.buffer().get(0, field);
        return List.of(Inbound.cString(NAME, field, "compatible at offset 0"));
    }

    @Override
    public GuestRam restore(InboundSubtree in, CompatibleString version) throws RestoreException {
        try {
            return version.equals(V2) ? restoreBlob(in) : restoreFdt(in);
        } catch (IllegalArgumentException e) {
            throw new RestoreException(NAME, "not a valid guest-RAM state: " + e.getMessage(), e);
        }
    }

    private static GuestRam restoreBlob(InboundSubtree in) throws RestoreException {
        byte[] all = in.bytes();
        VmMemoryHandover h;
        try {
            h = VmMemoryHandover.parseFrom(ByteBuffer.wrap(all, HEADER, Math.max(0, all.length - HEADER)));
        } catch (InvalidProtocolBufferException e) {
            throw new RestoreException(NAME, "protobuf body at offset " + HEADER + ": " + e.getMessage(), e);
        }
        List<GuestVm> guests = new ArrayList<>();
        for (Guest g : h.getGuestList()) {
            List<PhysRange> ranges = new ArrayList<>();
            g.getRangeList().forEach(r -> ranges.add(new PhysRange(r.getStart(), r.getSize())));
            guests.add(new GuestVm(g.getId(), g.getName(), ranges, g.hasMetadata() ? Optional.of(fromProto(
                    g.getMetadata())) : Optional.empty()));
        }
        return new GuestRam(guests);
    }

    private static GuestRam restoreFdt(InboundSubtree in) throws RestoreException {
        List<GuestVm> guests = new ArrayList<>();
        for (FdtNode n : in.fdt().root().children()) {
            try {
                long[] memory = n.requireProperty("memory").u64Array(Inbound.NATIVE);
                if (memory.length % 2 != 0) {
                    throw new RestoreException(NAME, n.path() + ": memory has an odd number of u64s", null);
                }
                List<PhysRange> ranges = new ArrayList<>();
                for (int i = 0; i < memory.length; i += 2) {
                    ranges.add(new PhysRange(memory[i], memory[i + 1]));
                }
                Optional<VmmMetadata> metadata = Optional.empty();
                if (n.property("vmm-metadata").isPresent()) {
                    metadata = Optional.of(fromProto(io.kho4j.memory.internal.proto.VmmMetadata.parseFrom(
                            n.property("vmm-metadata").get().bytes())));
                }
                guests.add(new GuestVm(Inbound.u64(NAME, n, "id"), n.requireProperty("name").string(), ranges,
                        metadata));
            } catch (FdtFormatException | InvalidProtocolBufferException e) {
                throw new RestoreException(NAME, n.path() + " at offset " + n.offset() + ": " + e.getMessage(), e);
            }
        }
        return new GuestRam(guests);
    }
}
