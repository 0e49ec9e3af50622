package io.kho4j.ftrace;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.testkit.SerializerContractTest;
import java.nio.file.Path;
import java.util.Optional;

/** The test kit's contract for the default ftrace subsystem (v3 reader path), pinned to the project's kho-abi.lock. */
class FtraceContractTest extends SerializerContractTest<FtraceState> {
    @Override
    protected SubsystemSerializer<FtraceState> serializer() {
        return new FtraceSubsystem();
    }

    @Override
    protected Restorer<FtraceState> restorer() {
        return new FtraceSubsystem();
    }

    @Override
    protected Optional<Path> abiLock() {
        return Optional.of(Path.of("..", "kho-abi.lock"));
    }
}
