/** GICv3 interrupt-table handover for kho4j. */
module io.kho4j.gic {
    requires transitive io.kho4j.core;

}
