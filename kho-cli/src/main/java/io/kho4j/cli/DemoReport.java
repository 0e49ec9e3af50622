package io.kho4j.cli;

import io.kho4j.handover.Handover;
import io.kho4j.host.SimulatedMachine;
import io.kho4j.proto.HandoverManifest;
import io.kho4j.proto.Phase;
import io.kho4j.proto.Region;
import io.kho4j.proto.ScratchAreaEntry;
import io.kho4j.proto.SubsystemEntry;
import io.kho4j.proto.SubsystemResult;
import io.kho4j.proto.SuccessorReport;
import io.kho4j.scratch.MemoryBank;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code kho demo} found, rendered three ways: the short text report, JSON for {@code --json}, and a
 * self-contained HTML page whose SVG draws RAM, scratch, blobs and preserved ranges. Either a full run
 * (handover and successor report) or a refusal (the reasons, nothing written).
 *
 * @param machine the simulated machine
 * @param handover the first side's handover, null when refused
 * @param successor the successor's report, null when refused
 * @param phases wall time per phase in nanoseconds, first side, then kexec and successor
 * @param refusal why the handover was refused before anything was written; empty when it ran
 * @param samples a note on the sample modules found
 * @param files the files written, in order
 */
record DemoReport(SimulatedMachine machine, Handover handover, SuccessorReport successor, Map<String, Long> phases,
        List<String> refusal, String samples, List<String> files) {

    /** @return VERIFIED, FAILED, DROPPED or REFUSED */
    String outcome() {
        if (handover == null) {
            return "REFUSED";
        }
        return successor.getOutcome().name();
    }

    /** @return whether the demo succeeded */
    boolean ok() {
        return outcome().equals("VERIFIED");
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("kho demo: ").append(machine).append('\n');
        if (handover == null) {
            sb.append("REFUSED before anything was written:\n");
            refusal.forEach(r -> sb.append("  ").append(r).append('\n'));
            return sb.toString();
        }
        HandoverManifest m = handover.manifest();
        line(sb, "generation", m.getGeneration() + " (root \"" + handover.target().generation().rootCompatible()
                + "\", " + handover.target().generation().memoryMap().cliName() + " memory map, "
                + handover.target().rootLayout().name().toLowerCase(Locale.ROOT).replace('_', '-') + " root)");
        line(sb, "cmdline", machine.commandLine());
        List<String> scratch = new ArrayList<>();
        for (ScratchAreaEntry a : m.getScratchList()) {
            scratch.add(String.format("%s 0x%x %s", a.getLabel(), a.getPhys(), size(a.getSize())));
        }
        line(sb, "scratch", String.join(", ", scratch));
        line(sb, "samples", samples);
        boolean first = true;
        for (SubsystemEntry s : m.getSubsystemsList()) {
            line(sb, first ? "subsystems" : "", String.format("%-16s %-20s blob 0x%x %6s  preserves %s  %s",
                    s.getName(), String.join(" ", s.getCompatibleList()), s.getBlobPhys(), size(s.getBlobSize()),
                    size(s.getPreservedBytes()), s.getDescription()));
            first = false;
        }
        line(sb, "preserved", size(m.getPreservedBytes()) + " in " + m.getBlocksCount() + " blocks; map at "
                + String.format("0x%x", m.getMemoryMapRoot()) + " (" + count(m, "MAP_PAGE") + " pages), root FDT at "
                + String.format("0x%x (%d bytes)", m.getRootFdtPhys(), handover.root().length));
        line(sb, "hand-off", handOff(m));
        line(sb, "successor", successorLine());
        line(sb, "phases ms", phaseLine(phases) + "; successor: " + phaseLine(successorPhases()));
        for (String f : successor.getFailuresList()) {
            line(sb, "FAILURE", f);
        }
        if (successor.getOutcome() == SuccessorReport.Outcome.DROPPED) {
            line(sb, "DROPPED", successor.getDropReason() + String.format(" at 0x%x: ", successor.getDropAddress())
                    + successor.getDropMessage());
        }
        sb.append(outcome()).append('\n');
        return sb.toString();
    }

    private String successorLine() {
        if (successor.getOutcome() == SuccessorReport.Outcome.DROPPED) {
            return "pid " + successor.getPid() + ", Linux " + successor.getRelease() + ": dropped the handover";
        }
        long restored = successor.getSubsystemsList().stream().filter(s -> s.getStatus().equals("RESTORED")).count();
        return String.format("pid %d, Linux %s: accepted %s, restored %d of %d subsystems, %d digests checked (%s, %s)",
                successor.getPid(), successor.getRelease(), successor.getGeneration(), restored,
                successor.getSubsystemsCount(), successor.getDigestsChecked(), handover.manifest().getDigestAlgorithm(),
                handover.manifest().getDigestScope().name().toLowerCase(Locale.ROOT));
    }

    private static String handOff(HandoverManifest m) {
        String where = m.getHandOff().getKind() == io.kho4j.proto.HandOff.Kind.SETUP_DATA
                ? String.format("setup_data node at 0x%x (SETUP_KEXEC_KHO)", m.getHandOff().getAddress())
                : String.format("boot DTB at 0x%x (%d bytes), /chosen linux,kho-fdt and linux,kho-scratch",
                        m.getHandOff().getAddress(), m.getHandOff().getSize());
        return where + String.format(": root FDT 0x%x + 0x%x, scratch array 0x%x + %d", m.getHandOff().getFdtAddr(),
                m.getHandOff().getFdtSize(), m.getHandOff().getScratchAddr(), m.getHandOff().getScratchSize());
    }

    private Map<String, Long> successorPhases() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Phase p : successor.getPhasesList()) {
            out.put(p.getName(), p.getNanos());
        }
        return out;
    }

    private static String phaseLine(Map<String, Long> phases) {
        List<String> parts = new ArrayList<>();
        phases.forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, "%.1f", v / 1e6)));
        return String.join(", ", parts);
    }

    private static long count(HandoverManifest m, String kind) {
        return m.getRegionsList().stream().filter(r -> r.getKind().equals(kind)).count();
    }

    private static void line(StringBuilder sb, String label, String text) {
        sb.append(String.format("%-11s %s", label, text).stripTrailing()).append('\n');
    }

    /** @return bytes in the largest binary unit that keeps one decimal honest */
    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("outcome", outcome());
        Map<String, Object> mach = new LinkedHashMap<>();
        mach.put("arch", machine.target().arch().cliName());
        mach.put("ram", hex(machine.ram().start()) + "+" + hex(machine.ram().size()));
        mach.put("nodes", machine.nodes());
        mach.put("page_size", machine.target().pageSize().bytes());
        mach.put("from", machine.target().from().toString());
        mach.put("to", machine.target().to().toString());
        mach.put("cmdline", machine.commandLine());
        j.put("machine", mach);
        if (handover == null) {
            j.put("refusal", refusal);
            j.put("files", files);
            return j;
        }
        HandoverManifest m = handover.manifest();
        j.put("generation", m.getGeneration());
        List<Object> scratch = new ArrayList<>();
        for (ScratchAreaEntry a : m.getScratchList()) {
            scratch.add(Map.of("label", a.getLabel(), "phys", hex(a.getPhys()), "size", hex(a.getSize())));
        }
        j.put("scratch", scratch);
        List<Object> subsystems = new ArrayList<>();
        for (SubsystemEntry s : m.getSubsystemsList()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", s.getName());
            e.put("compatible", s.getCompatibleList());
            e.put("blob", hex(s.getBlobPhys()));
            e.put("blob_size", s.getBlobSize());
            e.put("preserved_bytes", s.getPreservedBytes());
            e.put("description", s.getDescription());
            e.put("status", successor.getSubsystemsList().stream().filter(r -> r.getName().equals(s.getName()))
                    .map(SubsystemResult::getStatus).findFirst().orElse("MISSING"));
            subsystems.add(e);
        }
        j.put("subsystems", subsystems);
        j.put("preserved_bytes", m.getPreservedBytes());
        j.put("preserved_blocks", m.getBlocksCount());
        j.put("root_fdt", hex(m.getRootFdtPhys()));
        j.put("memory_map", hex(m.getMemoryMapRoot()));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("kind", m.getHandOff().getKind().name());
        h.put("address", hex(m.getHandOff().getAddress()));
        h.put("scratch_array", hex(m.getHandOff().getScratchAddr()));
        j.put("hand_off", h);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("pid", successor.getPid());
        s.put("release", successor.getRelease());
        s.put("digests_checked", successor.getDigestsChecked());
        s.put("phases_ms", millis(successorPhases()));
        if (successor.getOutcome() == SuccessorReport.Outcome.DROPPED) {
            s.put("drop_reason", successor.getDropReason());
            s.put("drop_message", successor.getDropMessage());
        }
        j.put("successor", s);
        j.put("phases_ms", millis(phases));
        j.put("failures", successor.getFailuresList());
        j.put("files", files);
        return j;
    }

    private static Map<String, Object> millis(Map<String, Long> phases) {
        Map<String, Object> out = new LinkedHashMap<>();
        phases.forEach((k, v) -> out.put(k, Math.round(v / 1e4) / 100.0));
        return out;
    }

    private static String hex(long v) {
        return String.format("0x%x", v);
    }

    /** Colours per region kind, shared by the bars and the legend. */
    private static final Map<String, String> COLOURS = Map.of("SCRATCH", "#f4a261", "PRESERVED", "#2a9d8f",
            "BLOB", "#264653", "FOLIO", "#8ab17d", "MAP_PAGE", "#9b5de5", "ROOT_FDT", "#e63946", "SEGMENT", "#adb5bd",
            "SAMPLE_DATA", "#e9c46a");
    private static final int BAR_WIDTH = 960;

    String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kho demo: ")
                .append(esc(outcome())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
                        + "pre{background:#f6f6f6;padding:1em;overflow-x:auto}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 8px;font-family:monospace;text-align:left}"
                        + ".ok{color:#2a9d8f}.bad{color:#e63946}</style></head><body>\n");
        sb.append("<h1>kho demo: <span class=\"").append(ok() ? "ok" : "bad").append("\">").append(esc(outcome()))
                .append("</span></h1>\n<pre>").append(esc(text())).append("</pre>\n");
        if (handover != null) {
            sb.append("<h2>Physical memory</h2>\n").append(svg()).append(legend());
            sb.append("<h2>Regions</h2>\n<table><tr><th>kind</th><th>owner</th><th>address</th><th>size</th></tr>\n");
            for (Region r : handover.regions()) {
                sb.append("<tr><td>").append(esc(r.getKind())).append("</td><td>").append(esc(r.getOwner()))
                        .append("</td><td>").append(hex(r.getPhys())).append("</td><td>").append(size(r.getSize()))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    /**
     * One bar per NUMA node at full scale, then a detail bar spanning KHO's own structures, which sit within a
     * few MiB and would otherwise be a single line. Every range is at least 2 px wide so none disappears.
     */
    private String svg() {
        List<Bar> bars = new ArrayList<>();
        for (MemoryBank bank : machine.description().banks()) {
            bars.add(new Bar("node " + bank.node(), bank.range().start(), bank.range().end()));
        }
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (Region r : handover.regions()) {
            if (List.of("ROOT_FDT", "BLOB", "FOLIO", "MAP_PAGE").contains(r.getKind())) {
                lo = Math.min(lo, r.getPhys());
                hi = Math.max(hi, r.getPhys() + r.getSize());
            }
        }
        if (lo < hi) {
            long pad = Math.max(4096, (hi - lo) / 20);
            bars.add(new Bar("detail", Math.max(machine.ram().start(), lo - pad), Math.min(machine.ram().end(), hi + pad)));
        }
        int rowHeight = 46;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\""
                + " font-family=\"monospace\">\n", BAR_WIDTH + 90, bars.size() * rowHeight + 10));
        int y = 6;
        for (Bar bar : bars) {
            sb.append(String.format("<text x=\"0\" y=\"%d\">%s</text>\n", y + 14, esc(bar.label)));
            sb.append(String.format("<rect x=\"80\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"#f1f1f1\""
                    + " stroke=\"#999\"/>\n", y, BAR_WIDTH));
            for (ScratchAreaEntry a : handover.manifest().getScratchList()) {
                rect(sb, bar, y, a.getPhys(), a.getSize(), "SCRATCH", "scratch " + a.getLabel());
            }
            for (io.kho4j.proto.PreservedBlock b : handover.manifest().getBlocksList()) {
                long size = (long) handover.manifest().getPageSize() << b.getOrder();
                rect(sb, bar, y, b.getPhys(), size, "PRESERVED", "preserved order " + b.getOrder());
            }
            for (Region r : handover.regions()) {
                String kind = List.of("KERNEL", "INITRD", "SCRATCH_ARRAY", "HAND_OFF").contains(r.getKind()) ? "SEGMENT"
                        : r.getKind();
                rect(sb, bar, y, r.getPhys(), r.getSize(), kind, r.getKind() + " " + r.getOwner());
            }
            sb.append(String.format("<text x=\"80\" y=\"%d\">0x%x</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">"
                    + "0x%x</text>\n", y + 34, bar.start, 80 + BAR_WIDTH, y + 34, bar.end));
            y += rowHeight;
        }
        return sb.append("</svg>\n").toString();
    }

    private static void rect(StringBuilder sb, Bar bar, int y, long phys, long size, String kind, String title) {
        long end = phys + size;
        if (end <= bar.start || phys >= bar.end) {
            return;
        }
        double scale = (double) BAR_WIDTH / (bar.end - bar.start);
        double x = (Math.max(phys, bar.start) - bar.start) * scale;
        double w = Math.max(2, (Math.min(end, bar.end) - Math.max(phys, bar.start)) * scale);
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\""
                + " fill-opacity=\"0.85\"><title>%s 0x%x + %s</title></rect>\n", 80 + x, y, w, COLOURS.get(kind),
                esc(title), phys, size(size)));
    }

    private static String legend() {
        StringBuilder sb = new StringBuilder("<p>");
        for (String k : List.of("SCRATCH", "PRESERVED", "SAMPLE_DATA", "BLOB", "FOLIO", "MAP_PAGE", "ROOT_FDT",
                "SEGMENT")) {
            sb.append(String.format("<span style=\"background:%s;color:#fff;padding:1px 6px;margin-right:4px\">%s</span>",
                    COLOURS.get(k), k.toLowerCase(Locale.ROOT).replace('_', ' ')));
        }
        return sb.append("</p>\n<p>Kexec segments (kernel, initrd, scratch array, hand-off) sit inside scratch;"
                + " everything else the successor reads sits outside it.</p>\n").toString();
    }

    /** @return text with the five HTML metacharacters escaped */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < 0x20 && c != '\n' ? ' ' : c);
            }
        }
        return sb.toString();
    }

    private record Bar(String label, long start, long end) {
    }
}
