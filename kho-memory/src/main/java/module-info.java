/** Memory subsystems (reserve_mem, LUO with memfd, kho-test-v1, guest RAM) for kho4j. */
module io.kho4j.memory {
    requires transitive io.kho4j.core;
    requires com.google.protobuf;

    exports io.kho4j.memory;

    // protobuf-java reflects on the generated guest-RAM metadata classes; never exported.
    opens io.kho4j.memory.internal.proto to com.google.protobuf;

    provides io.kho4j.spi.SubsystemSerializer with
            io.kho4j.memory.ReserveMemSubsystem,
            io.kho4j.memory.LuoSubsystem,
            io.kho4j.memory.KhoTestSubsystem,
            io.kho4j.memory.VmMemorySubsystem;
    provides io.kho4j.spi.SampleStateProvider with io.kho4j.memory.MemorySampleProvider;
    provides io.kho4j.spi.Restorer with
            io.kho4j.memory.ReserveMemSubsystem,
            io.kho4j.memory.LuoSubsystem,
            io.kho4j.memory.KhoTestSubsystem,
            io.kho4j.memory.VmMemorySubsystem;
}
