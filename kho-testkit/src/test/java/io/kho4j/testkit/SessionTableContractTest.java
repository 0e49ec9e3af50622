package io.kho4j.testkit;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import java.nio.file.Path;
import java.util.Optional;

/** The test kit run on its example subsystem, pinned to the committed src/test/resources/kho-abi.lock. */
class SessionTableContractTest extends SerializerContractTest<SessionTable.State> {
    static final Path LOCK = Path.of("src/test/resources/kho-abi.lock");

    @Override
    protected SubsystemSerializer<SessionTable.State> serializer() {
        return new SessionTable();
    }

    @Override
    protected Restorer<SessionTable.State> restorer() {
        return new SessionTable();
    }

    @Override
    protected Optional<Path> abiLock() {
        return Optional.of(LOCK);
    }
}
