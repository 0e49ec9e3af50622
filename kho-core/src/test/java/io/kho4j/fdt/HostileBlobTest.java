package io.kho4j.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kho4j.fdt.FdtFormatException.Kind;
import io.kho4j.testsupport.Allocations;
import io.kho4j.testsupport.LibFdtOracle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-assembled hostile blobs ({@link RawFdt}, never our writer), one problem each. Every case asserts our
 * kind (and offset where it names a place) and libfdt 1.6.1's {@code fdt_check_full} code for the same
 * bytes. Where we are deliberately stricter than libfdt the test says so and why.
 */
class HostileBlobTest {
    /** libfdt/libfdt.h error codes. */
    private static final int LIBFDT_OK = 0;
    private static final int FDT_ERR_BADOFFSET = -4;
    private static final int FDT_ERR_TRUNCATED = -8;
    private static final int FDT_ERR_BADMAGIC = -9;
    private static final int FDT_ERR_BADVERSION = -10;
    private static final int FDT_ERR_BADSTRUCTURE = -11;

    private static FdtFormatException rejected(byte[] blob, Kind kind) {
        return rejected(FdtValidator.standard(), blob, kind);
    }

    private static FdtFormatException rejected(FdtValidator validator, byte[] blob, Kind kind) {
        FdtFormatException e = assertThrows(FdtFormatException.class, () -> validator.validate(blob));
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    /** We reject with {@code kind} at {@code offset}, not as a stricter check, and libfdt says {@code code}. */
    private static void agreed(byte[] blob, Kind kind, long offset, int code) {
        FdtFormatException e = rejected(blob, kind);
        assertEquals(offset, e.offset(), e.getMessage());
        assertFalse(e.isStricterThanLibfdt(), e.getMessage());
        assertEquals(OptionalInt.of(code), LibFdtOracle.checkFull(blob), e.getMessage());
    }

    /** A deliberate disagreement: libfdt accepts, we refuse with a stricter check. */
    private static FdtFormatException stricter(byte[] blob, Kind kind, long offset) {
        FdtFormatException e = rejected(blob, kind);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.isStricterThanLibfdt(), e.getMessage());
        assertEquals(OptionalInt.of(LIBFDT_OK), LibFdtOracle.checkFull(blob), e.getMessage());
        return e;
    }

    /** Root with one property and one child, strings "compatible\0a\0". */
    private static RawFdt.Blob small(RawFdt.Struct struct) {
        RawFdt.Strings s = new RawFdt.Strings();
        s.add("compatible");
        s.add("a");
        return new RawFdt.Blob().struct(struct).strings(s);
    }

    private static RawFdt.Struct rootWithChild() {
        return new RawFdt.Struct().begin("").prop(0, "kho-v1").begin("c").prop(11, "x").end().end().finish();
    }

