package io.kho4j.ftrace;

import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The few fields of the old kernel's {@code struct buffer_page} that the successor copies ({@code write},
 * {@code entries}, {@code real_end}; kho-abi.md §6), and the compatible string that names this layout. Graf, on the
 * v2 review: "if anyone changes the few bits we care about in struct buffer_page, we need to ensure that the new
 * kernel emits "ftrace,cpu-v2" compatible strings" (kho-abi.md §5). So a layout is bound to its
 * {@code ftrace,cpu-vN}: the {@code cpu%x} nodes carry {@link #cpuCompatible()}, and a reader refuses a CPU node
 * of another layout instead of copying the wrong bytes.
 *
 * <p>The three fields are 8-byte words ({@code local_t} and {@code unsigned long} on a 64-bit kernel), read
 * CPU-native (little-endian on every KHO architecture, kho-abi.md §1).
 *
 * @param cpuCompatible the {@code ftrace,cpu-vN} string this layout is written under
 * @param size {@code sizeof(struct buffer_page)}: the length of each first {@code mem} element
 * @param writeOffset {@code offsetof(struct buffer_page, write)}
 * @param entriesOffset {@code offsetof(struct buffer_page, entries)}
 * @param realEndOffset {@code offsetof(struct buffer_page, real_end)}
 */
public record BufferPageLayout(CompatibleString cpuCompatible, int size, int writeOffset, int entriesOffset,
        int realEndOffset) {
    /** The compatible family of per-CPU nodes: {@code "ftrace,cpu"} (kho-abi.md §6). */
    public static final String CPU_FAMILY = "ftrace,cpu";
    /** {@code "ftrace,cpu-v1"}, Graf's v2 bindings (kho-abi.md §6). */
    public static final CompatibleString CPU_V1 = CompatibleString.of("ftrace,cpu-v1");
    /** Bytes of each copied field: {@code local_t} / {@code unsigned long} on a 64-bit kernel. */
    public static final int FIELD_BYTES = 8;

    /**
     * The layout behind {@code "ftrace,cpu-v1"}. The size, 0x38, is the {@code mem} length of Graf's example
     * (kho-abi.md §6). The offsets are the LP64 layout of the upstream declaration of the series' time
     * (kernel/trace/ring_buffer.c, torvalds/linux 002bba562dd3): {@code struct buffer_page { struct list_head list;
     * local_t write; unsigned read; local_t entries; unsigned long real_end; struct buffer_data_page *page; }}, which
     * is 16 + 8 + 4(+4) + 8 + 8 + 8 = 0x38 bytes and so agrees with the example. Later kernels added {@code order}
     * and {@code id} before {@code page} (0x40 bytes): such a kernel must use another layout under another
     * compatible string. pahole on the producing kernel remains the final check.
     */
    public static final BufferPageLayout V1 = new BufferPageLayout(CPU_V1, 0x38, 0x10, 0x20, 0x28);

    /**
     * @throws IllegalArgumentException if the string is not an {@code ftrace,cpu} version, a field lies outside the
     *     struct or overlaps another, or the layout claims {@code ftrace,cpu-v1} with different numbers than
     *     {@link #V1} (a changed struct must bump the version, kho-abi.md §5)
     */
    public BufferPageLayout {
        Objects.requireNonNull(cpuCompatible, "cpuCompatible");
        if (!cpuCompatible.family().equals(CPU_FAMILY)) {
            throw new IllegalArgumentException(cpuCompatible + " is not an " + CPU_FAMILY + "-vN string");
        }
        if (size <= 0 || size > 4096) {
            throw new IllegalArgumentException("struct buffer_page size " + size + " is not in 1..4096");
        }
        structLayout(cpuCompatible, size, writeOffset, entriesOffset, realEndOffset);
        if (cpuCompatible.equals(CPU_V1) && (size != 0x38 || writeOffset != 0x10 || entriesOffset != 0x20
                || realEndOffset != 0x28)) {
            throw new IllegalArgumentException("a struct buffer_page layout other than the one ftrace,cpu-v1 was"
                    + " written with needs its own compatible (\"ftrace,cpu-v2\" and up, kho-abi.md §5)");
        }
    }

    /** @return the layout as the ABI lock records it: {@code struct buffer_page} with the three copied fields */
    public StructLayout structLayout() {
        return structLayout(cpuCompatible, size, writeOffset, entriesOffset, realEndOffset);
    }

    private static StructLayout structLayout(CompatibleString version, int size, int write, int entries,
            int realEnd) {
        List<StructLayout.Field> fields = new java.util.ArrayList<>(List.of(
                new StructLayout.Field("write", write, FIELD_BYTES, "local_t"),
                new StructLayout.Field("entries", entries, FIELD_BYTES, "local_t"),
                new StructLayout.Field("real_end", realEnd, FIELD_BYTES, "unsigned long")));
        fields.sort(Comparator.comparingLong(StructLayout.Field::offset));
        return new StructLayout("buffer_page (" + version + ")", size, fields);
    }

    /**
     * @param struct the bytes of one {@code struct buffer_page}, {@link #size()} long
     * @return {@code {write, entries, real_end}}
     * @throws IllegalArgumentException if {@code struct} is not {@link #size()} bytes
     */
    long[] fields(byte[] struct) {
        if (struct.length != size) {
            throw new IllegalArgumentException(struct.length + " bytes for a " + size + "-byte struct buffer_page");
        }
        ByteBuffer b = ByteBuffer.wrap(struct).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getLong(writeOffset), b.getLong(entriesOffset), b.getLong(realEndOffset)};
    }

    /**
     * @param write the {@code write} index
     * @param entries the {@code entries} count
     * @param realEnd {@code real_end}
     * @return a {@link #size()}-byte struct with these fields and zeros elsewhere: what sample state writes
     */
    public byte[] encode(long write, long entries, long realEnd) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(writeOffset, write).putLong(entriesOffset, entries).putLong(realEndOffset, realEnd);
        return b.array();
    }
}
