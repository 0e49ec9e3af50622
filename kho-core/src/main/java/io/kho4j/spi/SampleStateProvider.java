package io.kho4j.spi;

import io.kho4j.host.PhysicalMemoryException;
import java.util.List;
import java.util.Objects;

/**
 * Sample state of one subsystem module, for {@code kho demo} and smoke tests. Found with
 * {@link java.util.ServiceLoader} ({@code provides io.kho4j.spi.SampleStateProvider with ...} and
 * {@code META-INF/services/io.kho4j.spi.SampleStateProvider}), so a new module appears in the demo without
 * the demo being edited. The successor side restores the samples with the module's {@link Restorer}
 * services, as it restores any other state.
 */
public interface SampleStateProvider {

    /**
     * Makes this module's sample state on a machine: allocates and fills the memory the state describes and
     * pairs each state with the serializer that writes it.
     *
     * @param machine the machine, its kernels and where sample data may go
     * @return the samples; empty when the subsystem does not exist on these kernels (LUO before 6.19, for
     *     example) or writes nothing for the generation
     * @throws PhysicalMemoryException if the machine has no room for the sample's data
     */
    List<Sample<?>> samples(SampleMachine machine) throws PhysicalMemoryException;

    /**
     * One state to hand over.
     *
     * @param <S> the state type
     * @param serializer writes it; its restorer must give back an equal state
     * @param state the state
     * @param description one line for reports, e.g. {@code "3 VMs, 6 GiB guest RAM"}
     */
    record Sample<S>(SubsystemSerializer<S> serializer, S state, String description) {
        /** Checks for nulls. */
        public Sample {
            Objects.requireNonNull(serializer, "serializer");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(description, "description");
        }
    }
}
