package io.kho4j.host.internal;

import io.kho4j.handover.InboundOutcome;
import io.kho4j.handover.RangeDigests;
import io.kho4j.host.AtomicFiles;
import io.kho4j.host.SimulatedKhoHost;
import io.kho4j.proto.DigestMismatch;
import io.kho4j.proto.Phase;
import io.kho4j.proto.SubsystemResult;
import io.kho4j.proto.SuccessorReport;
import io.kho4j.spi.SubsystemRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The simulated successor kernel, run as its own JVM by {@link SimulatedKhoHost}: opens the committed handover
 * in the state directory, walks it with the restorers {@link SubsystemRegistry#discover()} finds on its class
 * path, writes {@code successor-<n>.report} atomically and exits 0 (verified), 1 (failures or dropped), 2 (bad
 * arguments) or 3 (it could not run).
 */
public final class SuccessorMain {
    /** Exit code: the handover was restored and verified. */
    public static final int EXIT_VERIFIED = 0;
    /** Exit code: restored with failures, or dropped. */
    public static final int EXIT_FAILED = 1;
    /** Exit code: bad arguments. */
    public static final int EXIT_USAGE = 2;
    /** Exit code: the successor could not run (unreadable state, a bug). */
    public static final int EXIT_INTERNAL_ERROR = 3;

    private SuccessorMain() {
    }

    /**
     * @param args the state directory
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SuccessorMain STATE_DIR");
            System.exit(EXIT_USAGE);
        }
        int code;
        try {
            SuccessorReport report = run(Path.of(args[0]), SubsystemRegistry.discover());
            code = report.getOutcome() == SuccessorReport.Outcome.VERIFIED ? EXIT_VERIFIED : EXIT_FAILED;
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            code = EXIT_INTERNAL_ERROR;
        }
        System.exit(code);
    }

    /**
     * The successor's whole run: open, walk, report. The separate process and the in-process variant both run
     * this.
     *
     * @param dir the state directory
     * @param restorers the successor's restorers
     * @return the report, also written to {@link #reportFile}
     * @throws IOException if the committed state cannot be read or the report cannot be written
     */
    public static SuccessorReport run(Path dir, SubsystemRegistry restorers) throws IOException {
        try (SimulatedKhoHost host = SimulatedKhoHost.open(dir)) {
            SuccessorReport report = report(host.inbound(restorers)).toBuilder().setPid(ProcessHandle.current().pid())
                    .setRelease(host.kernelRelease()).build();
            AtomicFiles.write(reportFile(dir, host.sequence()), report.toByteArray());
            return report;
        }
    }

    /** @param dir the state directory @param sequence a handover number @return where its successor reports */
    public static Path reportFile(Path dir, long sequence) {
        return dir.resolve("successor-" + sequence + ".report");
    }

    /**
     * @param outcome what a successor made of a handover
     * @return it as a report
     */
    public static SuccessorReport report(InboundOutcome outcome) {
        SuccessorReport.Builder r = SuccessorReport.newBuilder();
        if (outcome instanceof InboundOutcome.Dropped d) {
            return r.setOutcome(SuccessorReport.Outcome.DROPPED).setDropReason(d.reason().name())
                    .setDropMessage(d.message()).setDropAddress(d.address()).build();
        }
        InboundOutcome.Restored x = (InboundOutcome.Restored) outcome;
        r.setOutcome(x.verified() ? SuccessorReport.Outcome.VERIFIED : SuccessorReport.Outcome.FAILED)
                .setGeneration(x.generation().name()).setPreservedBytes(x.map().preservedBytes())
                .setPreservedBlocks(x.map().blockCount()).setDigestsChecked(x.digestsChecked())
                .addAllFailures(x.failures());
        for (InboundOutcome.Subsystem s : x.subsystems()) {
            r.addSubsystems(SubsystemResult.newBuilder().setName(s.name()).setStatus(s.status().name())
                    .setCompatible(s.compatible()).setBlobPhys(s.blobPhys()).setBlobSize(s.blobSize())
                    .setMessage(s.message()));
        }
        for (RangeDigests.Mismatch m : x.mismatches()) {
            r.addMismatches(DigestMismatch.newBuilder().setSubsystem(m.subsystem()).setPhys(m.phys()).setSize(m.size())
                    .setExpected(m.expected()).setActual(m.actual()));
        }
        for (Map.Entry<String, Long> p : x.phases().entrySet()) {
            r.addPhases(Phase.newBuilder().setName(p.getKey()).setNanos(p.getValue()));
        }
        return r.build();
    }
}
