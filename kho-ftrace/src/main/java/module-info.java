/** ftrace ring-buffer handover (Graf's ftrace-v1 bindings, and kho4j's ftrace-v2) for kho4j. */
module io.kho4j.ftrace {
    requires transitive io.kho4j.core;

    exports io.kho4j.ftrace;

    provides io.kho4j.spi.SubsystemSerializer with io.kho4j.ftrace.FtraceSubsystem;
    provides io.kho4j.spi.Restorer with io.kho4j.ftrace.FtraceSubsystem;
    provides io.kho4j.spi.SampleStateProvider with io.kho4j.ftrace.FtraceSampleProvider;
}
