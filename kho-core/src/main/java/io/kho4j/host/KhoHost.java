package io.kho4j.host;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * A machine that carries a handover across kexec: it reports what it can do, shows the kernel's outgoing and
 * incoming KHO state, and loads and boots the next kernel. {@link LinuxKhoHost} drives the running Linux
 * kernel; a simulated host does the same for a described machine. Anything that reboots needs an explicit
 * confirmation.
 */
public interface KhoHost {

    /** What {@link #finalizeOutgoing()} did. */
    enum FinalizeResult {
        /** This kernel's generation has no finalize step (7.1+): the state is always current. */
        NOT_NEEDED,
        /** The state was already finalized; nothing was written. */
        ALREADY_FINALIZED,
        /** The state has been finalized now. */
        FINALIZED
    }

    /** @return the running kernel's release, {@code 6.18.3} for example */
    String kernelRelease();

    /** @return what this host can do now */
    Set<KhoCapability> capabilities();

    /**
     * @return the state the running kernel will hand over
     * @throws KhoUnavailableException if KHO is not enabled or its state cannot be seen
     * @throws IOException if the state cannot be read or is malformed
     */
    KhoState outgoing() throws IOException;

    /**
     * @return the state the previous kernel handed over, or empty if this boot did not come through KHO
     * @throws IOException if the state cannot be read or is malformed
     */
    Optional<KhoState> incoming() throws IOException;

    /**
     * Freezes the outgoing state where the kernel's generation needs it (6.16 – 7.0); a no-op otherwise.
     *
     * @return what was done
     * @throws KhoUnavailableException if the generation needs a finalize step but KHO is not enabled
     * @throws IOException if the kernel refuses (a subsystem failed to serialize, for instance)
     */
    FinalizeResult finalizeOutgoing() throws IOException;

    /**
     * Loads the next kernel; the KHO state is attached to it by the kernel.
     *
     * @param image the kernel, initrd and command line
     * @throws IllegalStateException if the state must be finalized first and is not
     * @throws KhoUnavailableException if KHO or kexec is not available
     * @throws IOException if the kernel refuses the image
     */
    void loadKernel(KexecImage image) throws IOException;

    /**
     * Boots the loaded kernel. On a real host this does not return when it succeeds.
     *
     * @param confirmed must be true: the caller has confirmed the reboot explicitly ({@code --yes-reboot})
     * @throws IllegalStateException if not confirmed, or no kernel is loaded; nothing is done then
     * @throws IOException if the kernel refuses
     */
    void rebootIntoLoadedKernel(boolean confirmed) throws IOException;
}
