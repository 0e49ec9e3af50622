package io.kho4j.memory.internal;

import io.kho4j.abi.StructLayout;

/** The C structures this module's formats write into memory, as declared for the ABI lock. */
public final class Layouts {
    /** {@code struct kho_vmalloc} (kho-abi.md §2). */
    public static final StructLayout KHO_VMALLOC = StructLayout.builder("kho_vmalloc", 16).field("first", "u64", 8)
            .field("total_pages", "unsigned int", 4).field("flags", "unsigned short", 2)
            .field("order", "unsigned short", 2).build();
    /** {@code struct kho_vmalloc_chunk} for 4 KiB pages (kho-abi.md §2). */
    public static final StructLayout KHO_VMALLOC_CHUNK = StructLayout.builder("kho_vmalloc_chunk", 4096)
            .field("hdr.next", "u64", 8).field("phys", "u64[511]", 4088).build();
    /** {@code struct kho_block_header_ser} (kho-abi.md §9.2). */
    public static final StructLayout KHO_BLOCK_HEADER = StructLayout.builder("kho_block_header_ser", 16)
            .field("next", "u64", 8).field("count", "u64", 8).build();
    /** {@code struct luo_session_header_ser} (kho-abi.md §4). */
    public static final StructLayout LUO_SESSION_HEADER = StructLayout.builder("luo_session_header_ser", 8)
            .field("count", "u64", 8).build();
    /** {@code struct luo_session_ser} with its {@code luo_file_set_ser} (kho-abi.md §4). */
    public static final StructLayout LUO_SESSION = StructLayout.builder("luo_session_ser", 80)
            .field("name", "char[64]", 64).field("file_set_ser.files", "u64", 8).field("file_set_ser.count", "u64", 8)
            .build();
    /** {@code struct luo_file_ser} (kho-abi.md §4). */
    public static final StructLayout LUO_FILE = StructLayout.builder("luo_file_ser", 64)
            .field("compatible", "char[48]", 48).field("data", "u64", 8).field("token", "u64", 8).build();
    /** {@code struct luo_flb_header_ser} (kho-abi.md §9.6). */
    public static final StructLayout LUO_FLB_HEADER = StructLayout.builder("luo_flb_header_ser", 16)
            .field("pgcnt", "u64", 8).field("count", "u64", 8).build();
    /** {@code struct luo_flb_ser} (kho-abi.md §9.6). */
    public static final StructLayout LUO_FLB = StructLayout.builder("luo_flb_ser", 64).field("name", "char[48]", 48)
            .field("data", "u64", 8).field("count", "u64", 8).build();
    /** {@code struct luo_ser} of luo-v5 (kho-abi.md §9.6). */
    public static final StructLayout LUO_SER = StructLayout.builder("luo_ser", 32).field("compatible", "char[8]", 8)
            .field("liveupdate_num", "u64", 8).field("sessions_pa", "u64", 8).field("flbs_pa", "u64", 8).build();
    /** {@code struct memfd_luo_ser} of memfd-v1 (kho-abi.md §4). */
    public static final StructLayout MEMFD_V1 = StructLayout.builder("memfd_luo_ser", 40).field("pos", "u64", 8)
            .field("size", "u64", 8).field("nr_folios", "u64", 8).field("folios", "struct kho_vmalloc", 16).build();
    /** {@code struct memfd_luo_ser} of memfd-v2 (kho-abi.md §9.6). */
    public static final StructLayout MEMFD_V2 = StructLayout.builder("memfd_luo_ser", 48).field("pos", "u64", 8)
            .field("size", "u64", 8).field("seals", "u32", 4).field("flags", "u32", 4).field("nr_folios", "u64", 8)
            .field("folios", "struct kho_vmalloc", 16).build();
    /** {@code struct memfd_luo_folio_ser} (kho-abi.md §4). */
    public static final StructLayout MEMFD_FOLIO = StructLayout.builder("memfd_luo_folio_ser", 16)
            .field("pfn:52,flags:12", "u64", 8).field("index", "u64", 8).build();

    private Layouts() {
    }
}
