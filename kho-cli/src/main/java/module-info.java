/** The kho command line. */
module io.kho4j.cli {
    requires io.kho4j.core;
    requires io.kho4j.memory;
    requires io.kho4j.ftrace;
    requires io.kho4j.gic;
    requires info.picocli;

    opens io.kho4j.cli to info.picocli;
}
