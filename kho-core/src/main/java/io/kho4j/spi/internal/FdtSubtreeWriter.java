package io.kho4j.spi.internal;

import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.ShapeNode;
import io.kho4j.abi.ShapeProperty;
import io.kho4j.abi.ShapeProperty.Endianness;
import io.kho4j.abi.ShapeProperty.ValueType;
import io.kho4j.fdt.FdtWriter;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.PreservedAllocator;
import io.kho4j.spi.SerializedSubtree;
import io.kho4j.spi.SubtreeWriter;
import io.kho4j.spi.WriteContext;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The {@link SubtreeWriter} behind {@link io.kho4j.spi.Subtrees}: streams into an {@link FdtWriter} with the
 * libfdt sequential layout, which is what the kernel's own subsystems produce ({@code fdt_create} …
 * {@code fdt_finish} in memblock's {@code prepare_kho_fdt}, lib/test_kho.c, LUO), and records the shape.
 */
public final class FdtSubtreeWriter implements SubtreeWriter {
    private final CompatibleString version;
    private final WriteContext context;
    private final FdtWriter fdt = FdtWriter.create(FdtWriter.Layout.LIBFDT_SEQUENTIAL);
    private final List<String> paths = new ArrayList<>();
    private final List<List<ShapeProperty>> properties = new ArrayList<>();
    private final Deque<Integer> open = new ArrayDeque<>();
    private final List<Preservation> preservations = new ArrayList<>();
    private byte[] raw;
    private boolean fdtContent;
    private boolean finished;

    private final PreservedAllocator memory;
    private final int allocationsBefore;

    /**
     * @param version the version to write
     * @param context what to write for
     * @param memory where out-of-blob structures go; its folios made during this write join the preservations
     */
    public FdtSubtreeWriter(CompatibleString version, WriteContext context, PreservedAllocator memory) {
        this.version = version;
        this.context = context;
        this.memory = memory;
        this.allocationsBefore = memory.allocations().size();
        fdt.beginNode("");
        paths.add("/");
        properties.add(new ArrayList<>());
        open.push(0);
    }

    @Override
    public PreservedAllocator memory() {
        return memory;
    }

    @Override
    public CompatibleString version() {
        return version;
    }

    @Override
    public WriteContext context() {
        return context;
    }

