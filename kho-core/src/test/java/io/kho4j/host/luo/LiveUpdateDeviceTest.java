package io.kho4j.host.luo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.host.DryRunSyscalls;
import io.kho4j.host.KhoNativeException;
import io.kho4j.host.KhoUnavailableException;
import io.kho4j.host.LinuxSyscalls;
import io.kho4j.testsupport.ScriptedSyscalls;
import io.kho4j.testsupport.ScriptedSyscalls.Call;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveUpdateDeviceTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path root;

    @BeforeEach
    void device() throws Exception {
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/liveupdate"));
    }

    /** The kernel's reply to a session ioctl: writes {@code fd} into the {@code __s32 fd} field at offset 4. */
    private static void replyFd(byte[] arg, int fd) {
        ByteBuffer.wrap(arg).order(ByteOrder.LITTLE_ENDIAN).putInt(4, fd);
    }

    @Test
    void anOutgoingSessionPreservesDescriptorsWithExactStructBytes() throws Exception {
        ScriptedSyscalls k = new ScriptedSyscalls("6.19.1", 0).onIoctl(0xBA00, a -> replyFd(a, 42));
        try (LiveUpdateDevice dev = LiveUpdateDevice.open(k, root);
             LiveUpdateSession s = dev.createSession("vm-1")) {
            assertEquals(42, s.fd());
            s.preserveFd(7, 0xabcdefL);
        }
        List<Call> c = k.calls();
        assertEquals(List.of(root.resolve("dev/liveupdate").toString(), 0x80002), c.get(0).args(), "O_RDWR|O_CLOEXEC");
        assertEquals(List.of(10, 0xBA00), c.get(1).args());
        assertEquals("48000000" + "00000000" + "766d2d31" + "00".repeat(60), HEX.formatHex(c.get(1).bytes()));
        assertEquals(List.of(42, 0xBA40), c.get(2).args(), "PRESERVE_FD goes to the session fd");
        assertEquals("10000000" + "07000000" + "efcdab0000000000", HEX.formatHex(c.get(2).bytes()));
        assertEquals(List.of("close", "close"), List.of(c.get(3).name(), c.get(4).name()));
        assertEquals(List.of(42), c.get(3).args());
        assertEquals(List.of(10), c.get(4).args());
    }

    @Test
    void anIncomingSessionGivesDescriptorsBackAndFinishes() throws Exception {
        ScriptedSyscalls k = new ScriptedSyscalls("7.2.0", 0)
                .onIoctl(0xBA01, a -> replyFd(a, 5))
                .onIoctl(0xBA41, a -> replyFd(a, 9))
                .onIoctl(0xBA43, a -> System.arraycopy("vm-1".getBytes(), 0, a, 8, 4));
        LiveUpdateDevice dev = LiveUpdateDevice.open(k, root);
        LiveUpdateSession s = dev.retrieveSession("vm-1");
        assertEquals(9, s.retrieveFd(0xabcdefL));
        assertEquals("vm-1", s.queryName());
        s.finish();
        List<Call> c = k.calls();
        assertEquals(0xBA01, c.get(1).args().get(1));
        assertEquals("48000000" + "00000000" + "766d2d31" + "00".repeat(60), HEX.formatHex(c.get(1).bytes()));
        assertEquals(List.of(5, 0xBA41), c.get(2).args());
        assertEquals("10000000" + "00000000" + "efcdab0000000000", HEX.formatHex(c.get(2).bytes()));
        assertEquals(List.of(5, 0xBA43), c.get(3).args());
        assertEquals("48000000" + "00000000" + "00".repeat(64), HEX.formatHex(c.get(3).bytes()));
        assertEquals(List.of(5, 0xBA42), c.get(4).args());
        assertEquals("08000000" + "00000000", HEX.formatHex(c.get(4).bytes()));
    }

    @Test
    void getNameBefore72IsEnottyWithTheRequestNamed() throws Exception {
        ScriptedSyscalls k = new ScriptedSyscalls("6.19.1", 0).fail("ioctl", 25);
        LiveUpdateDevice dev = LiveUpdateDevice.open(k, root);
        KhoNativeException e = assertThrows(KhoNativeException.class, () -> dev.createSession("a"));
        assertEquals("ENOTTY", e.errnoName());
    }

    @Test
    void sessionNamesNeedANulInsideSixtyFourBytes() {
        assertEquals(64, LiveUpdateDevice.sessionName("x".repeat(63)).length);
        for (String bad : new String[] {"", "x".repeat(64), "a\0b", "é".repeat(32)}) {
            assertThrows(IllegalArgumentException.class, () -> LiveUpdateDevice.sessionName(bad), bad);
        }
    }

    @Test
    void aMissingDeviceSaysWhatIsNeeded() throws Exception {
        Files.delete(root.resolve("dev/liveupdate"));
        KhoUnavailableException e = assertThrows(KhoUnavailableException.class,
                () -> LiveUpdateDevice.open(new ScriptedSyscalls("6.18.0", 0), root));
        assertEquals("/dev/liveupdate does not exist: the Live Update Orchestrator needs Linux 6.19+ built with"
                + " CONFIG_LIVEUPDATE=y", e.getMessage());
    }

    @Test
    void aDryRunPrintsEachRequestWithItsBytes() throws Exception {
        List<String> lines = new ArrayList<>();
        LinuxSyscalls dry = new DryRunSyscalls(new LinuxSyscalls.Uname("6.19.1", "x86_64"), 0, lines::add);
        try (LiveUpdateDevice dev = LiveUpdateDevice.open(dry, root)) {
            dev.createSession("db").finish();
        }
        assertEquals("open(\"" + root.resolve("dev/liveupdate") + "\", O_RDWR|O_CLOEXEC) = 3", lines.get(0));
        assertEquals("ioctl(3, LIVEUPDATE_IOCTL_CREATE_SESSION, {72 bytes: 48000000000000006462" + "00".repeat(62)
                + "})", lines.get(1));
        assertEquals("ioctl(0, LIVEUPDATE_SESSION_FINISH, {8 bytes: 0800000000000000})", lines.get(2));
        assertTrue(lines.get(3).equals("close(3)"));
    }
}