    // ---- header ----

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 4, 27})
    void shorterThanAnyHeaderIsTruncated(int length) {
        byte[] blob = Arrays.copyOf(small(rootWithChild()).build(), length);
        agreed(blob, Kind.TRUNCATED, length, FDT_ERR_TRUNCATED);
    }

    @Test
    void shorterThanItsVersionsHeaderIsTruncated() {
        agreed(Arrays.copyOf(small(rootWithChild()).build(), 39), Kind.TRUNCATED, 39, FDT_ERR_TRUNCATED);
    }

    @Test
    void wrongMagicIsBadMagic() {
        byte[] blob = RawFdt.patch32(small(rootWithChild()).build(), 0, 0xedfe0dd0);
        agreed(blob, Kind.BAD_MAGIC, 0, FDT_ERR_BADMAGIC);
    }

    /** Versions 1..18 with their own header sizes; before 16, full-path names and 8-aligned long values. */
    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18})
    void everyHeaderVersionIsReadAsLibfdtReadsIt(int version) throws Exception {
        RawFdt.Blob b = RawFdt.khoRoot(version);
        b.bootCpuidPhys = 3;
        byte[] blob = b.build();
        assertEquals(version <= 2 ? 32 : version <= 16 ? 40 : 40, b.rsvOff);
        if (version < 2) {
            agreed(blob, Kind.BAD_VERSION, 20, FDT_ERR_BADVERSION);
            return;
        }
        ValidatedFdt fdt = FdtValidator.standard().validate(blob);
        assertEquals(OptionalInt.of(LIBFDT_OK), LibFdtOracle.checkFull(blob));
        assertEquals(LibFdtOracle.canonicalView(blob), CanonicalDump.toString(fdt));
        assertEquals(version, fdt.version());
        assertEquals(3, fdt.bootCpuidPhys());
        assertEquals(0x1_16be_4000L, fdt.root().requireProperty("preserved-memory-map").u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals(0x400_0000L, fdt.find("/memblock/n1").orElseThrow().requireProperty("size")
                .u64(ByteOrder.LITTLE_ENDIAN));
        assertEquals("n2@4", fdt.find("/memblock/n2").orElseThrow().name());
    }

    @Test
    void preV16LongValuesWithoutTheirAlignmentPaddingAreMisreadByBoth() {
        // Before version 16, libfdt skips 4 bytes before every value of 8 bytes or more that does not start
        // 8-aligned; a blob written without that padding sends both walks astray alike.
        byte[] blob = RawFdt.khoRoot(15, false).build();
        FdtFormatException e = rejected(blob, Kind.BAD_STRUCTURE);
        assertEquals(OptionalInt.of(FDT_ERR_BADSTRUCTURE), LibFdtOracle.checkFull(blob), e.getMessage());
    }

    @Test
    void lastCompatibleVersionNewerThan17IsBadVersion() {
        agreed(RawFdt.patch32(small(rootWithChild()).build(), RawFdt.LAST_COMP, 18), Kind.BAD_VERSION, 24,
                FDT_ERR_BADVERSION);
    }

    @Test
    void versionOlderThanLastCompatibleIsBadVersion() {
        RawFdt.Blob b = small(rootWithChild());
        b.version(16, 17);
        agreed(b.build(), Kind.BAD_VERSION, 20, FDT_ERR_BADVERSION);
    }

    @ParameterizedTest(name = "totalsize {0}")
    @ValueSource(ints = {0, 39, 0x80000000, 0xffffffff})
    void totalsizeOutsideHeaderToIntMaxIsTruncated(int totalsize) {
        agreed(RawFdt.patch32(small(rootWithChild()).build(), RawFdt.TOTALSIZE, totalsize), Kind.TRUNCATED, 4,
                FDT_ERR_TRUNCATED);
    }

    @Test
    void aTwoGibTotalsizeIn100BytesAllocatesNothingBig() {
        byte[] blob = new byte[100];
        RawFdt.put32(blob, 0, RawFdt.MAGIC);
        RawFdt.put32(blob, RawFdt.TOTALSIZE, 0x7fffffff);
        RawFdt.put32(blob, RawFdt.OFF_STRUCT, 56);
        RawFdt.put32(blob, RawFdt.SIZE_STRUCT, 0x7f000000);
        RawFdt.put32(blob, RawFdt.OFF_STRINGS, 0x7f000038);
        RawFdt.put32(blob, RawFdt.SIZE_STRINGS, 0x100);
        RawFdt.put32(blob, RawFdt.OFF_RSVMAP, 40);
        RawFdt.put32(blob, RawFdt.VERSION, 17);
        RawFdt.put32(blob, RawFdt.LAST_COMP, 16);
        long allocated = Allocations.measure(() -> rejected(blob, Kind.TRUNCATED));
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
        agreed(blob, Kind.TRUNCATED, 100, FDT_ERR_TRUNCATED);
    }

    @Test
    void aLargeBlobOfGarbageAllocatesLittle() {
        // 8 MiB: a struct block of zeros (token 0 is unknown), and a reservation map that never terminates.
        byte[] blob = new byte[8 << 20];
        RawFdt.put32(blob, 0, RawFdt.MAGIC);
        RawFdt.put32(blob, RawFdt.TOTALSIZE, blob.length);
        RawFdt.put32(blob, RawFdt.OFF_RSVMAP, 40);
        RawFdt.put32(blob, RawFdt.OFF_STRUCT, 56);
        RawFdt.put32(blob, RawFdt.SIZE_STRUCT, blob.length - 56);
        RawFdt.put32(blob, RawFdt.OFF_STRINGS, blob.length);
        RawFdt.put32(blob, RawFdt.VERSION, 17);
        RawFdt.put32(blob, RawFdt.LAST_COMP, 16);
        long allocated = Allocations.measure(() -> rejected(blob, Kind.BAD_STRUCTURE));
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
        agreed(blob, Kind.BAD_STRUCTURE, 56, FDT_ERR_BADSTRUCTURE);
        Arrays.fill(blob, 40, blob.length, (byte) 1);
        allocated = Allocations.measure(() -> rejected(blob, Kind.TRUNCATED));
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
        agreed(blob, Kind.TRUNCATED, blob.length - 8, FDT_ERR_TRUNCATED);
    }

    // ---- block bounds ----

    @Test
    void blockOffsetsAndSizesOutsideTheBlobAreTruncated() {
        byte[] blob = small(rootWithChild()).build();
        agreed(RawFdt.patch32(blob, RawFdt.OFF_RSVMAP, blob.length + 1), Kind.TRUNCATED, 16, FDT_ERR_TRUNCATED);
        agreed(RawFdt.patch32(blob, RawFdt.OFF_RSVMAP, 8), Kind.TRUNCATED, 16, FDT_ERR_TRUNCATED);
        agreed(RawFdt.patch32(blob, RawFdt.OFF_STRUCT, blob.length + 4), Kind.TRUNCATED, 8, FDT_ERR_TRUNCATED);
        agreed(RawFdt.patch32(blob, RawFdt.SIZE_STRUCT, blob.length), Kind.TRUNCATED, 36, FDT_ERR_TRUNCATED);
        // offset + size wraps around 2^32: libfdt's check_block_ tests for the overflow, we use 64 bits
        agreed(RawFdt.patch32(blob, RawFdt.SIZE_STRUCT, 0xffffffc0), Kind.TRUNCATED, 36, FDT_ERR_TRUNCATED);
        agreed(RawFdt.patch32(blob, RawFdt.OFF_STRINGS, blob.length + 1), Kind.TRUNCATED, 12, FDT_ERR_TRUNCATED);
        agreed(RawFdt.patch32(blob, RawFdt.SIZE_STRINGS, 0xffffffff), Kind.TRUNCATED, 32, FDT_ERR_TRUNCATED);
    }

    @Test
    void version2ReadsSizeDtStringsFromTheBytesAfterItsHeaderAsLibfdtDoes() {
        // A v2 header has no size_dt_strings, but libfdt's check_block_ reads the field anyway: here, the high
        // half of the first reservation's address. Both of us reject the blob for it.
        RawFdt.Blob b = RawFdt.khoRoot(2);
        b.reservations.set(0, new long[] {0x7000_0000_0000_0000L, 0x1000});
        agreed(b.build(), Kind.TRUNCATED, 32, FDT_ERR_TRUNCATED);
    }

    // ---- reservation map ----

    @Test
    void reservationMapWithoutTerminatorBeforeTotalsizeIsTruncated() {
        RawFdt.Blob b = small(rootWithChild());
        b.reserve(0x1000, 0x2000);
        b.tailPadding = 24;
        byte[] blob = b.build();
        // move the map to the blob's end: one entry, then no room for a terminator
        int at = (blob.length - 24 + 7) & ~7;
        RawFdt.put64(blob, at, 0x1000);
        RawFdt.put64(blob, at + 8, 0x2000);
        RawFdt.put32(blob, RawFdt.OFF_RSVMAP, at);
        agreed(blob, Kind.TRUNCATED, at + 16, FDT_ERR_TRUNCATED);
    }

    /**
     * Deliberate: the map has no terminator of its own; it "ends" 16 bytes into the struct block, whose
     * tokens read as one more (bogus) reservation and then an all-zero entry. libfdt reports two reservations;
     * we refuse a map that runs into the struct block.
     */
    @Test
    void reservationMapEndingInsideTheStructBlockIsRefused() throws Exception {
        RawFdt.Struct s = new RawFdt.Struct().begin("").prop(0, 0, new byte[0]).prop(0, 0, new byte[0]).end().finish();
        RawFdt.Blob b = small(s).reserve(0x1000, 0x2000);
        b.rsvTerminator = false;
        byte[] blob = b.build();
        stricter(blob, Kind.BAD_LAYOUT, b.structOff);
        assertTrue(LibFdtOracle.canonicalView(blob).contains("rsv 0x0000000100000000 0x0000000300000000"),
                "libfdt reads the struct block's first tokens as a reservation");
    }

    // ---- overlapping blocks and alignment ----

    /** Deliberate: the strings block is the struct block; a property's name is a node's name bytes. */
    @Test
    void stringsBlockOverlappingTheStructBlockIsRefused() throws Exception {
        // root: 8 bytes; its property: 12 + "kho-v1\0" padded to 8; then the child's tag, then its name at 32
        RawFdt.Struct s = new RawFdt.Struct().begin("").prop(32, "kho-v1").begin("compatible").end()
                .end().finish();
        RawFdt.Blob b = small(s);
        byte[] blob = b.build();
        RawFdt.put32(blob, RawFdt.OFF_STRINGS, b.structOff);
        RawFdt.put32(blob, RawFdt.SIZE_STRINGS, b.struct.length);
        stricter(blob, Kind.BAD_LAYOUT, b.structOff);
        assertTrue(LibFdtOracle.canonicalView(blob).contains("prop / compatible 6b686f2d763100"));
    }

    /** Deliberate: the strings block sits inside the reservation map's terminator (zeros: an empty name). */
    @Test
    void stringsBlockOverlappingTheReservationMapIsRefused() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").prop(0, "x").end().finish());
        byte[] blob = b.build();
        RawFdt.put32(blob, RawFdt.OFF_STRINGS, b.rsvOff + 8);
        RawFdt.put32(blob, RawFdt.SIZE_STRINGS, 8);
        stricter(blob, Kind.BAD_LAYOUT, b.rsvOff + 8);
    }

    /** Deliberate: the Devicetree Specification (5.1) puts the reservation map on an 8-byte boundary. */
    @Test
    void misalignedReservationMapIsRefused() {
        RawFdt.Blob b = small(rootWithChild()).reserve(0x1000, 0x2000);
        b.rsvGap = 4;
        stricter(b.build(), Kind.BAD_ALIGNMENT, 16);
    }

    /** Deliberate: tokens are 4-byte aligned in the Devicetree Specification; libfdt reads them unaligned. */
    @Test
    void misalignedStructBlockIsRefused() {
        RawFdt.Blob b = small(rootWithChild());
        b.structGap = 2;
        stricter(b.build(), Kind.BAD_ALIGNMENT, 8);
    }

    // ---- strings ----

    @ParameterizedTest(name = "nameoff {0}")
    @ValueSource(ints = {13, 14, 0x7fffffff, 0x80000000, 0xffffffff})
    void propertyNameOffsetOutsideTheStringsBlockIsBadOffset(int nameOff) {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").prop(nameOff, "x").end().finish());
        byte[] blob = b.build();
        agreed(blob, Kind.BAD_OFFSET, b.structOff + 8 + 8, FDT_ERR_BADOFFSET);
    }

    @Test
    void beforeVersion17NamesMayLieOutsideTheStringsBlockButInsideTheBlob() throws Exception {
        // size_dt_strings only bounds name lookups from v17 (libfdt fdt_get_string); before, totalsize does.
        RawFdt.Blob b = small(new RawFdt.Struct(16).begin("").prop(14, "x").end().finish());
        b.version(16, 16);
        b.tailPadding = 8; // the strings block is 13 bytes; name offset 14 is the tail's second byte
        byte[] blob = b.build();
        blob[blob.length - 7] = 'z';
        assertEquals("z", FdtValidator.standard().validate(blob).root().properties().get(0).name());
        assertEquals(OptionalInt.of(LIBFDT_OK), LibFdtOracle.checkFull(blob));
        agreed(RawFdt.patch32(blob, RawFdt.TOTALSIZE, blob.length - 8), Kind.BAD_OFFSET, b.structOff + 16,
                FDT_ERR_BADOFFSET);
    }

    @Test
    void unterminatedPropertyNameIsTruncated() {
        RawFdt.Blob b = small(rootWithChild());
        byte[] blob = b.build();
        RawFdt.put32(blob, RawFdt.SIZE_STRINGS, b.strings.length - 1); // cut the NUL of "a"
        agreed(blob, Kind.TRUNCATED, b.structOff + 8 + 12 + 8 + 8 + 8, FDT_ERR_TRUNCATED);
    }

    /** Strings: {@code length} 'a's and a NUL, then {@code tail} bytes without one. */
    private static byte[] oneLongName(int length, String tail) {
        byte[] strings = new byte[length + 1 + tail.length()];
        Arrays.fill(strings, 0, length, (byte) 'a');
        System.arraycopy(tail.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, strings, length + 1,
                tail.length());
        return strings;
    }

    /**
     * Every property names a later byte of one 200,000-byte string: all names differ and all are valid, so
     * libfdt accepts the blob (scanning each name, quadratic: 1.5e10 bytes here). Finding each name's end by
     * scanning from its offset would read that much too; the validator reads the strings block about
     * three times in all.
     */
    @Test
    void nameOffsetsIntoOneLongStringCostLinearWork() throws Exception {
        int length = 200_000;
        int properties = 100_000;
        RawFdt.Struct s = new RawFdt.Struct().begin("");
        for (int i = 0; i < properties; i++) {
            s.prop(i, new byte[0]);
        }
        RawFdt.Blob b = new RawFdt.Blob().struct(s.end().finish());
        b.strings = oneLongName(length, "");
        ValidatedFdt fdt = FdtValidator.standard().validate(b.build());
        assertEquals(properties, fdt.propertyCount());
        assertTrue(fdt.nameBytesScanned() <= 3L * b.strings.length + 16, "scanned " + fdt.nameBytesScanned());
        FdtNode root = fdt.root();
        assertEquals(length, root.properties().get(0).name().length());
        assertEquals(length - (properties - 1), root.properties().get(properties - 1).name().length());
    }

    /** Once the NULs are indexed, an unterminated name is still found, with its place. */
    @Test
    void unterminatedNameAfterTheNulsAreIndexedIsTruncated() {
        int length = 100;
        RawFdt.Struct s = new RawFdt.Struct().begin("");
        for (int i = 0; i < 3; i++) {
            s.prop(i, new byte[0]); // 101 + 100 bytes scanned: more than the block, so its NULs get indexed
        }
        int bad = s.size();
        s.prop(length + 1, new byte[0]).end().finish();
        RawFdt.Blob b = new RawFdt.Blob().struct(s);
        b.strings = oneLongName(length, "bbb");
        byte[] blob = b.build();
        agreed(blob, Kind.TRUNCATED, b.structOff + bad + 8, FDT_ERR_TRUNCATED);
    }

    // ---- struct block ----

    @Test
    void unterminatedNodeNameIsBadStructure() {
        RawFdt.Struct s = new RawFdt.Struct().begin("").u32(RawFdt.BEGIN_NODE).raw("abcdefg".getBytes());
        RawFdt.Blob b = small(s);
        byte[] blob = b.build();
        agreed(blob, Kind.BAD_STRUCTURE, b.structOff + 8, FDT_ERR_BADSTRUCTURE);
    }

    @Test
    void structBlockWithoutFdtEndIsTruncated() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").end());
        byte[] blob = b.build();
        agreed(blob, Kind.TRUNCATED, b.structOff + 12, FDT_ERR_TRUNCATED);
    }

    @Test
    void fdtEndInsideANodeIsBadStructure() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").begin("c").finish());
        agreed(b.build(), Kind.BAD_STRUCTURE, b.structOff + 16, FDT_ERR_BADSTRUCTURE);
    }

    @Test
    void endNodeWithoutOpenNodeIsBadStructure() {
        RawFdt.Blob b = small(new RawFdt.Struct().end().begin("").end().finish());
        agreed(b.build(), Kind.BAD_STRUCTURE, b.structOff, FDT_ERR_BADSTRUCTURE);
    }

    @ParameterizedTest(name = "token 0x{0}")
    @ValueSource(ints = {0, 5, 6, 7, 8, 10, 0x11, 0x100, 0xffffffff})
    void unknownTokenIsBadStructure(int token) {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").u32(token).end().finish());
        agreed(b.build(), Kind.BAD_STRUCTURE, b.structOff + 8, FDT_ERR_BADSTRUCTURE);
    }

    @Test
    void twoRootsAreBadStructure() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").end().begin("").end().finish());
        agreed(b.build(), Kind.BAD_STRUCTURE, b.structOff + 12, FDT_ERR_BADSTRUCTURE);
    }

    @Test
    void namedRootIsBadStructure() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("root").end().finish());
        agreed(b.build(), Kind.BAD_STRUCTURE, b.structOff, FDT_ERR_BADSTRUCTURE);
    }

    @Test
    void propertyAfterTheRootClosedIsBadStructure() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").end().prop(0, "x").finish());
        agreed(b.build(), Kind.BAD_STRUCTURE, b.structOff + 12, FDT_ERR_BADSTRUCTURE);
    }

    /** Deliberate: libfdt's walk accepts a property before the root; no tree can hold it. */
    @Test
    void propertyBeforeTheRootIsRefused() {
        RawFdt.Blob b = small(new RawFdt.Struct().prop(0, "x").begin("").end().finish());
        stricter(b.build(), Kind.BAD_STRUCTURE, b.structOff);
    }

    /** Deliberate: libfdt accepts a struct block holding only FDT_END (an empty tree); we need a root. */
    @Test
    void treeWithoutRootIsRefused() {
        RawFdt.Blob b = small(new RawFdt.Struct().nop().finish());
        stricter(b.build(), Kind.BAD_STRUCTURE, b.structOff + 4);
    }

    @Test
    void nopsAreSkippedWhereverANodeOrPropertyMayStand() throws Exception {
        RawFdt.Struct s = new RawFdt.Struct().nop().begin("").nop().prop(0, "kho-v1").nop().prop(11, "y").nop()
                .begin("c").nop().end().nop().begin("d").end().nop().end().finish();
        byte[] blob = small(s).build();
        assertEquals(OptionalInt.of(LIBFDT_OK), LibFdtOracle.checkFull(blob));
        ValidatedFdt fdt = FdtValidator.standard().validate(blob);
        assertEquals("node /\nprop / compatible 6b686f2d763100\nprop / a 7900\nnode /c\nnode /d\n",
                CanonicalDump.toString(fdt).substring(CanonicalDump.toString(fdt).indexOf('\n') + 1));
    }

    @Test
    void nopAfterTheRootClosedIsBadStructure() {
        // libfdt's fdt_check_full allows nothing but FDT_END once the root has closed, not even FDT_NOP.
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").end().nop().finish());
        agreed(b.build(), Kind.BAD_STRUCTURE, b.structOff + 12, FDT_ERR_BADSTRUCTURE);
    }

    /**
     * Deliberate: fdt_check_full accepts a property after a child node, but libfdt's property lookups stop at
     * the first child, so the kernel could never read it (libfdt's own view of this blob lacks it).
     */
    @Test
    void propertyAfterAChildNodeIsRefused() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").begin("c").end().prop(0, "kho-v1").end().finish());
        byte[] blob = b.build();
        stricter(blob, Kind.BAD_STRUCTURE, b.structOff + 20);
        assertFalse(LibFdtOracle.canonicalView(blob).contains("compatible"));
    }

    // ---- lengths and depth ----

    @Test
    void propertyRunningPastTheStructBlockIsBadStructure() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").prop(0x7ffffff0, 0, new byte[4]).end().finish());
        agreed(b.build(), Kind.BAD_STRUCTURE, b.structOff + 8, FDT_ERR_BADSTRUCTURE);
    }

    /**
     * Deliberate, and a libfdt 1.6.1 bug: with len 0xfffffff4, {@code fdt_next_tag} computes the next offset as
     * this token's own (32-bit wrap) and {@code fdt_check_full} never returns. libfdt is not called.
     */
    @Test
    void propertyLengthThatLoopsLibfdtForeverIsRefused() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").prop(0xfffffff4, 0, new byte[0]).end().finish());
        byte[] blob = b.build();
        FdtFormatException e = rejected(blob, Kind.BAD_STRUCTURE);
        assertEquals(b.structOff + 8, e.offset());
        assertTrue(e.isStricterThanLibfdt());
        assertFalse(LibFdtOracle.safeForLibfdt(blob));
    }

    /**
     * Deliberate, and a libfdt 1.6.1 bug: len 0xfffffffc wraps libfdt's offset to 8 bytes past the token, so it
     * reads the name-offset field (here 4, FDT_NOP) as the next token and accepts a tree we cannot agree on.
     */
    @Test
    void propertyLengthThatLibfdtMisreadsIsRefused() {
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").prop(0xfffffffc, 4, new byte[0]).end().finish());
        stricter(b.build(), Kind.BAD_STRUCTURE, b.structOff + 8);
    }

    /** Deliberate: libfdt has no depth bound; ours defaults to Linux's FDT_MAX_DEPTH (64). */
    @Test
    void tenThousandDeepNestingExceedsTheDepthLimit() throws Exception {
        byte[] blob = nested(10_000);
        int structOff = RawFdt.get32(blob, RawFdt.OFF_STRUCT);
        stricter(blob, Kind.LIMIT_EXCEEDED, structOff + 8 + 63 * 8);
        ValidatedFdt deep = FdtValidator.standard().withLimits(DecodeLimits.defaults().withMaxDepth(10_000))
                .validate(blob);
        assertEquals(10_000, deep.nodeCount());
        assertEquals(9_999, deep.nodes().get(9_999).depth());
        rejected(FdtValidator.standard().withLimits(DecodeLimits.defaults().withMaxDepth(9_999)), blob,
                Kind.LIMIT_EXCEEDED);
    }

    /**
     * Issue 8: a 1,000,000-deep tree (12 MB of tokens) is refused at the 65th node, so the walk stops after 65 tags
     * and its index holds 64 nodes, whatever the blob claims further on.
     */
    @Test
    void aMillionDeepNestingIsRefusedAtTheDepthLimitAfterReadingLittle() {
        byte[] blob = nested(1_000_000);
        int structOff = RawFdt.get32(blob, RawFdt.OFF_STRUCT);
        long allocated = Allocations.measure(() -> rejected(blob, Kind.LIMIT_EXCEEDED));
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
        stricter(blob, Kind.LIMIT_EXCEEDED, structOff + 8 + 63 * 8);
    }

    @Test
    void aThousandDeepTreeDumpsWithoutRecursion() throws Exception {
        ValidatedFdt deep = FdtValidator.standard().withLimits(DecodeLimits.defaults().withMaxDepth(1000))
                .validate(nested(1000));
        String canonical = CanonicalDump.toString(deep);
        assertTrue(canonical.endsWith("node " + "/a".repeat(999) + "\n"));
        assertTrue(DtsFormatter.toString(deep).contains("\t".repeat(999) + "a {\n"));
        assertTrue(JsonDump.toString(deep).contains("\"path\": \"" + "/a".repeat(999) + "\""));
    }

    /** A root and {@code depth - 1} nested nodes named "a". */
    private static byte[] nested(int depth) {
        RawFdt.Struct s = new RawFdt.Struct().begin("");
        for (int i = 1; i < depth; i++) {
            s.begin("a");
        }
        for (int i = 0; i < depth; i++) {
            s.end();
        }
        return small(s.finish()).build();
    }

    @Test
    void nodePropertyAndSizeLimitsAreEnforced() throws Exception {
        byte[] blob = RawFdt.khoRoot(17).build();
        DecodeLimits d = DecodeLimits.defaults();
        FdtValidator ok = FdtValidator.standard().withLimits(d.withMaxNodes(5).withMaxProperties(11)
                .withMaxTotalSize(blob.length));
        assertEquals(5, ok.validate(blob).nodeCount());
        assertEquals(11, ok.validate(blob).propertyCount());
        rejected(FdtValidator.standard().withLimits(d.withMaxNodes(4)), blob, Kind.LIMIT_EXCEEDED);
        rejected(FdtValidator.standard().withLimits(d.withMaxProperties(10)), blob, Kind.LIMIT_EXCEEDED);
        FdtFormatException e = rejected(FdtValidator.standard().withLimits(d.withMaxTotalSize(blob.length - 1)),
                blob, Kind.LIMIT_EXCEEDED);
        assertEquals(4, e.offset());
    }

    // ---- pre-v16 names ----

    /** libfdt 1.6.1 dereferences NULL on this blob (fdt_get_name fails, fdt_check_full does not check). */
    @Test
    void preV16RootNameWithoutSlashIsBadStructure() {
        RawFdt.Blob b = small(new RawFdt.Struct(3).begin("x").end().finish());
        b.version(3, 3);
        byte[] blob = b.build();
        FdtFormatException e = rejected(blob, Kind.BAD_STRUCTURE);
        assertEquals(b.structOff, e.offset());
        assertFalse(e.isStricterThanLibfdt());
        assertFalse(LibFdtOracle.safeForLibfdt(blob), "the oracle must keep this blob away from libfdt");
    }

    /** Deliberate: fdt_check_full accepts it, but every libfdt lookup of the node fails in fdt_get_name. */
    @Test
    void preV16NodeNameWithoutSlashIsRefused() {
        RawFdt.Blob b = small(new RawFdt.Struct(3).begin("/").begin("child").end().end().finish());
        b.version(3, 3);
        stricter(b.build(), Kind.BAD_STRUCTURE, b.structOff + 8);
    }

    @Test
    void withLibfdtAddsLibfdtsVerdictAfterOurs() throws Exception {
        FdtValidator both = FdtValidator.standard().withLibfdt();
        assertEquals(5, both.validate(RawFdt.khoRoot(17).build()).nodeCount());
        RawFdt.Blob b = small(new RawFdt.Struct().begin("").prop(0xfffffff4, 0, new byte[0]).end().finish());
        rejected(both, b.build(), Kind.BAD_STRUCTURE); // our check first: libfdt would never return
    }
}
