package io.kho4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.Mismatch;
import io.kho4j.abi.NegotiationException;
import io.kho4j.abi.VersionNegotiation;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.host.PhysicalMemory;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.PreservedAllocator;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every subsystem serializer and restorer pair must meet. Extend it once per subsystem:
 * <pre>{@code
 * class ReserveMemContractTest extends SerializerContractTest<ReserveMem> {
 *     protected SubsystemSerializer<ReserveMem> serializer() { return new ReserveMemSerializer(); }
 *     protected Restorer<ReserveMem> restorer() { return new ReserveMemSerializer(); }
 *     protected Optional<Path> abiLock() { return Optional.of(Path.of("../kho-abi.lock")); }
 * }
 * }</pre>
 * The nested suites check, for every sample state ({@link #states()}, by default the serializer's
 * {@code abiSamples()}) and every generation:
 * <ul>
 *   <li>{@link RoundTrip}: what is written for a generation negotiates to a readable version and restores equal;</li>
 *   <li>{@link VersionMatrix}: every written version against every reader version: restores when the blob
 *       declares that version, otherwise negotiation fails with one clean report naming the subsystem;</li>
 *   <li>{@link Determinism}: the same state gives the same bytes and preservations;</li>
 *   <li>{@link HostileInput}: {@link HostileBlobs} variants give a state or a {@link RestoreException}, nothing
 *       else;</li>
 *   <li>{@link AbiLockPinning}: the serializer's shape matches the committed lock ({@link #abiLock()}).</li>
 * </ul>
 * Every write goes into a fresh heap memory ({@link PreservedAllocator} over 64 GiB from 4 GiB), and the restorer's
 * {@link InboundSubtree#memory()} is that memory, so subsystems whose blob points at vmalloc chunk lists or linked
 * blocks round-trip too; hostile variants of the blob are read against the valid write's memory.
 *
 * @param <S> the state type
 */
public abstract class SerializerContractTest<S> {
    /** Memory for out-of-blob structures: 64 GiB from 4 GiB, of which only written pages take heap. */
    private static final PhysRange MEMORY = new PhysRange(1L << 32, 64L << 30);

    /** @return the serializer under test (a new instance each call is fine) */
    protected abstract SubsystemSerializer<S> serializer();

    /** @return the restorer under test */
    protected abstract Restorer<S> restorer();

    /** @return states to write; by default the serializer's {@code abiSamples()}, which must not be empty */
    protected List<S> states() {
        return serializer().abiSamples();
    }

    /**
     * Compares a restored state with the original. Override for states without a useful {@code equals}, or
     * where reading an older version loses fields on purpose.
     *
     * @param expected the state written
     * @param actual the state restored
     * @param written the version written
     * @param read the version read
     */
    protected void assertRestored(S expected, S actual, CompatibleString written, CompatibleString read) {
        assertEquals(expected, actual, "wrote " + written + ", read " + read);
    }

    /** @return the committed lock file to pin against, if any */
    protected Optional<Path> abiLock() {
        return Optional.empty();
    }

    /** @return seed of the random hostile variants */
    protected long hostileSeed() {
        return 0x6b686f34L;
    }

    /** @return number of random hostile variants per version (besides the systematic ones) */
    protected int hostileRandomCount() {
        return 200;
    }

    private List<WriteContext> contextsFor(CompatibleString version) {
        List<WriteContext> out = new ArrayList<>();
        for (AbiGeneration g : AbiGeneration.values()) {
            if (serializer().writes(version, g)) {
                out.add(WriteContext.of(g));
            }
        }
        return out;
    }

    /**
     * One write with the memory it went into: out-of-blob structures (vmalloc chunk lists, linked blocks) land in a
     * fresh heap memory per write, and the restorer gets the same memory, as a successor kernel would.
     */
    private record Written(SerializedSubtree subtree, PhysicalMemory memory) {
        InboundSubtree inbound() {
            return InboundSubtree.of(subtree.name(), 0, subtree.bytes(), subtree.context().generation(), memory,
                    FdtValidator.standard());
        }
    }

    private Written write(S state, CompatibleString version, WriteContext context) {
        PhysicalMemory memory = PhysicalMemory.sparse(List.of(MEMORY));
        PreservedAllocator allocator = PreservedAllocator.over(memory, context.pageSize(), List.of(MEMORY), List.of());
        return new Written(Subtrees.write(serializer(), state, version, context, allocator), memory);
    }

    private List<S> nonEmptyStates() {
        List<S> states = states();
        assertFalse(states.isEmpty(), "no sample states: override states() or the serializer's abiSamples()");
        return states;
    }

    /** Names, versions and samples are declared consistently. */
    @Nested
    @DisplayName("declarations")
    class Declarations {
        @Test
        @DisplayName("serializer and restorer name the same subtree and declare versions")
        void namesAndVersions() {
            assertEquals(serializer().name(), restorer().name(), "serializer and restorer must name the same subtree");
            assertFalse(serializer().name().isEmpty() || serializer().name().contains("/"), "invalid subtree name");
            assertFalse(serializer().writes().isEmpty(), "the serializer writes no version");
            assertFalse(restorer().reads().isEmpty(), "the restorer reads no version");
            assertEquals(serializer().writes().size(), serializer().writes().stream().distinct().count(),
                    "duplicate written versions");
            nonEmptyStates();
        }
    }

    /** Each generation's chosen version round-trips. */
    @Nested
    @DisplayName("round trip")
    class RoundTrip {
        @TestFactory
        Stream<DynamicTest> eachStateOnEachGeneration() {
            List<DynamicTest> tests = new ArrayList<>();
            List<S> states = nonEmptyStates();
            for (AbiGeneration g : AbiGeneration.values()) {
                Optional<CompatibleString> v = serializer().versionFor(g);
                if (v.isEmpty()) {
                    continue;
                }
                for (int i = 0; i < states.size(); i++) {
                    S state = states.get(i);
                    tests.add(DynamicTest.dynamicTest("sample " + i + " on " + g.cliName() + " as " + v.get(), () -> {
                        InboundSubtree in = write(state, v.get(), WriteContext.of(g)).inbound();
                        Optional<CompatibleString> read = VersionNegotiation.best(restorer().versionsIn(in),
                                restorer().reads());
                        assertTrue(read.isPresent(), "the restorer reads none of " + restorer().versionsIn(in));
                        assertRestored(state, Subtrees.restore(restorer(), in, read.get()), v.get(), read.get());
                    }));
                }
            }
            assertFalse(tests.isEmpty(), "the serializer writes no version for any generation");
            return tests.stream();
        }
    }

    /** Every written version against every reader version. */
    @Nested
    @DisplayName("version matrix")
    class VersionMatrix {
        @TestFactory
        Stream<DynamicTest> everyWriterVersionAgainstEveryReaderVersion() {
            List<DynamicTest> tests = new ArrayList<>();
            S state = nonEmptyStates().get(0);
            for (CompatibleString written : serializer().writes()) {
                List<WriteContext> contexts = contextsFor(written);
                if (contexts.isEmpty()) {
                    continue;
                }
                WriteContext ctx = contexts.get(contexts.size() - 1);
                for (CompatibleString reader : restorer().reads()) {
                    tests.add(DynamicTest.dynamicTest("write " + written + ", reader of " + reader, () -> {
                        InboundSubtree in = write(state, written, ctx).inbound();
                        List<String> found = restorer().versionsIn(in);
                        if (found.contains(reader.toString())) {
                            assertRestored(state, Subtrees.restore(restorer(), in, reader), written, reader);
                        } else {
                            NegotiationException e = assertThrows(NegotiationException.class, () -> VersionNegotiation
                                    .create().offer(restorer().name(), found, List.of(reader)).resolve());
                            Mismatch m = e.mismatches().get(0);
                            assertEquals(restorer().name(), m.subsystem());
                            assertEquals(found, m.found());
                        }
                    }));
                }
            }
            return tests.stream();
        }
    }

    /** The same state gives the same bytes. */
    @Nested
    @DisplayName("determinism")
    class Determinism {
        @TestFactory
        Stream<DynamicTest> sameStateSameBytes() {
            List<DynamicTest> tests = new ArrayList<>();
            List<S> states = nonEmptyStates();
            for (CompatibleString v : serializer().writes()) {
                for (WriteContext ctx : contextsFor(v)) {
                    for (int i = 0; i < states.size(); i++) {
                        S state = states.get(i);
                        tests.add(DynamicTest.dynamicTest("sample " + i + " as " + v + " on "
                                + ctx.generation().cliName(), () -> {
                                    SerializedSubtree a = Subtrees.write(serializer(), state, v, ctx);
                                    SerializedSubtree b = Subtrees.write(serializer(), state, v, ctx);
                                    assertArrayEquals(a.bytes(), b.bytes(), "two writes of one state differ");
                                    assertEquals(a.preservations(), b.preservations());
                                }));
                    }
                }
            }
            return tests.stream();
        }
    }

    /** Hostile blobs give a state or a RestoreException. */
    @Nested
    @DisplayName("hostile input")
    class HostileInput {
        @TestFactory
        Stream<DynamicTest> everyVariantGivesAStateOrARestoreException() {
            List<DynamicTest> tests = new ArrayList<>();
            S state = nonEmptyStates().get(0);
            for (CompatibleString v : serializer().writes()) {
                List<WriteContext> contexts = contextsFor(v);
                if (contexts.isEmpty()) {
                    continue;
                }
                WriteContext ctx = contexts.get(contexts.size() - 1);
                tests.add(DynamicTest.dynamicTest(v + " on " + ctx.generation().cliName() + ", seed " + hostileSeed(),
                        () -> {
                            Written valid = write(state, v, ctx);
                            for (HostileBlobs.Variant h : HostileBlobs.variants(valid.subtree().bytes(), hostileSeed(),
                                    hostileRandomCount())) {
                                survive(h, ctx.generation(), valid.memory());
                            }
                        }));
            }
            return tests.stream();
        }

        private void survive(HostileBlobs.Variant h, AbiGeneration g, PhysicalMemory memory) {
            InboundSubtree in = InboundSubtree.of(restorer().name(), 0, h.bytes(), g, memory, FdtValidator.standard());
            try {
                for (String found : restorer().versionsIn(in)) {
                    Optional<CompatibleString> c = CompatibleString.tryParse(found);
                    if (c.isPresent() && restorer().reads().contains(c.get())) {
                        restorer().restore(in, c.get());
                    }
                }
            } catch (RestoreException expected) {
                // the contract: a typed, checked refusal
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail("hostile input made the restorer throw " + e + " instead of RestoreException: " + h, e);
            }
        }
    }

    /** The shape matches the committed ABI lock. */
    @Nested
    @DisplayName("ABI lock")
    class AbiLockPinning {
        @Test
        @DisplayName("shape matches the committed kho-abi.lock")
        void matchesTheLock() {
            Optional<Path> lock = abiLock();
            org.junit.jupiter.api.Assumptions.assumeTrue(lock.isPresent(),
                    "no abiLock() given: the shape is not pinned");
            AbiLockCheck.assertMatchesLock(lock.get(), List.of(serializer()));
        }
    }
}
