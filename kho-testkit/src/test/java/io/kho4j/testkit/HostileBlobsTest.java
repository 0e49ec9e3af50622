package io.kho4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtValidator;
import io.kho4j.spi.Subtrees;
import io.kho4j.spi.WriteContext;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostileBlobsTest {
    private static byte[] fdt() {
        return Subtrees.write(new SessionTable(), new SessionTable().abiSamples().get(0), SessionTable.V1,
                WriteContext.of(AbiGeneration.KHO_V1_BITMAP512)).bytes();
    }

    @Test
    void variantsAreDeterministicForASeed() {
        List<HostileBlobs.Variant> a = HostileBlobs.variants(fdt(), 5, 40);
        List<HostileBlobs.Variant> b = HostileBlobs.variants(fdt(), 5, 40);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).description(), b.get(i).description());
            assertTrue(Arrays.equals(a.get(i).bytes(), b.get(i).bytes()), a.get(i).description());
        }
    }

    @Test
    void fdtVariantsIncludeValidTreesWithHostileValues() throws FdtFormatException {
        List<HostileBlobs.Variant> v = HostileBlobs.variants(fdt(), 1, 0);
        HostileBlobs.Variant shortToken = v.stream().filter(x -> x.description().equals("/alpha:token one byte short"))
                .findFirst().orElseThrow();
        assertEquals(7, FdtValidator.standard().validate(shortToken.bytes()).find("/alpha").orElseThrow()
                .requireProperty("token").length());
        assertTrue(v.stream().anyMatch(x -> x.description().equals("/beta removed")));
        assertTrue(v.stream().anyMatch(x -> x.description().equals("header totalsize = 0xffffffff")));
        assertTrue(v.stream().anyMatch(x -> x.description().startsWith("truncated to")));
    }

    @Test
    void rawBlobsGetTheGenericVariantsOnly() {
        byte[] raw = {2, 0, 0, 0, 0, 0, 0, 0};
        List<HostileBlobs.Variant> v = HostileBlobs.variants(raw, 1, 10);
        assertTrue(v.stream().noneMatch(x -> x.description().startsWith("header")));
        assertEquals(10, v.stream().filter(x -> x.description().startsWith("random")).count());
    }
}
