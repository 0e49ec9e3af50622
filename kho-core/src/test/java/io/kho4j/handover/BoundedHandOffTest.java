package io.kho4j.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.proto.HandoverManifest;
import io.kho4j.testsupport.Allocations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8's resource bounds for the hand-off structures: a {@code setup_data} chain of a million nodes, or a
 * cycle through them, costs at most {@link SetupDataChain#MAX_NODES} steps; a manifest claiming a field of 2 GiB
 * in 100 bytes costs nothing.
 */
class BoundedHandOffTest {

    @ParameterizedTest(name = "{0} nodes in a ring")
    @ValueSource(ints = {1_000_000, 4097})
    void aMillionNodeChainOrCycleStopsAtTheNodeLimit(int nodes) {
        PhysicalMemory chain = new NodeRing(nodes);
        HandOffFormatException[] e = new HandOffFormatException[1];
        long allocated = Allocations.measure(() -> e[0] = assertThrows(HandOffFormatException.class,
                () -> SetupDataChain.findKho(chain, NodeRing.FIRST)));
        assertTrue(e[0].getMessage().contains("longer than " + SetupDataChain.MAX_NODES + " nodes"), e[0].getMessage());
        assertEquals(NodeRing.FIRST + (long) SetupDataChain.MAX_NODES * NodeRing.STRIDE, e[0].address());
        assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void aCycleShorterThanTheLimitIsNamedAsACycle() {
        HandOffFormatException e = assertThrows(HandOffFormatException.class,
                () -> SetupDataChain.findKho(new NodeRing(4096), NodeRing.FIRST));
        assertEquals(NodeRing.FIRST, e.address());
        assertTrue(e.getMessage().contains("loops back"), e.getMessage());
    }

    /**
     * 100 bytes of manifest whose {@code digests} field (11) claims 2^31 - 1 bytes: protobuf checks the length
     * against the bytes left before allocating, from an array and from a stream.
     */
    @Test
    void aTwoGibFieldIn100BytesAllocatesNothingBig() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        out.writeUInt32NoTag(11 << 3 | 2);
        out.writeUInt32NoTag(Integer.MAX_VALUE);
        out.flush();
        byte[] manifest = Arrays.copyOf(buf.toByteArray(), 100);
        HandoverManifest.parseFrom(new byte[0]); // loads the schema, which is not what is measured
        long allocated = Allocations.measure(() -> assertThrows(InvalidProtocolBufferException.class,
                () -> HandoverManifest.parseFrom(manifest)));
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
        allocated = Allocations.measure(() -> assertThrows(InvalidProtocolBufferException.class,
                () -> HandoverManifest.parseFrom(new ByteArrayInputStream(manifest))));
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    /**
     * Memory of {@code count} unrelated setup_data nodes (type 1, no payload), each pointing at the next and the
     * last at the first, computed on read.
     */
    private static final class NodeRing implements PhysicalMemory {
        static final long FIRST = 1L << 32;
        static final long STRIDE = 64;
        private final int count;
        private final List<PhysRange> ram;

        NodeRing(int count) {
            this.count = count;
            this.ram = List.of(new PhysRange(FIRST, count * STRIDE));
        }

        @Override
        public List<PhysRange> ram() {
            return ram;
        }

        @Override
        public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
            if (!isRam(phys, length) || (phys - FIRST) % STRIDE != 0 || length != SetupDataChain.HEADER_SIZE) {
                throw new PhysicalMemoryException(phys, "this test memory reads node headers only", null);
            }
            long index = (phys - FIRST) / STRIDE;
            ByteBuffer.wrap(dst, offset, length).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(FIRST + (index + 1) % count * STRIDE).putInt(1).putInt(0);
        }

        @Override
        public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
            throw new PhysicalMemoryException(phys, "read-only", null);
        }
    }
}
