package io.kho4j.gic;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.testkit.SerializerContractTest;
import java.nio.file.Path;
import java.util.Optional;

/** The test kit's contract for the GIC subtree, pinned to the project's kho-abi.lock. */
class GicContractTest extends SerializerContractTest<GicState> {
    @Override
    protected SubsystemSerializer<GicState> serializer() {
        return new GicSubsystem();
    }

    @Override
    protected Restorer<GicState> restorer() {
        return new GicSubsystem();
    }

    @Override
    protected Optional<Path> abiLock() {
        return Optional.of(Path.of("..", "kho-abi.lock"));
    }
}
