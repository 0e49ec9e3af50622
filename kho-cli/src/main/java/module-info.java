/** The kho command line. An application: it exports nothing. */
module io.kho4j.cli {
    requires io.kho4j.core;
    // Not used by name: its serializers and restorers are found through ServiceLoader (kho abi, inspect, demo).
    requires io.kho4j.memory;
    // Not used by name either: the GIC subtree's serializer, restorer and arm64 demo samples.
    requires io.kho4j.gic;
    // Likewise found through ServiceLoader: ftrace ring buffers (serializer, restorer, demo sample).
    requires io.kho4j.ftrace;
    requires info.picocli;
    // kho demo reads the handover manifest and successor report (io.kho4j.proto types).
    requires com.google.protobuf;

    // kho demo's sample state, from whichever subsystem modules are present.
    uses io.kho4j.spi.SampleStateProvider;

    // picocli injects options into command and mixin fields by reflection.
    opens io.kho4j.cli to info.picocli;
}
