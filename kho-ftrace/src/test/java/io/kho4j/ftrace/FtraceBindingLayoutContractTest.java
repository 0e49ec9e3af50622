package io.kho4j.ftrace;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.testkit.SerializerContractTest;

/**
 * The contract for the binding-example layout written as kho4j's v2; not pinned to the lock, which records the
 * default instance's shape only.
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
}
