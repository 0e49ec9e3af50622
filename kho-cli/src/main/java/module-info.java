/** The kho command line. An application: it exports nothing. */
module io.kho4j.cli {
    requires io.kho4j.core;
    // Not used by name: its serializers and restorers are found through ServiceLoader (kho abi, inspect, demo).
    requires io.kho4j.memory;
    requires info.picocli;

    // picocli injects options into command and mixin fields by reflection.
    opens io.kho4j.cli to info.picocli;
}
