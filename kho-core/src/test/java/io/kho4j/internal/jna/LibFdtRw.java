package io.kho4j.internal.jna;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Test-only binding of the libfdt calls the kernel makes on its KHO root (kernel/kexec_handover.c,
 * kernel/liveupdate/kexec_handover.c), so tests can run the kernel's exact call sequence on real libfdt.
 */
public final class LibFdtRw {
    static {
        Native.register(LibFdtRw.class, LibFdtCheck.LIBRARY);
    }

    private LibFdtRw() {
    }

    public static native int fdt_create(Pointer buf, int bufsize);

    public static native int fdt_finish_reservemap(Pointer fdt);

    public static native int fdt_begin_node(Pointer fdt, String name);

    public static native int fdt_property(Pointer fdt, String name, byte[] val, int len);

    public static native int fdt_property_placeholder(Pointer fdt, String name, int len, PointerByReference valp);

    public static native int fdt_end_node(Pointer fdt);

    public static native int fdt_finish(Pointer fdt);

    public static native int fdt_open_into(Pointer fdt, Pointer buf, int bufsize);

    public static native int fdt_add_subnode(Pointer fdt, int parentoffset, String name);

    public static native int fdt_setprop(Pointer fdt, int nodeoffset, String name, byte[] val, int len);

    public static native int fdt_pack(Pointer fdt);

    public static native int fdt_del_node(Pointer fdt, int nodeoffset);

    public static native int fdt_first_subnode(Pointer fdt, int offset);

    public static native int fdt_next_subnode(Pointer fdt, int offset);

    public static native Pointer fdt_getprop(Pointer fdt, int nodeoffset, String name, IntByReference lenp);
}
