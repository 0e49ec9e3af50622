/**
 * JMH benchmarks of kho4j beside a C libfdt harness. Compiled as a module so that the module graph is
 * checked, but run from the shaded jar on the class path (README.md says why).
 */
module io.kho4j.benchmarks {
    requires io.kho4j.core;
    requires io.kho4j.memory;
    requires io.kho4j.ftrace;
    requires com.sun.jna;
    requires jmh.core;
}
