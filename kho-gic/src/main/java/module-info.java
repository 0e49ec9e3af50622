/** GICv3 LPI/ITS table handover for kho4j: a KHO subtree, DT /reserved-memory and the EFI memreserve list. */
module io.kho4j.gic {
    requires transitive io.kho4j.core;

    exports io.kho4j.gic;

    provides io.kho4j.spi.SubsystemSerializer with io.kho4j.gic.GicSubsystem;
    provides io.kho4j.spi.Restorer with io.kho4j.gic.GicSubsystem;
    provides io.kho4j.spi.SampleStateProvider with io.kho4j.gic.GicSampleProvider;
}
