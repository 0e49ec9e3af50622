package io.kho4j.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Assembles FDT blobs byte by byte from the format's definition (Devicetree Specification ch. 5; libfdt's
 * fdt.h), independently of kho4j's FdtWriter, so tests can build shapes a writer refuses to produce.
 * Layout: 40-byte v17 header, reservation map at 40, struct block, strings block.
 */
final class HandBlobs {
    static final int FDT_MAGIC = 0xd00dfeed;
    static final int FDT_BEGIN_NODE = 1;
    static final int FDT_END_NODE = 2;
    static final int FDT_PROP = 3;
    static final int FDT_END = 9;

    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final ByteArrayOutputStream rsv = new ByteArrayOutputStream();

    HandBlobs reservation(long address, long size) {
        rsv.writeBytes(ByteBuffer.allocate(16).putLong(address).putLong(size).array());
        return this;
    }

    HandBlobs begin(String name) {
        word(FDT_BEGIN_NODE);
        struct.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        struct.write(0);
        pad();
        return this;
    }

    HandBlobs end() {
        word(FDT_END_NODE);
        return this;
    }

    /** A property whose name is appended to the strings block (no sharing). */
    HandBlobs prop(String name, byte[] value) {
        int nameOff = strings.size();
        strings.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        strings.write(0);
        word(FDT_PROP);
        word(value.length);
        word(nameOff);
        struct.writeBytes(value);
        pad();
        return this;
    }

    /** @return the blob: version 17, last_comp_version 16, the given boot CPU */
    byte[] build(int bootCpuidPhys) {
        word(FDT_END);
        byte[] s = struct.toByteArray();
        byte[] t = strings.toByteArray();
        int rsvOff = 40;
        int structOff = rsvOff + rsv.size() + 16;
        int stringsOff = structOff + s.length;
        int total = stringsOff + t.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(FDT_MAGIC).putInt(total).putInt(structOff).putInt(stringsOff).putInt(rsvOff)
                .putInt(17).putInt(16).putInt(bootCpuidPhys).putInt(t.length).putInt(s.length);
        b.put(rsv.toByteArray()).putLong(0).putLong(0).put(s).put(t);
        return b.array();
    }

    private void word(int v) {
        struct.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
    }

    private void pad() {
        while (struct.size() % 4 != 0) {
            struct.write(0);
        }
    }
}
