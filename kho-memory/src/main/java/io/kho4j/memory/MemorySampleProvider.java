package io.kho4j.memory;

import io.kho4j.abi.KernelRelease;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.memory.internal.SampleFolios;
import io.kho4j.preserve.PhysRange;
import io.kho4j.spi.SampleMachine;
import io.kho4j.spi.SampleStateProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Sample state for {@code kho demo} from every kho-memory subsystem the kernels have: two reserve_mem regions,
 * two guests' RAM, a LUO session with memfds (6.19+), and the kernel's own test_kho folios. The data is
 * really written into the machine's memory, so the successor's digests check it.
 */
public final class MemorySampleProvider implements SampleStateProvider {
    /** Seed of the test_kho folio contents: the demo is reproducible. */
    private static final long KHO_TEST_SEED = 0x6b686f21L;
    private static final KernelRelease LUO_FIRST = KernelRelease.of(6, 19, 0);

    @Override
    public List<Sample<?>> samples(SampleMachine machine) throws PhysicalMemoryException {
        SampleFolios folios = new SampleFolios(machine);
        List<Sample<?>> out = new ArrayList<>();
        PhysRange trace = machine.allocate(4 << 20);
        PhysRange oops = machine.allocate(1 << 20);
        out.add(new Sample<>(new ReserveMemSubsystem(), ReserveMem.of(List.of(
                new ReserveMemRegion("trace", trace.start(), trace.size()),
                new ReserveMemRegion("oops", oops.start(), oops.size()))),
                "reserve_mem=4M:4M:trace reserve_mem=1M:1M:oops"));
        out.add(new Sample<>(new VmMemorySubsystem(), MemorySamples.guestRam(folios),
                "guest RAM of two VMs, 2 MiB each"));
        LuoSubsystem luo = new LuoSubsystem(machine.context().pageSize(), LuoSubsystem.DEFAULT_MAX_FOLIOS);
        // LUO came in 6.19, inside the kho-v1 page-bitmap generation that 6.18 shares (kho-abi.md §4)
        if (luo.versionFor(machine.context().generation()).isPresent() && !machine.from().isBefore(LUO_FIRST)) {
            out.add(new Sample<>(luo, MemorySamples.luo(machine.context().generation(), folios),
                    "LUO sessions vm-42 and cache with memfds"));
        }
        // x86-64 folds csum_partial to 32 bits; arm64 uses lib/checksum.c (kho-abi.md §7). Both are
        // little-endian, so the byte order cannot tell them apart: the recorded sum is the x86-64 one.
        out.add(new Sample<>(new KhoTestSubsystem(), MemorySamples.khoTest(folios, KHO_TEST_SEED,
                CsumPartial.Arch.X86_64), "lib/test_kho folios, 1 MiB of random data"));
        return out;
    }

}
