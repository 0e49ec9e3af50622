package io.kho4j.host;

import io.kho4j.preserve.PhysRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Heap memory that stores only the 4 KiB pages written to; unwritten RAM reads as zero. Lets tests and
 * serializers without a machine model address terabytes of RAM while holding only what they touch.
 */
final class SparsePhysicalMemory implements PhysicalMemory {
    private static final int PAGE = 4096;

    private final List<PhysRange> ram;
    private final Map<Long, byte[]> pages = new HashMap<>();

    SparsePhysicalMemory(List<PhysRange> ram) {
        List<PhysRange> sorted = new ArrayList<>(ram);
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).overlaps(sorted.get(i))) {
                throw new IllegalArgumentException("RAM ranges overlap: " + sorted.get(i - 1) + " and " + sorted.get(i));
            }
        }
        this.ram = List.copyOf(sorted);
    }

    @Override
    public List<PhysRange> ram() {
        return ram;
    }

    @Override
    public void read(long phys, byte[] dst, int offset, int length) throws PhysicalMemoryException {
        check(phys, length);
        for (int done = 0; done < length; ) {
            long at = phys + done;
            int in = (int) (at % PAGE);
            int n = Math.min(length - done, PAGE - in);
            byte[] page = pages.get(at - in);
            if (page == null) {
                java.util.Arrays.fill(dst, offset + done, offset + done + n, (byte) 0);
            } else {
                System.arraycopy(page, in, dst, offset + done, n);
            }
            done += n;
        }
    }

    @Override
    public void write(long phys, byte[] src, int offset, int length) throws PhysicalMemoryException {
        check(phys, length);
        for (int done = 0; done < length; ) {
            long at = phys + done;
            int in = (int) (at % PAGE);
            int n = Math.min(length - done, PAGE - in);
            System.arraycopy(src, offset + done, pages.computeIfAbsent(at - in, k -> new byte[PAGE]), in, n);
            done += n;
        }
    }

    private void check(long phys, int length) throws PhysicalMemoryException {
        if (length < 0 || !isRam(phys, length)) {
            throw new PhysicalMemoryException(phys, length + " bytes here are not RAM", null);
        }
    }
}
