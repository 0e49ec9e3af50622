/** ftrace ring-buffer handover for kho4j. */
module io.kho4j.ftrace {
    requires transitive io.kho4j.core;

}
