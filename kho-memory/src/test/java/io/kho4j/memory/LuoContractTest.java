package io.kho4j.memory;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.testkit.SerializerContractTest;
import java.nio.file.Path;
import java.util.Optional;

/** The test kit's contract for LUO (luo-v1 and luo-v5, with memfd files), pinned to the project's kho-abi.lock. */
class LuoContractTest extends SerializerContractTest<LuoState> {
    @Override
    protected SubsystemSerializer<LuoState> serializer() {
        return new LuoSubsystem();
    }

    @Override
    protected Restorer<LuoState> restorer() {
        return new LuoSubsystem();
    }

    @Override
    protected Optional<Path> abiLock() {
        return Optional.of(AbiLockFile.PATH);
    }
}
