/** Memory subsystems (reserve_mem, kho_vmalloc, LUO, memfd, kho-test-v1, guest RAM) for kho4j. */
module io.kho4j.memory {
    requires transitive io.kho4j.core;

}
