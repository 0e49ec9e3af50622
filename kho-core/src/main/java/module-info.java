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

    // JNA reflects on Structure subclasses and interface proxies; never exported.
    opens io.kho4j.internal.jna to com.sun.jna;

}
