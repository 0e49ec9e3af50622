package io.kho4j.internal.jna;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Direct-mapped libfdt (Debian's {@code libfdt1}, soname {@code libfdt.so.1}). Direct mapping costs about
 * 100 ns a call against 250+ for interface mapping (TOOLCHAIN.md §2b). Only functions exported by the
 * shared library are bound: {@code fdt_property_u32} and friends are static inlines in libfdt.h.
 */
public final class LibFdt {
    static {
        Native.register(LibFdt.class, LibFdtCheck.LIBRARY);
    }

    private LibFdt() {
    }

    public static native int fdt_check_full(Pointer fdt, long bufsize);

    public static native int fdt_check_header(Pointer fdt);

    public static native String fdt_strerror(int errval);

    public static native int fdt_create(Pointer buf, int bufsize);

    public static native int fdt_add_reservemap_entry(Pointer fdt, long addr, long size);

    public static native int fdt_finish_reservemap(Pointer fdt);

    public static native int fdt_begin_node(Pointer fdt, Pointer name);

    public static native int fdt_property(Pointer fdt, Pointer name, Pointer val, int len);

    public static native int fdt_end_node(Pointer fdt);

    public static native int fdt_finish(Pointer fdt);

    public static native int fdt_next_node(Pointer fdt, int offset, Pointer depth);

    public static native int fdt_first_property_offset(Pointer fdt, int nodeoffset);

    public static native int fdt_next_property_offset(Pointer fdt, int offset);

    public static native Pointer fdt_getprop_by_offset(Pointer fdt, int offset, Pointer namep, Pointer lenp);

    public static native Pointer fdt_get_name(Pointer fdt, int nodeoffset, Pointer lenp);

    public static native int fdt_num_mem_rsv(Pointer fdt);

    public static native int fdt_get_mem_rsv(Pointer fdt, int n, Pointer address, Pointer size);
}
