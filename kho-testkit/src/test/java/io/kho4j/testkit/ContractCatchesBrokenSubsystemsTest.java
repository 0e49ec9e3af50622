package io.kho4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.kho4j.abi.CompatibleString;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs {@link SerializerContractTest} on deliberately broken subsystems (with JUnit's engine test kit) and checks
 * that the right suite fails for the right reason: proof that the contract catches what it claims to.
 */
class ContractCatchesBrokenSubsystemsTest {

    /** Failed tests of a contract subclass: suite display name -> failure messages. */
    private static Map<String, List<String>> failures(Class<?> contract) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(contract)).execute().testEvents().failed()
                .stream().collect(Collectors.groupingBy(ContractCatchesBrokenSubsystemsTest::suite,
                        Collectors.mapping(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable()
                                .map(Throwable::getMessage).orElse(""), Collectors.toList())));
    }

    private static String suite(Event e) {
        return e.getTestDescriptor().getUniqueId().getSegments().stream()
                .filter(s -> s.getType().equals("nested-class")).map(s -> s.getValue()).findFirst().orElse("?");
    }

    @Test
    void theWorkingExamplePassesEverySuite() {
        assertEquals(Map.of(), failures(SessionTableContractTest.class));
    }

    @Test
    void aNonDeterministicWriterFailsDeterminismOnly() {
        Map<String, List<String>> f = failures(NonDeterministic.class);
        assertEquals(List.of("Determinism"), List.copyOf(f.keySet()), f.toString());
        assertTrue(f.get("Determinism").get(0).contains("two writes of one state differ"), f.toString());
    }

    @Test
    void aRestorerWithoutBoundsChecksFailsHostileInput() {
        Map<String, List<String>> f = failures(Unchecked.class);
        assertEquals(List.of("HostileInput"), List.copyOf(f.keySet()), f.toString());
        assertTrue(f.get("HostileInput").get(0).contains("instead of RestoreException"), f.toString());
    }

    @Test
    void aLossyRestorerFailsRoundTripAndTheMatrix() {
        Map<String, List<String>> f = failures(Lossy.class);
        assertTrue(f.containsKey("RoundTrip") && f.containsKey("VersionMatrix"), f.toString());
    }

    @Test
    void aLayoutChangeUnderTheSameCompatibleFailsTheAbiLock() {
        Map<String, List<String>> f = failures(ChangedLayout.class);
        assertTrue(f.containsKey("AbiLockPinning"), f.toString());
        String message = f.get("AbiLockPinning").get(0);
        assertTrue(message.contains("Bump the compatible to \"kho4j,example-sessions-v3\""), message);
        assertTrue(message.contains("-   prop token u64 native len=8") && message.contains("+   prop token u32 native"),
                message);
    }

    /** Base for the broken variants: the example with one thing wrong. */
    abstract static class Broken extends SerializerContractTest<SessionTable.State> {
        @Override
        protected SubsystemSerializer<SessionTable.State> serializer() {
            return new SessionTable();
        }

        @Override
        protected Restorer<SessionTable.State> restorer() {
            return new SessionTable();
        }

        @Override
        protected int hostileRandomCount() {
            return 50;
        }
    }

    static final class NonDeterministic extends Broken {
        private static final AtomicLong CALLS = new AtomicLong();

        @Override
        protected SubsystemSerializer<SessionTable.State> serializer() {
            return new SessionTable() {
                @Override
                public void write(SessionTable.State state, SubtreeWriter out) {
                    if (out.version().equals(V1)) {
                        out.compatible().u64("generated-at", CALLS.incrementAndGet());
                        state.sessions().forEach((k, v) -> out.beginNode(k).u64("token", v).endNode());
                    } else {
                        super.write(state, out);
                    }
                }
            };
        }

        @Override
        protected Restorer<SessionTable.State> restorer() {
            return new SessionTable() {
                @Override
                public SessionTable.State restore(InboundSubtree in, CompatibleString v) throws RestoreException {
                    return super.restore(in, v);
                }
            };
        }
    }

    static final class Unchecked extends Broken {
        @Override
        protected Restorer<SessionTable.State> restorer() {
            return new SessionTable() {
                @Override
                public SessionTable.State restore(InboundSubtree in, CompatibleString v) throws RestoreException {
                    if (v.equals(V2)) {
                        ByteBuffer b = in.buffer().order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < b.getInt(4); i++) {
                            b.getLong(8 + i * ENTRY + NAME_LEN); // trusts count
                        }
                    }
                    return super.restore(in, v);
                }
            };
        }
    }

    static final class Lossy extends Broken {
        @Override
        protected Restorer<SessionTable.State> restorer() {
            return new SessionTable() {
                @Override
                public SessionTable.State restore(InboundSubtree in, CompatibleString v) throws RestoreException {
                    SessionTable.State s = super.restore(in, v);
                    return new SessionTable.State(s.sessions().keySet().stream()
                            .collect(Collectors.toMap(k -> k, k -> 0L)));
                }
            };
        }
    }

    static final class ChangedLayout extends Broken {
        @Override
        protected SubsystemSerializer<SessionTable.State> serializer() {
            return new SessionTable() {
                @Override
                public void write(SessionTable.State state, SubtreeWriter out) {
                    if (out.version().equals(V1)) {
                        out.compatible();
                        state.sessions().forEach((k, v) -> out.beginNode(k).u32("token", v.intValue()).endNode());
                    } else {
                        super.write(state, out);
                    }
                }
            };
        }

        @Override
        protected Optional<Path> abiLock() {
            return Optional.of(SessionTableContractTest.LOCK);
        }
    }
}
