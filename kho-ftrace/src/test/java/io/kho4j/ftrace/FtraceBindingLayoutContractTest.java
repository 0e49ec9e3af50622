package io.kho4j.ftrace;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.testkit.SerializerContractTest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The contract for the binding-example layout written as kho4j's v2. The project's kho-abi.lock records the default
 * instance's shape, so this variant is pinned to a lock of its own in the test resources.
 */
class FtraceBindingLayoutContractTest extends SerializerContractTest<FtraceState> {
    @Override
    protected SubsystemSerializer<FtraceState> serializer() {
        return new FtraceSubsystem(FtraceSubsystem.FTRACE_V2, NodeLayout.BINDING_EXAMPLE, BufferPageLayout.V1, 4096);
    }

    @Override
    protected Restorer<FtraceState> restorer() {
        return new FtraceSubsystem();
    }

    @Override
    protected Optional<Path> abiLock() {
        return Optional.of(Path.of("src", "test", "resources", "binding-layout-v2.abi.lock"));
    }
}
