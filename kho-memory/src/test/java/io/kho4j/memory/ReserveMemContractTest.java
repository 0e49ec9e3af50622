package io.kho4j.memory;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.testkit.SerializerContractTest;
import java.nio.file.Path;
import java.util.Optional;

/** The test kit's contract for memblock / reserve_mem, pinned to the project's kho-abi.lock. */
class ReserveMemContractTest extends SerializerContractTest<ReserveMem> {
    @Override
    protected SubsystemSerializer<ReserveMem> serializer() {
        return new ReserveMemSubsystem();
    }

    @Override
    protected Restorer<ReserveMem> restorer() {
        return new ReserveMemSubsystem();
    }

    @Override
    protected Optional<Path> abiLock() {
        return Optional.of(AbiLockFile.PATH);
    }
}
