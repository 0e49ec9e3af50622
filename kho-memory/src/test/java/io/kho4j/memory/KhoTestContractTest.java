package io.kho4j.memory;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.testkit.SerializerContractTest;
import java.nio.file.Path;
import java.util.Optional;

/** The test kit's contract for lib/test_kho.c's format, pinned to the project's kho-abi.lock. */
class KhoTestContractTest extends SerializerContractTest<KhoTestState> {
    @Override
    protected SubsystemSerializer<KhoTestState> serializer() {
        return new KhoTestSubsystem();
    }

    @Override
    protected Restorer<KhoTestState> restorer() {
        return new KhoTestSubsystem();
    }

    @Override
    protected Optional<Path> abiLock() {
        return Optional.of(AbiLockFile.PATH);
    }
}