    @Override
    public SubtreeWriter beginNode(String name) {
        requireFdt("beginNode");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("node name must be non-empty and contain no '/': \"" + name + "\"");
        }
        fdt.beginNode(name);
        String parent = paths.get(open.peek());
        paths.add(parent.equals("/") ? "/" + name : parent + "/" + name);
        properties.add(new ArrayList<>());
        open.push(paths.size() - 1);
        fdtContent = true;
        return this;
    }

    @Override
    public SubtreeWriter endNode() {
        requireFdt("endNode");
        if (open.size() == 1) {
            throw new IllegalStateException("endNode: the subtree root is closed by the framework, not the serializer");
        }
        fdt.endNode();
        open.pop();
        return this;
    }

    @Override
    public SubtreeWriter strings(String name, String... values) {
        requireFdt("strings");
        fdt.propertyStrings(name, values);
        int len = 0;
        for (String v : values) {
            len += v.length() + 1;
        }
        return record(name, ValueType.STRINGS, Endianness.NONE, len);
    }

    @Override
    public SubtreeWriter u32(String name, int value, ByteOrder order) {
        requireFdt("u32");
        fdt.propertyU32(name, value, order);
        return record(name, ValueType.U32, endianness(order), 4);
    }

    @Override
    public SubtreeWriter u64(String name, long value, ByteOrder order) {
        requireFdt("u64");
        fdt.propertyU64(name, value, order);
        return record(name, ValueType.U64, endianness(order), 8);
    }

    @Override
    public SubtreeWriter u32s(String name, ByteOrder order, int... values) {
        requireFdt("u32s");
        fdt.propertyU32s(name, values, order);
        return record(name, ValueType.U32_ARRAY, endianness(order), values.length * Integer.BYTES);
    }

    @Override
    public SubtreeWriter u64s(String name, ByteOrder order, long... values) {
        requireFdt("u64s");
        fdt.propertyU64s(name, values, order);
        return record(name, ValueType.U64_ARRAY, endianness(order), values.length * Long.BYTES);
    }

    @Override
    public SubtreeWriter bytes(String name, byte[] value) {
        requireFdt("bytes");
        fdt.property(name, value);
        return record(name, ValueType.BYTES, Endianness.NONE, value.length);
    }

    @Override
    public SubtreeWriter empty(String name) {
        requireFdt("empty");
        fdt.propertyEmpty(name);
        return record(name, ValueType.EMPTY, Endianness.NONE, 0);
    }

    @Override
    public void blob(byte[] data) {
        requireOpen("blob");
        if (!context.generation().allowsRawBlobs()) {
            throw new IllegalStateException(context.generation() + " subtrees must be FDTs (the root's \""
                    + context.generation().subtreeProperty() + "\" property points at an FDT); raw blobs need kho-v2+");
        }
        if (fdtContent || raw != null) {
            throw new IllegalStateException("blob: the subtree already has " + (raw != null ? "a blob" : "FDT content"));
        }
        raw = data.clone();
    }

    @Override
    public SubtreeWriter preserve(PhysRange range) {
        requireOpen("preserve");
        if (!range.isAligned(context.pageSize())) {
            throw new IllegalArgumentException("preserved range " + range + " is not aligned to the "
                    + context.pageSize() + "-byte page size (kho_preserve_pages takes whole pages)");
        }
        preservations.add(new Preservation(range, -1));
        return this;
    }

    @Override
    public SubtreeWriter preserveFolio(long phys, int order) {
        requireOpen("preserveFolio");
        int shift = Integer.numberOfTrailingZeros(context.pageSize()) + order;
        if (order < 0 || shift > 62) {
            throw new IllegalArgumentException("folio order " + order + " is out of range");
        }
        PhysRange range = new PhysRange(phys, 1L << shift);
        if (!range.isAligned(1L << shift)) {
            throw new IllegalArgumentException(String.format("folio at 0x%x is not aligned to its size 0x%x", phys,
                    1L << shift));
        }
        preservations.add(new Preservation(range, order));
        return this;
    }

    /**
     * Closes the subtree.
     *
     * @param name the subtree name
     * @return the output
     * @throws IllegalStateException if a node the serializer opened is still open
     */
    public SerializedSubtree finish(String name) {
        requireOpen("finish");
        finished = true;
        List<Preservation> all = memory.allocations();
        preservations.addAll(all.subList(allocationsBefore, all.size()));
        if (raw != null) {
            return new SerializedSubtree(name, version, context, true, raw, preservations, List.of());
        }
        if (open.size() != 1) {
            throw new IllegalStateException((open.size() - 1) + " node(s) opened by the serializer are still open");
        }
        fdt.endNode();
        List<ShapeNode> nodes = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            nodes.add(new ShapeNode(paths.get(i), properties.get(i)));
        }
        return new SerializedSubtree(name, version, context, false, fdt.finish(), preservations, nodes);
    }

    private SubtreeWriter record(String name, ValueType type, Endianness order, int length) {
        properties.get(open.peek()).add(new ShapeProperty(name, type, order, length));
        fdtContent = true;
        return this;
    }

    private static Endianness endianness(ByteOrder order) {
        return order == ByteOrder.BIG_ENDIAN ? Endianness.BIG_ENDIAN : Endianness.NATIVE;
    }

    private void requireFdt(String call) {
        requireOpen(call);
        if (raw != null) {
            throw new IllegalStateException(call + ": the subtree is a raw blob");
        }
    }

    private void requireOpen(String call) {
        if (finished) {
            throw new IllegalStateException(call + " after the subtree was finished");
        }
    }
}
