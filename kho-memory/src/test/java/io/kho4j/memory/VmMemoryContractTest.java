package io.kho4j.memory;

import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.testkit.SerializerContractTest;
import java.nio.file.Path;
import java.util.Optional;

/** The test kit's contract for kho4j's guest-RAM format, pinned to the project's kho-abi.lock. */
class VmMemoryContractTest extends SerializerContractTest<GuestRam> {
    @Override
    protected SubsystemSerializer<GuestRam> serializer() {
        return new VmMemorySubsystem();
    }

    @Override
    protected Restorer<GuestRam> restorer() {
        return new VmMemorySubsystem();
    }

    @Override
    protected Optional<Path> abiLock() {
        return Optional.of(AbiLockFile.PATH);
    }
}
