package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kho4j.tree.KhoNode;
import io.kho4j.tree.TreeCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DtcByteEqualityTest {
    @TempDir
    Path dir;

    @Test
    void reEncodingADtcBlobWithTheDtcLayoutGivesTheSameBytes() throws Exception {
        String dts = "/dts-v1/;\n/memreserve/ 0x80000000 0x100000;\n/ {\n compatible = \"kho-v1\";\n"
                + " preserved-memory-map = <0x40be16 0x1000000>;\n memblock { fdt = <0x1517 0x1000000>; };\n"
                + " n@1 { phandle = <1>; linux,phandle = <1>; empty; };\n};\n";
        Path src = dir.resolve("t.dts");
        Files.writeString(src, dts);
        Path out = dir.resolve("t.dtb");
        Process p = new ProcessBuilder("dtc", "-I", "dts", "-O", "dtb", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        byte[] dtb = Files.readAllBytes(out);
        ValidatedFdt fdt = FdtValidator.standard().validate(dtb);
        KhoNode root = TreeCodec.decode(fdt);
        byte[] again = TreeCodec.encode(root, fdt.memoryReservations(), FdtWriter.create());
        assertArrayEquals(dtb, again);
        assertEquals(0x116be4000L, fdt.find("/").orElseThrow().requireProperty("preserved-memory-map")
                .u64(java.nio.ByteOrder.LITTLE_ENDIAN));
    }
}
