package io.kho4j.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.preserve.PhysRange;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryImageTest {
    private static final long BASE = 0x1_0000_0000L;
    private static final long SIZE = 6L << 30;

    @TempDir
    Path dir;

    @Test
    void aSparseImageAboveTwoGibMapsFileOffsetsToPhysicalAddresses() throws Exception {
        Path file = dir.resolve("mem.img");
        long phys = BASE + (5L << 30) + 12345;
        try (MemoryImage m = MemoryImage.openWritable(file, BASE, SIZE)) {
            assertEquals(List.of(new PhysRange(BASE, SIZE)), m.ram());
            m.writeU64(phys, 0x0102030405060708L, ByteOrder.LITTLE_ENDIAN);
        }
        assertEquals(SIZE, Files.size(file));
        try (MemoryImage m = MemoryImage.open(file, BASE)) {
            assertEquals(0x0102030405060708L, m.readU64(phys, ByteOrder.LITTLE_ENDIAN));
            assertArrayEquals(new byte[8], m.read(BASE, 8), "never-written bytes read as zero");
            assertTrue(m.isRam(BASE + SIZE - 8, 8));
            assertFalse(m.isRam(BASE - 1, 2));
            PhysicalMemoryException e = assertThrows(PhysicalMemoryException.class, () -> m.read(BASE + SIZE - 4, 8));
            assertEquals(BASE + SIZE - 4, e.address());
        }
    }

    @Test
    void openingForWriteNeverShrinksAnImage() throws Exception {
        Path file = dir.resolve("grow.img");
        try (MemoryImage m = MemoryImage.openWritable(file, 0, 1 << 20)) {
            m.write(0x1000, new byte[] {42});
        }
        try (MemoryImage m = MemoryImage.openWritable(file, 0, 4096)) {
            assertEquals(1 << 20, m.ram().get(0).size());
            assertEquals(42, m.read(0x1000, 1)[0]);
        }
    }

    @Test
    void anEmptyImageIsRefused() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.img"));
        assertThrows(java.io.IOException.class, () -> MemoryImage.open(file, 0));
    }
}
