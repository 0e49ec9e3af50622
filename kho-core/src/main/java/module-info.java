/**
 * kho4j core: FDT codec, KHO trees per ABI generation, preserved-memory maps, scratch planning,
 * the subsystem SPI and the handover path.
 */
module io.kho4j.core {
    requires com.sun.jna;
    requires com.google.protobuf;

    exports io.kho4j.fdt;
    exports io.kho4j.tree;
    exports io.kho4j.handover;
    exports io.kho4j.proto;
    exports io.kho4j.preserve;
    exports io.kho4j.scratch;
    exports io.kho4j.host;
    exports io.kho4j.host.luo;
    exports io.kho4j.abi;
    exports io.kho4j.spi;

    // Subsystem serializers and restorers from other modules (SubsystemRegistry.discover).
    uses io.kho4j.spi.SubsystemSerializer;
    uses io.kho4j.spi.Restorer;
    // Sample states for kho demo from subsystem modules.
    uses io.kho4j.spi.SampleStateProvider;

    // protobuf-java reflects on the generated kho-abi.lock classes; never exported.
    opens io.kho4j.abi.internal.proto to com.google.protobuf;

    // JNA reflects on Structure subclasses and interface proxies; never exported.
    opens io.kho4j.internal.jna to com.sun.jna;

}
