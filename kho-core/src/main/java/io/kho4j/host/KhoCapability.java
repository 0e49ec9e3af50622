package io.kho4j.host;

/**
 * What a {@link KhoHost} can do for a handover. A real host finds these by looking at the running kernel; a
 * simulated one states them. Each constant says how {@link LinuxKhoHost} decides it.
 */
public enum KhoCapability {
    /** KHO is compiled in and switched on. Linux: {@code /sys/kernel/debug/kho/} exists (kho-abi.md §4). */
    KHO_ENABLED,
    /** The outgoing state can be read. Linux: {@code kho/out/} is readable, which needs root. */
    OUTGOING_STATE_READABLE,
    /**
     * The outgoing state must be finalized before a kernel is loaded. Linux: {@code kho/out/finalize} exists
     * (6.16 – 7.0; kho-abi.md §4).
     */
    FINALIZE_REQUIRED,
    /** This boot came through a KHO kexec and has incoming state. Linux: {@code kho/in/fdt} exists. */
    INCOMING_STATE,
    /** A next kernel can be loaded and booted. Linux: {@code /sys/kernel/kexec_loaded} exists and kexec is not disabled. */
    KEXEC,
    /** The Live Update Orchestrator is available. Linux: {@code /dev/liveupdate} exists (6.19+; kho-abi.md §4). */
    LIVE_UPDATE,
    /** The process may load kernels and reboot. Linux: effective uid 0. */
    PRIVILEGED
}
