package io.kho4j.benchmarks;

import io.kho4j.fdt.FdtNode;
import io.kho4j.fdt.FdtProperty;
import io.kho4j.fdt.ValidatedFdt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads every node name, property name and value byte of a validated tree through the public API, as a
 * consumer would, and folds them into a checksum. The C harness's {@code walk} computes the same sum
 * (name bytes added one by one, values as little-endian u64 words plus single tail bytes), so the test can
 * check that both walks read the same bytes.
 */
public final class TreeWalk {
    private TreeWalk() {
    }

    /** @param fdt a validated tree @return the checksum of everything read */
    public static long checksum(ValidatedFdt fdt) {
        long acc = 0;
        for (FdtNode node : fdt.nodes()) {
            acc += nameSum(node.name());
            for (FdtProperty p : node.properties()) {
                acc += nameSum(p.name());
                acc += valueSum(p.value());
            }
        }
        return acc;
    }

    private static long nameSum(String name) {
        long acc = 0;
        for (int i = 0; i < name.length(); i++) {
            acc += name.charAt(i);
        }
        return acc;
    }

    private static long valueSum(ByteBuffer value) {
        ByteBuffer v = value.order(ByteOrder.LITTLE_ENDIAN);
        int len = v.remaining();
        int words = len & ~7;
        long acc = 0;
        for (int i = 0; i < words; i += 8) {
            acc += v.getLong(i);
        }
        for (int i = words; i < len; i++) {
            acc += v.get(i) & 0xff;
        }
        return acc;
    }
}
