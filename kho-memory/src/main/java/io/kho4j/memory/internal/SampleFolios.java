package io.kho4j.memory.internal;

import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.Preservation;
import io.kho4j.spi.PreservedAllocator;
import io.kho4j.spi.SampleMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample factories place data with a {@link PreservedAllocator}; on a {@link SampleMachine} the data is
 * only allocated here, and the subsystems' serializers preserve it, as the kernel's subsystems do.
 */
public final class SampleFolios implements PreservedAllocator {
    private final SampleMachine machine;
    private final List<Preservation> handedOut = new ArrayList<>();

    public SampleFolios(SampleMachine machine) {
        this.machine = machine;
    }

    @Override
    public int pageSize() {
        return machine.context().pageSize();
    }

    @Override
    public long allocateFolio(int order) throws PhysicalMemoryException {
        PhysRange r = machine.allocate((long) pageSize() << order);
        handedOut.add(new Preservation(r, order));
        return r.start();
    }

    @Override
    public void write(long phys, byte[] data) throws PhysicalMemoryException {
        for (Preservation p : handedOut) {
            if (phys >= p.range().start() && phys <= p.range().end() - data.length) {
                machine.memory().write(phys, data);
                return;
            }
        }
        throw new PhysicalMemoryException(phys, data.length + " bytes here were not allocated for a sample", null);
    }

    @Override
    public List<Preservation> allocations() {
        return List.copyOf(handedOut);
    }
}
