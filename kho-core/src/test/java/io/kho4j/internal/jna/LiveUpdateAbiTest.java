package io.kho4j.internal.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Structure;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Layouts checked against include/uapi/linux/liveupdate.h as quoted in kho-abi.md §4 and §9.6, on x86-64. */
class LiveUpdateAbiTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void ioctlNumbersAreIoOfTypeBaWithoutSize() {
        assertEquals(0xBA00, LiveUpdateAbi.IOCTL_CREATE_SESSION);
        assertEquals(0xBA01, LiveUpdateAbi.IOCTL_RETRIEVE_SESSION);
        assertEquals(0xBA40, LiveUpdateAbi.SESSION_PRESERVE_FD);
        assertEquals(0xBA41, LiveUpdateAbi.SESSION_RETRIEVE_FD);
        assertEquals(0xBA42, LiveUpdateAbi.SESSION_FINISH);
        assertEquals(0xBA43, LiveUpdateAbi.SESSION_GET_NAME);
        assertEquals("LIVEUPDATE_SESSION_FINISH", LiveUpdateAbi.requestName(0xBA42));
        assertEquals("0xba44", LiveUpdateAbi.requestName(0xBA44));
    }

    @Test
    void structSizesMatchTheUapiHeader() {
        assertEquals(72, new LiveUpdateAbi.CreateSession().size());
        assertEquals(72, new LiveUpdateAbi.RetrieveSession().size());
        assertEquals(16, new LiveUpdateAbi.PreserveFd().size());
        assertEquals(16, new LiveUpdateAbi.RetrieveFd().size());
        assertEquals(8, new LiveUpdateAbi.Finish().size());
        assertEquals(72, new LiveUpdateAbi.GetName().size());
    }

    @Test
    void getNameKeepsTheNameAtOffsetEightAfterTheReservedWord() {
        LiveUpdateAbi.GetName g = new LiveUpdateAbi.GetName();
        LiveUpdateAbi.decode(g, HEX.parseHex("48000000" + "00000000" + "6162" + "00".repeat(62)));
        assertEquals('a', g.name[0]);
        assertEquals('b', g.name[1]);
        assertEquals(0, g.reserved);
    }

    @Test
    void createSessionBytesAreSizeFdThenTheNulPaddedName() {
        LiveUpdateAbi.CreateSession s = new LiveUpdateAbi.CreateSession();
        s.name[0] = 'v';
        s.name[1] = 'm';
        // __u32 size = 72, __s32 fd = 0, __u8 name[64] = "vm" + 62 NULs
        assertEquals("48000000" + "00000000" + "766d" + "00".repeat(62), HEX.formatHex(LiveUpdateAbi.encode(s)));
    }

    @Test
    void preserveFdBytesAreLittleEndianWithTheTokenAtOffsetEight() {
        LiveUpdateAbi.PreserveFd p = new LiveUpdateAbi.PreserveFd();
        p.fd = 7;
        p.token = 0x1122334455667788L;
        assertEquals("10000000" + "07000000" + "8877665544332211", HEX.formatHex(LiveUpdateAbi.encode(p)));
    }

    @Test
    void finishAndGetNameSendZeroReservedFields() {
        assertEquals("08000000" + "00000000", HEX.formatHex(LiveUpdateAbi.encode(new LiveUpdateAbi.Finish())));
        assertEquals("48000000" + "00000000" + "00".repeat(64),
                HEX.formatHex(LiveUpdateAbi.encode(new LiveUpdateAbi.GetName())));
    }

    @Test
    void decodeReadsWhatTheKernelLeft() {
        LiveUpdateAbi.RetrieveFd r = new LiveUpdateAbi.RetrieveFd();
        LiveUpdateAbi.decode(r, HEX.parseHex("10000000" + "2a000000" + "0100000000000000"));
        assertEquals(42, r.fd);
        assertEquals(1L, r.token);
    }

    @Test
    void decodeRefusesBytesOfTheWrongLength() {
        Structure s = new LiveUpdateAbi.Finish();
        assertEquals("Finish is 8 bytes, got 9", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> LiveUpdateAbi.decode(s, new byte[9])).getMessage());
    }
}
