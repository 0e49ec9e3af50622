package io.kho4j.tree;

import io.kho4j.testsupport.ExternalTools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.RootLayout;
import io.kho4j.internal.jna.LibFdtRw;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential check of {@link TreeAssembler} against real libfdt (Debian libfdt1 1.6.1) running exactly the
 * kernel's calls: 6.16's sequential kho_finalize, and 6.19+'s kho_out_fdt_setup followed by kho_add_subtree /
 * kho_remove_subtree (fdt_open_into, fdt_add_subnode, fdt_setprop, fdt_del_node, fdt_pack). Random operation
 * sequences from seeded generators; the seed is in the test name.
 */
class LibfdtInPlaceEditTest {
    private static final int PAGE = 4096;
    private static final int FDT_ERR_EXISTS = 2; // libfdt.h

    @BeforeAll
    static void libfdt() {
        ExternalTools.requireLibfdt();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long[] seeds = new SplittableRandom(0x6b686f).longs(8).toArray();
        for (AbiGeneration g : AbiGeneration.values()) {
            for (RootLayout l : g.rootLayouts()) {
                for (long seed : seeds) {
                    out.add(Arguments.of(g, l, seed));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} seed={2}")
    @MethodSource("cases")
    void sameBytesAsLibfdtAfterEveryKernelCall(AbiGeneration g, RootLayout layout, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        long map = r.nextLong() & 0x0000_0fff_ffff_f000L;
        TreeAssembler ours = TreeAssembler.create(g, layout);
        KernelRoot kernel = new KernelRoot(g, layout);
        List<Long> added = new ArrayList<>();
        int ops = 1 + r.nextInt(25);
        for (int i = 0; i < ops; i++) {
            if (layout == RootLayout.EDITED_IN_PLACE && !added.isEmpty() && r.nextInt(5) == 0) {
                long addr = r.nextInt(4) == 0 ? r.nextLong() : added.remove(r.nextInt(added.size()));
                assertEquals(kernel.remove(addr), ours.removeSubtree(addr), "remove 0x" + Long.toHexString(addr));
            } else {
                String name = name(r);
                long addr = r.nextLong() & ~0xfffL;
                long size = r.nextLong(1, 1L << 30);
                int err = kernel.add(name, addr, size);
                if (err == -FDT_ERR_EXISTS) {
                    assertThrows(DuplicateSubtreeException.class, () -> ours.addSubtree(name, addr, size), name);
                } else {
                    assertEquals(0, err, "libfdt error adding " + name);
                    ours.addSubtree(name, addr, size);
                    added.add(addr);
                }
            }
            if (layout == RootLayout.EDITED_IN_PLACE) {
                assertSame(kernel.bytes(map), ours.build(map), "after operation " + i);
            }
        }
        assertSame(kernel.bytes(map), ours.build(map), "final");
    }

    private static void assertSame(byte[] libfdt, byte[] ours, String when) {
        assertEquals(HexFormat.of().formatHex(libfdt), HexFormat.of().formatHex(ours), when);
        assertArrayEquals(libfdt, ours);
    }

    private static String name(SplittableRandom r) {
        String[] common = {"memblock", "LUO", "kho_test", "kexec-metadata", "ftrace", "vm@1", "vm"};
        if (r.nextInt(3) == 0) {
            return common[r.nextInt(common.length)];
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789,._+-";
        StringBuilder sb = new StringBuilder();
        int len = 1 + r.nextInt(16);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        if (r.nextInt(4) == 0) {
            sb.append('@').append(Integer.toHexString(r.nextInt(256)));
        }
        return sb.toString();
    }

    /** The kernel's calls on one root page, run by libfdt. */
    private static final class KernelRoot {
        private final AbiGeneration g;
        private final RootLayout layout;
        private final Memory page = new Memory(PAGE);
        private final List<Object[]> sequential = new ArrayList<>();

        KernelRoot(AbiGeneration g, RootLayout layout) {
            this.g = g;
            this.layout = layout;
            page.clear();
            if (layout == RootLayout.EDITED_IN_PLACE) {
                // kho_out_fdt_setup
                check(LibFdtRw.fdt_create(page, PAGE));
                check(LibFdtRw.fdt_finish_reservemap(page));
                check(LibFdtRw.fdt_begin_node(page, ""));
                byte[] c = cstr(g.rootCompatible().toString());
                check(LibFdtRw.fdt_property(page, "compatible", c, c.length));
                check(LibFdtRw.fdt_property(page, AbiGeneration.MEMORY_MAP_PROPERTY, new byte[8], 8));
                check(LibFdtRw.fdt_end_node(page));
                check(LibFdtRw.fdt_finish(page));
            }
        }

        int add(String name, long addr, long size) {
            if (layout == RootLayout.SEQUENTIAL) {
                for (Object[] s : sequential) {
                    if (TreeAssembler.nodeNameMatches((String) s[0], name)) {
                        return -FDT_ERR_EXISTS;
                    }
                }
                sequential.add(new Object[] {name, addr});
                return 0;
            }
            check(LibFdtRw.fdt_open_into(page, page, PAGE));
            int off = LibFdtRw.fdt_add_subnode(page, 0, name);
            if (off < 0) {
                LibFdtRw.fdt_pack(page);
                return off;
            }
            check(LibFdtRw.fdt_setprop(page, off, g.subtreeProperty(), le64(addr), 8));
            if (g.sizeProperty().isPresent()) {
                check(LibFdtRw.fdt_setprop(page, off, g.sizeProperty().get(), le64(size), 8));
            }
            check(LibFdtRw.fdt_pack(page));
            return 0;
        }

        boolean remove(long addr) {
            check(LibFdtRw.fdt_open_into(page, page, PAGE));
            boolean removed = false;
            for (int off = LibFdtRw.fdt_first_subnode(page, 0); off >= 0; off = LibFdtRw.fdt_next_subnode(page, off)) {
                IntByReference len = new IntByReference();
                Pointer val = LibFdtRw.fdt_getprop(page, off, g.subtreeProperty(), len);
                if (val != null && len.getValue() == 8 && val.getLong(0) == addr) {
                    check(LibFdtRw.fdt_del_node(page, off));
                    removed = true;
                    break;
                }
            }
            check(LibFdtRw.fdt_pack(page));
            return removed;
        }

        byte[] bytes(long map) {
            if (layout == RootLayout.SEQUENTIAL) {
                // 6.16 kho_finalize
                page.clear();
                check(LibFdtRw.fdt_create(page, PAGE));
                check(LibFdtRw.fdt_finish_reservemap(page));
                check(LibFdtRw.fdt_begin_node(page, ""));
                byte[] c = cstr(g.rootCompatible().toString());
                check(LibFdtRw.fdt_property(page, "compatible", c, c.length));
                PointerByReference placeholder = new PointerByReference();
                check(LibFdtRw.fdt_property_placeholder(page, AbiGeneration.MEMORY_MAP_PROPERTY, 8, placeholder));
                for (Object[] s : sequential) {
                    check(LibFdtRw.fdt_begin_node(page, (String) s[0]));
                    check(LibFdtRw.fdt_property(page, g.subtreeProperty(), le64((Long) s[1]), 8));
                    check(LibFdtRw.fdt_end_node(page));
                }
                placeholder.getValue().write(0, le64(map), 0, 8);
                check(LibFdtRw.fdt_end_node(page));
                check(LibFdtRw.fdt_finish(page));
            } else {
                // kho_update_memory_map: put_unaligned into the existing property, no layout change
                IntByReference len = new IntByReference();
                Pointer val = LibFdtRw.fdt_getprop(page, 0, AbiGeneration.MEMORY_MAP_PROPERTY, len);
                val.write(0, le64(map), 0, 8);
            }
            int total = page.getInt(4);
            total = Integer.reverseBytes(total);
            return page.getByteArray(0, total);
        }

        private static byte[] le64(long v) {
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
        }

        private static byte[] cstr(String s) {
            return (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
        }

        private static void check(int err) {
            if (err < 0) {
                throw new AssertionError("libfdt error " + err);
            }
        }
    }
}
