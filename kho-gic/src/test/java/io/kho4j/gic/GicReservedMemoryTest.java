package io.kho4j.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.fdt.FdtValidator;
import io.kho4j.fdt.ValidatedFdt;
import io.kho4j.testsupport.ExternalTools;
import org.junit.jupiter.api.Test;

/**
 * The DT hand-off through dtc: a boot DTB compiled by dtc gets the GIC tables as /reserved-memory children and the
 * GIC node's memory-region, dtc accepts the result and decompiles it to the DTS written out here by hand.
 */
class GicReservedMemoryTest {
    private static final String BOOT_DTS = """
            /dts-v1/;
            / {
            	#address-cells = <2>;
            	#size-cells = <2>;
            	compatible = "linux,dummy-virt";
            	intc@8000000 {
            		compatible = "arm,gic-v3";
            		reg = <0x0 0x8000000 0x0 0x10000>;
            		interrupt-controller;
            		phandle = <0x8002>;
            	};
            	chosen {
            	};
            };
            """;

    /** GicSamples.example(): tables from 0x1_0000_0000, phandles after the largest one (0x8002), 2+2 BE cells. */
    private static final String EXPECTED = """
            /dts-v1/;

            / {
            	#address-cells = <0x02>;
            	#size-cells = <0x02>;
            	compatible = "linux,dummy-virt";

            	intc@8000000 {
            		compatible = "arm,gic-v3";
            		reg = <0x00 0x8000000 0x00 0x10000>;
            		interrupt-controller;
            		phandle = <0x8002>;
            		memory-region = <0x8003 0x8004 0x8005 0x8006 0x8007 0x8008>;
            	};

            	chosen {
            	};

            	reserved-memory {
            		#address-cells = <0x02>;
            		#size-cells = <0x02>;
            		ranges;

            		lpi-prop@100000000 {
            			compatible = "kho4j,gicv3-table";
            			reg = <0x01 0x00 0x00 0x10000>;
            			phandle = <0x8003>;
            		};

            		lpi-pend@100010000 {
            			compatible = "kho4j,gicv3-table";
            			reg = <0x01 0x10000 0x00 0x10000>;
            			phandle = <0x8004>;
            		};

            		lpi-pend@100020000 {
            			compatible = "kho4j,gicv3-table";
            			reg = <0x01 0x20000 0x00 0x10000>;
            			phandle = <0x8005>;
            		};

            		its-device@100030000 {
            			compatible = "kho4j,gicv3-table";
            			reg = <0x01 0x30000 0x00 0x10000>;
            			phandle = <0x8006>;
            		};

            		its-l2@100040000 {
            			compatible = "kho4j,gicv3-table";
            			reg = <0x01 0x40000 0x00 0x10000>;
            			phandle = <0x8007>;
            		};

            		its-collection@100050000 {
            			compatible = "kho4j,gicv3-table";
            			reg = <0x01 0x50000 0x00 0x10000>;
            			phandle = <0x8008>;
            		};
            	};
            };
            """;

    private static ValidatedFdt boot(String dts) throws Exception {
        return FdtValidator.standard().validate(ExternalTools.dtsToDtb(dts));
    }

    /** @return the example's tables handed off into the DTB dtc compiles from {@code dts}, GIC at /intc@8000000 */
    private static byte[] handOff(String dts) throws Exception {
        return GicReservedMemory.apply(boot(dts), GicSamples.example(), "/intc@8000000");
    }

    @Test
    void dtcAcceptsTheResultAndDecompilesItToTheExpectedSource() throws Exception {
        byte[] out = handOff(BOOT_DTS);
        assertEquals(EXPECTED, ExternalTools.dtbToDts(out));
    }

    @Test
    void aSecondHandOffReplacesTheFirstInsteadOfAddingToIt() throws Exception {
        byte[] once = handOff(BOOT_DTS);
        byte[] twice = GicReservedMemory.apply(FdtValidator.standard().validate(once), GicSamples.example(),
                "/intc@8000000");
        String dts = ExternalTools.dtbToDts(twice);
        assertEquals(6, dts.split("kho4j,gicv3-table", -1).length - 1, dts);
        // the stale phandles 0x8003..0x8008 are gone from memory-region; the new nodes follow the old maximum
        assertTrue(dts.contains("memory-region = <0x8009 0x800a 0x800b 0x800c 0x800d 0x800e>;"), dts);
    }

    @Test
    void anExistingReservedMemoryKeepsItsChildrenAndCells() throws Exception {
        String dts = BOOT_DTS.replace("\tchosen {", """
                	reserved-memory {
                		#address-cells = <2>;
                		#size-cells = <1>;
                		ranges;
                		fw: firmware@80000000 {
                			reg = <0x0 0x80000000 0x100000>;
                			no-map;
                		};
                	};
                	chosen {""").replace("interrupt-controller;", "interrupt-controller;\n\t\tmemory-region = <&fw>;");
        String out = ExternalTools.dtbToDts(handOff(dts));
        assertTrue(out.contains("reg = <0x00 0x80000000 0x100000>;"), out);
        assertTrue(out.contains("lpi-prop@100000000 {\n\t\t\tcompatible = \"kho4j,gicv3-table\";\n"
                + "\t\t\treg = <0x01 0x00 0x10000>;"), out);
        // dtc numbered &fw 0x01; ours follow the largest phandle, 0x8002, and the old reference stays first
        assertTrue(out.contains("memory-region = <0x01 0x8003 0x8004 0x8005 0x8006 0x8007 0x8008>;"), out);
    }

    @Test
    void cellsThatCannotHoldTheTablesAreRefused() throws Exception {
        String dts = BOOT_DTS.replace("#address-cells = <2>;\n\t#size-cells = <2>;",
                "#address-cells = <1>;\n\t#size-cells = <1>;").replace("reg = <0x0 0x8000000 0x0 0x10000>;",
                "reg = <0x8000000 0x10000>;");
        GicDeviceTreeException e = assertThrows(GicDeviceTreeException.class, () -> handOff(dts));
        assertTrue(e.getMessage().contains("does not fit one cell"), e.getMessage());
        String three = BOOT_DTS.replace("#address-cells = <2>;", "#address-cells = <3>;");
        assertThrows(GicDeviceTreeException.class, () -> handOff(three));
    }

    @Test
    void aMissingGicNodeOrATranslatingReservedMemoryIsRefused() throws Exception {
        assertThrows(GicDeviceTreeException.class,
                () -> GicReservedMemory.apply(boot(BOOT_DTS), GicSamples.example(), "/gic@0"));
        String ranged = BOOT_DTS.replace("\tchosen {", """
                	reserved-memory {
                		#address-cells = <2>;
                		#size-cells = <2>;
                		ranges = <0x0 0x0 0x0 0x1000 0x0 0x10000000>;
                	};
                	chosen {""");
        GicDeviceTreeException e = assertThrows(GicDeviceTreeException.class, () -> handOff(ranged));
        assertTrue(e.offset() > 0, e.getMessage());
        String oddRegion = BOOT_DTS.replace("interrupt-controller;", "interrupt-controller;\n\t\tmemory-region = [01 02];");
        assertTrue(assertThrows(GicDeviceTreeException.class, () -> handOff(oddRegion)).getMessage()
                .contains("not a list of u32 phandles"));
    }
}
