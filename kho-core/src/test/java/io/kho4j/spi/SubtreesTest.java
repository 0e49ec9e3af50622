package io.kho4j.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.EncodingShape;
import io.kho4j.abi.Mismatch;
import io.kho4j.abi.NegotiationException;
import io.kho4j.abi.ShapeNode;
import io.kho4j.abi.ShapeProperty;
import io.kho4j.abi.ShapeProperty.Endianness;
import io.kho4j.abi.ShapeProperty.ValueType;
import io.kho4j.abi.SubsystemShape;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubtreesTest {
    private static final CounterSubsystem.State STATE = new CounterSubsystem.State(0x1122334455667788L, 5, "hi");
    private static final CounterSubsystem ALL = new CounterSubsystem(CounterSubsystem.V1, CounterSubsystem.V2,
            CounterSubsystem.V3);

    @Test
    void writesAnFdtInTheKernelsSequentialLayoutWithTheShape() throws Exception {
        SerializedSubtree s = Subtrees.write(ALL, STATE, CounterSubsystem.V2, WriteContext.of(AbiGeneration.KHO_V1_BITMAP_PAGE));
        assertEquals("counter", s.name());
        assertTrue(!s.isRaw());
        var fdt = FdtValidator.standard().validate(s.bytes());
        assertEquals(48, fdt.buffer().getInt(16), "reservation map at FDT_ALIGN(40, 16), as fdt_create puts it");
        assertEquals(0x1122334455667788L, fdt.root().requireProperty("count").u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals(List.of(
                new ShapeNode("/", List.of(new ShapeProperty("compatible", ValueType.STRINGS, Endianness.NONE, 17),
                        new ShapeProperty("count", ValueType.U64, Endianness.NATIVE, 8),
                        new ShapeProperty("flags", ValueType.U32, Endianness.NATIVE, 4))),
                new ShapeNode("/details", List.of(new ShapeProperty("label", ValueType.STRINGS, Endianness.NONE, 3)))),
                s.nodes());
    }

    @Test
    void placeInWritesTheBlobIntoAFolioJustBigEnough() throws Exception {
        SerializedSubtree s = Subtrees.write(ALL, STATE, CounterSubsystem.V2, WriteContext.of(AbiGeneration.KHO_V1_BITMAP_PAGE));
        PhysRange ram = new PhysRange(0x10_0000, 0x40_0000);
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(ram));
        PreservedAllocator folios = PreservedAllocator.over(memory, 4096, List.of(ram), List.of());
        long phys = s.placeIn(folios);
        assertArrayEquals(s.bytes(), memory.read(phys, s.size()));
        assertEquals(List.of(new Preservation(new PhysRange(phys, 4096), 0)), folios.allocations());
    }

    @Test
    void versionForPicksTheHighestAllowedForTheGeneration() {
        assertEquals(Optional.of(CounterSubsystem.V2), ALL.versionFor(AbiGeneration.KHO_V1_BITMAP512));
        assertEquals(Optional.of(CounterSubsystem.V3), ALL.versionFor(AbiGeneration.KHO_V3_BLOB_SIZE));
        assertEquals(CounterSubsystem.V3, Subtrees.write(ALL, STATE, WriteContext.of(AbiGeneration.KHO_V4_BLOCKS)).version());
        assertThrows(IllegalArgumentException.class, () -> Subtrees.write(new CounterSubsystem(CounterSubsystem.V3),
                STATE, WriteContext.of(AbiGeneration.KHO_V1_BITMAP512)));
    }

    @Test
    void rawBlobsOnlyFromKhoV2() {
        SubsystemSerializer<Object> rawEverywhere = new SubsystemSerializer<>() {
            @Override
            public String name() {
                return "raw";
            }

            @Override
            public List<CompatibleString> writes() {
                return List.of(CompatibleString.of("raw-v1"));
            }

            @Override
            public void write(Object state, SubtreeWriter out) {
                out.blob(new byte[] {1});
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Subtrees.write(rawEverywhere,
                new Object(), WriteContext.of(AbiGeneration.KHO_V1_BITMAP_PAGE)));
        assertTrue(e.getMessage().contains("must be FDTs"), e.getMessage());
        SerializedSubtree s = Subtrees.write(rawEverywhere, new Object(), WriteContext.of(AbiGeneration.KHO_V2_RADIX));
        assertTrue(s.isRaw());
        assertEquals(1, s.size());
    }

    @Test
    void preservationsAreCheckedAndKept() {
        SubsystemSerializer<Object> mem = new SubsystemSerializer<>() {
            @Override
            public String name() {
                return "mem";
            }

            @Override
            public List<CompatibleString> writes() {
                return List.of(CompatibleString.of("mem-v1"));
            }

            @Override
            public void write(Object state, SubtreeWriter out) {
                out.compatible().preserve(new PhysRange(0x200000, 0x3000)).preserveFolio(0x400000, 9);
            }
        };
        SerializedSubtree s = Subtrees.write(mem, new Object(), WriteContext.of(AbiGeneration.KHO_V4_BLOCKS));
        assertEquals(List.of(new Preservation(new PhysRange(0x200000, 0x3000), -1),
                new Preservation(new PhysRange(0x400000, 0x200000), 9)), s.preservations());
        PhysRange ram = new PhysRange(1L << 32, 1L << 30);
        var writer = new io.kho4j.spi.internal.FdtSubtreeWriter(CompatibleString.of("mem-v1"),
                WriteContext.of(AbiGeneration.KHO_V4_BLOCKS), PreservedAllocator.over(
                        io.kho4j.host.PhysicalMemory.sparse(List.of(ram)), 4096, List.of(ram), List.of()));
        assertThrows(IllegalArgumentException.class, () -> writer.preserve(new PhysRange(0x200001, 0x1000)));
        assertThrows(IllegalArgumentException.class, () -> writer.preserveFolio(0x201000, 9));
        assertThrows(IllegalStateException.class, writer::endNode);
        writer.beginNode("open");
        assertThrows(IllegalStateException.class, () -> writer.finish("mem"));
    }

    @Test
    void describeGroupsGenerationsWithTheSameShape() {
        SubsystemShape shape = Subtrees.describe(ALL);
        assertEquals("counter", shape.name());
        assertEquals(3, shape.versions().size());
        EncodingShape v1 = shape.versions().get(0).encodings().get(0);
        assertEquals(EnumSet.allOf(AbiGeneration.class), v1.generations());
        EncodingShape v3 = shape.versions().get(2).encodings().get(0);
        assertEquals(EnumSet.of(AbiGeneration.KHO_V2_RADIX, AbiGeneration.KHO_V3_BLOB_SIZE, AbiGeneration.KHO_V4_BLOCKS),
                v3.generations());
        assertTrue(v3.raw());
        assertEquals(16, v3.rawSize());
        assertEquals(16, shape.versions().get(2).structs().get(0).layouts().get(0).size());
    }

    @Test
    void registryRefusesDuplicateNamesAndNegotiatesEverySubtreeInOneReport() {
        SubsystemRegistry r = SubsystemRegistry.empty().register((SubsystemSerializer<?>) ALL)
                .register((Restorer<?>) new CounterSubsystem(CounterSubsystem.V1));
        assertThrows(IllegalArgumentException.class, () -> r.register((SubsystemSerializer<?>) ALL));
        InboundSubtree good = InboundSubtree.of("counter",
                Subtrees.write(ALL, STATE, CounterSubsystem.V2, WriteContext.of(AbiGeneration.KHO_V4_BLOCKS)).bytes());
        assertEquals(Map.of("counter", CounterSubsystem.V2), assertDoesNotThrow(() -> r.negotiate(List.of(good))));

        SubsystemRegistry two = SubsystemRegistry.empty().register((Restorer<?>) ALL)
                .register(new RenamedRestorer("other"));
        InboundSubtree garbage = InboundSubtree.of("counter", new byte[] {1, 2, 3});
        InboundSubtree newer = InboundSubtree.of("other",
                Subtrees.write(new CounterSubsystem(CompatibleString.of("kho4j,counter-v9")), STATE,
                        CompatibleString.of("kho4j,counter-v9"), WriteContext.of(AbiGeneration.KHO_V4_BLOCKS)).bytes());
        InboundSubtree unclaimed = InboundSubtree.of("nobody", new byte[0]);
        NegotiationException e = assertThrows(NegotiationException.class,
                () -> two.negotiate(List.of(garbage, newer, unclaimed)));
        assertEquals(List.of("other", "counter"), e.mismatches().stream().map(Mismatch::subsystem).toList());
        assertTrue(e.mismatches().get(0).reason().contains("newer producer"), e.getMessage());
        assertTrue(e.mismatches().get(1).reason().contains("raw blob is 3 bytes"), e.getMessage());
    }

    @Test
    void serviceLoaderFindsProvidersOnTheClassPath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // A private class path entry with the provider files, so no other test or module sees this provider.
        java.nio.file.Path services = java.nio.file.Files.createDirectories(dir.resolve("META-INF/services"));
        String provider = CounterSubsystem.Provided.class.getName();
        java.nio.file.Files.writeString(services.resolve(SubsystemSerializer.class.getName()), provider + "\n");
        java.nio.file.Files.writeString(services.resolve(Restorer.class.getName()), provider + "\n");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            t.setContextClassLoader(loader);
            SubsystemRegistry found = SubsystemRegistry.discover();
            assertEquals(List.of("counter"), found.serializers().stream().map(SubsystemSerializer::name).toList());
            assertTrue(found.restorer("counter").orElseThrow() instanceof CounterSubsystem.Provided);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }

    /** The counter restorer under another subtree name. */
    private record RenamedRestorer(String name) implements Restorer<CounterSubsystem.State> {
        @Override
        public List<CompatibleString> reads() {
            return ALL.reads();
        }

        @Override
        public CounterSubsystem.State restore(InboundSubtree subtree, CompatibleString version) throws RestoreException {
            return ALL.restore(subtree, version);
        }
    }
}
