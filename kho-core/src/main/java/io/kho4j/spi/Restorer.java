package io.kho4j.spi;

import io.kho4j.abi.CompatibleString;
import java.util.List;

/**
 * Reads one subsystem's state back from an inbound subtree. Discovered like {@link SubsystemSerializer}
 * ({@code provides io.kho4j.spi.Restorer with ...}) or registered by hand.
 *
 * <p>Before {@link #restore} is called, the versions found in the subtree ({@link #versionsIn}) are negotiated
 * against {@link #reads()}: the best common version is passed in, or the whole inbound handover gets one
 * report of every subsystem without one ({@link io.kho4j.abi.NegotiationException}).
 *
 * <p>The subtree is hostile input: every offset, length and count must be checked before use and every failure
 * must be a {@link RestoreException}; the kho-testkit's {@code HostileBlobs} exercises this.
 *
 * @param <S> the state type
 */
public interface Restorer<S> {

    /** @return the subtree node name this restorer reads */
    String name();

    /** @return every compatible version this restorer can read */
    List<CompatibleString> reads();

    /**
     * @param subtree the inbound subtree
     * @return the compatible strings it declares, verbatim; by default the FDT root's {@code compatible} list
     *     (a raw-blob restorer overrides this to read its version field)
     * @throws RestoreException if the subtree is too malformed to tell
     */
    default List<String> versionsIn(InboundSubtree subtree) throws RestoreException {
        return subtree.rootCompatibles();
    }

    /**
     * @param subtree the inbound subtree
     * @param version the negotiated version, one of {@link #reads()}
     * @return the restored state
     * @throws RestoreException naming the subsystem and position if the subtree is malformed
     */
    S restore(InboundSubtree subtree, CompatibleString version) throws RestoreException;
}
