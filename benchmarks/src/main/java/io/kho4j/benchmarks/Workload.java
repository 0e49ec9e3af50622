package io.kho4j.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The KHO-shaped trees every FDT benchmark measures, from tiny to huge. Property values are little-endian,
 * as KHO writes them on x86-64 and arm64 (kho-abi.md §1). The C harness ({@code src/main/c/fdtbench.c},
 * function {@code build_workload}) builds the same trees call for call; {@code WorkloadTest} checks that
 * both produce identical bytes. Change both or neither.
 */
public enum Workload {
    /** A KHO root with 4 subsystems × 16 range nodes (start, size): 69 nodes, 138 properties, ~6 KB. */
    SMALL {
        @Override
        TreeScript build() {
            TreeScript.Builder s = TreeScript.builder().begin("");
            s.property("compatible", string("kho-v1"));
            s.property("preserved-memory-map", u64(0x1_0000_0000L));
            String[] subsystems = {"memblock", "ftrace", "gic", "luo"};
            for (int sub = 0; sub < subsystems.length; sub++) {
                s.begin(subsystems[sub]);
                s.property("compatible", string(subsystems[sub] + "-v1"));
                s.property("fdt", u64(0x1_0000_0000L + (sub + 1) * 0x1000L));
                for (int r = 0; r < RANGES_PER_SUBSYSTEM; r++) {
                    long start = 0x2_0000_0000L + (sub * RANGES_PER_SUBSYSTEM + r) * 0x20_0000L;
                    s.begin("range@" + Long.toHexString(start));
                    s.property("start", u64(start));
                    s.property("size", u64(0x1000L << (r % 8)));
                    s.end();
                }
                s.end();
            }
            return s.end().build();
        }
    },
    /**
     * Ftrace as Graf's bindings describe it (kho-abi.md §6): 256 {@code cpu%x} nodes, each with a
     * {@code mem} array of 1,024 {u64 phys, u64 len} pairs; ~4.2 MB.
     */
    FTRACE {
        @Override
        TreeScript build() {
            TreeScript.Builder s = TreeScript.builder().begin("");
            s.property("compatible", string("ftrace-v1"));
            for (int cpu = 0; cpu < FTRACE_CPUS; cpu++) {
                s.begin("cpu" + Integer.toHexString(cpu));
                s.property("compatible", string("ftrace,cpu-v1"));
                s.property("cpu", u32(cpu));
                ByteBuffer mem = pairs(FTRACE_PAIRS_PER_CPU);
                for (int i = 0; i < FTRACE_PAIRS_PER_CPU; i++) {
                    mem.putLong(0x3_0000_0000L + ((long) cpu * FTRACE_PAIRS_PER_CPU + i) * 0x1000L).putLong(0x1000L);
                }
                s.property("mem", mem.array());
                s.end();
            }
            return s.end().build();
        }
    },
    /** One {@code mem} property of 1,000,000 pairs: a 16,000,000-byte value in a 2-node tree. */
    BIG_PROPERTY {
        @Override
        TreeScript build() {
            TreeScript.Builder s = TreeScript.builder().begin("");
            s.property("compatible", string("kho-v1"));
            s.begin("guest-ram");
            s.property("compatible", string("guest-ram-v1"));
            ByteBuffer mem = pairs(BIG_PROPERTY_PAIRS);
            for (int i = 0; i < BIG_PROPERTY_PAIRS; i++) {
                mem.putLong(0x1_0000_0000L + i * 0x2000L).putLong(0x1000L);
            }
            s.property("mem", mem.array());
            s.end();
            return s.end().build();
        }
    },
    /** 100,000 {@code page@…} nodes below the root, 8 small properties each; ~18 MB, 800,001 properties. */
    MANY_NODES {
        @Override
        TreeScript build() {
            TreeScript.Builder s = TreeScript.builder().begin("");
            s.property("compatible", string("kho-v1"));
            for (int i = 0; i < MANY_NODES_COUNT; i++) {
                long start = 0x1_0000_0000L + i * 0x1000L;
                s.begin("page@" + Long.toHexString(start));
                s.property("compatible", string("kho-page-v1"));
                s.property("start", u64(start));
                s.property("size", u64(0x1000L));
                s.property("order", u32(i % 10));
                s.property("numa-node", u32(i % 4));
                s.property("flags", u32(i * 0x9E3779B1));
                s.property("generation", u64(i));
                s.property("owner", string("vm" + (i % 100)));
                s.end();
            }
            return s.end().build();
        }
    },
    /**
     * 10,000 distinct property names ({@code param-00000} …) in one node. libfdt's sequential writer looks
     * each new name up by scanning the whole strings table byte by byte ({@code fdt_find_string_}), so its
     * encode time grows with the square of the name count.
     */
    MANY_NAMES {
        @Override
        TreeScript build() {
            TreeScript.Builder s = TreeScript.builder().begin("");
            s.property("compatible", string("kho-v1"));
            s.begin("params");
            for (int i = 0; i < MANY_NAMES_COUNT; i++) {
                s.property(String.format("param-%05d", i), u32(i));
            }
            s.end();
            return s.end().build();
        }
    };

    /** Shape constants, shared with the tests that check each workload is what it claims. */
    public static final int RANGES_PER_SUBSYSTEM = 16;
    public static final int FTRACE_CPUS = 256;
    public static final int FTRACE_PAIRS_PER_CPU = 1024;
    public static final int BIG_PROPERTY_PAIRS = 1_000_000;
    public static final int MANY_NODES_COUNT = 100_000;
    public static final int MANY_NAMES_COUNT = 10_000;

    abstract TreeScript build();

    /** @return the script for this workload, built afresh */
    public TreeScript script() {
        return build();
    }

    private static byte[] string(String s) {
        return (s + '\0').getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static ByteBuffer pairs(int count) {
        return ByteBuffer.allocate(count * 16).order(ByteOrder.LITTLE_ENDIAN);
    }
}
