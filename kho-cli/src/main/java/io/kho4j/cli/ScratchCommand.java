package io.kho4j.cli;

import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import io.kho4j.scratch.KhoCommandLine;
import io.kho4j.scratch.MachineDescription;
import io.kho4j.scratch.ScratchArea;
import io.kho4j.scratch.ScratchPlan;
import io.kho4j.scratch.ScratchRules;
import io.kho4j.scratch.ScratchSizes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kho scratch}: the scratch (7.4: bootmem) areas a kernel reserves for the next one. */
@Command(name = "scratch",
        mixinStandardHelpOptions = true,
        description = "Plan KHO scratch (bootmem) areas.",
        subcommands = {ScratchCommand.Plan.class},
        synopsisSubcommandLabel = "COMMAND")
public final class ScratchCommand {

    /** {@code kho scratch plan}. */
    @Command(name = "plan",
            mixinStandardHelpOptions = true,
            description = {
                "Show where a kernel of the given release would place its scratch areas on a described machine:"
                        + " the kho_scratch= (7.4: kho_bootmem=) sizes, the array, then lowmem, global and one area"
                        + " per node, top-down as memblock allocates. Exits 1 when an area cannot be placed, which"
                        + " makes the kernel disable KHO.",
                "Ranges are START-END or START+SIZE with numbers like 0x1000, 4096 or 16M.",
            })
    static final class Plan implements Callable<Integer> {
        @Mixin
        private CommonOptions common;

        @Option(names = "--cmdline", required = true, paramLabel = "TEXT",
                description = "The kernel command line (kho=, kho_scratch= or kho_bootmem= are read).")
        String cmdline;

        @Option(names = "--ram", required = true, split = ",", paramLabel = "RANGE[@NODE]",
                description = "RAM banks, comma-separated or repeated, each on a node (default node 0):"
                        + " --ram 0-2G@0,4G-8G@0,8G-16G@1")
        List<String> ram;

        @Option(names = "--nodes", paramLabel = "N",
                description = "Online NUMA nodes 0..N-1; nodes without RAM are memoryless"
                        + " (default: the highest node with RAM + 1).")
        Integer nodes;

        @Option(names = "--reserved", split = ",", paramLabel = "RANGE", converter = MemoryArgs.RangeConverter.class,
                description = "Memory memblock must not use (firmware, kernel image).")
        List<PhysRange> reserved = new ArrayList<>();

        @Option(names = "--kernel-reserved", split = ",", paramLabel = "RANGE",
                converter = MemoryArgs.RangeConverter.class,
                description = "The kernel's own memblock allocations: never used, and what N%% scales.")
        List<PhysRange> kernelReserved = new ArrayList<>();

        @Option(names = "--rules", paramLabel = "RELEASE", defaultValue = "7.3",
                description = "Kernel rules: 6.16, later (6.17-7.0), 7.1, 7.3 or 7.4 (default 7.3).")
        String rules;

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "4096",
                converter = MemoryArgs.PageSizeConverter.class,
                description = "4096, 16384 or 65536: sets the default alignment (default 4096).")
        PageSize pageSize;

        @Option(names = "--alignment", paramLabel = "BYTES", converter = AddressConverter.class,
                description = "Override the area alignment (CMA_MIN_ALIGNMENT_BYTES, or 7.3+ PAGE_SIZE *"
                        + " MAX_ORDER_NR_PAGES).")
        Long alignment;

        @Option(names = "--low-limit", paramLabel = "ADDR", converter = AddressConverter.class,
                defaultValue = "0xffffffff", description = "ARCH_LOW_ADDRESS_LIMIT (default 0xffffffff, x86-64).")
        long lowLimit;

        @Option(names = "--kho-default", description = "KHO is on without kho=on"
                + " (CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT).")
        boolean khoDefault;

        @Override
        public Integer call() throws InvalidInputException {
            ScratchRules r;
            try {
                r = ScratchRules.parse(rules).forPageSize(pageSize);
                if (alignment != null) {
                    r = r.withAlignment(alignment);
                }
            } catch (IllegalArgumentException e) {
                throw common.usageError(e.getMessage());
            }
            MachineDescription machine = machine();
            KhoCommandLine parsed = KhoCommandLine.parse(cmdline, r);
            ScratchPlan plan = ScratchPlan.plan(machine, parsed, r, khoDefault);
            if (common.json()) {
                common.printJson(json(plan, parsed.sizes()));
            } else {
                print(plan, parsed.sizes(), common.out());
            }
            if (plan.failure().isPresent()) {
                common.err().println("scratch plan: " + plan.failure().get());
                return ExitCodes.INVALID_INPUT;
            }
            return ExitCodes.OK;
        }

        private MachineDescription machine() throws InvalidInputException {
            MachineDescription.Builder b = MachineDescription.builder().pageSize(pageSize).lowLimit(lowLimit);
            int maxNode = -1;
            for (String bank : ram) {
                int at = bank.indexOf('@');
                int node;
                try {
                    node = at < 0 ? 0 : Integer.parseInt(bank.substring(at + 1));
                    if (node < 0) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw common.usageError("--ram " + bank + ": the node after @ must be a number >= 0");
                }
                try {
                    b.bank(MemoryArgs.RangeConverter.parse(at < 0 ? bank : bank.substring(0, at)), node);
                } catch (IllegalArgumentException e) {
                    throw common.usageError("--ram " + bank + ": " + e.getMessage());
                }
                maxNode = Math.max(maxNode, node);
            }
            if (nodes != null) {
                if (nodes <= maxNode) {
                    throw common.usageError("--nodes " + nodes + " but --ram uses node " + maxNode);
                }
                for (int n = 0; n < nodes; n++) {
                    b.onlineNodes(n);
                }
            }
            reserved.forEach(b::reserved);
            kernelReserved.forEach(b::kernelReserved);
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--ram: " + e.getMessage());
            }
        }

        private static void print(ScratchPlan plan, ScratchSizes sizes, PrintWriter out) {
            ScratchRules r = plan.rules();
            out.print(String.format("rules %s %s= alignment 0x%x\n", r.label(), r.parameterName(), r.alignment()));
            out.print("kho " + (plan.enabled() ? "on" : "off") + "\n");
            if (sizes instanceof ScratchSizes.Scale s) {
                out.print("sizes scale " + s.percent() + "%\n");
            } else if (sizes instanceof ScratchSizes.Explicit e) {
                out.print(String.format("sizes lowmem 0x%x global 0x%x pernode 0x%x\n", e.lowmem(), e.global(),
                        e.perNode()));
            }
            if (plan.arrayAddress() >= 0) {
                out.print(String.format("array 0x%x entries %d\n", plan.arrayAddress(), plan.arrayEntries()));
            }
            for (ScratchArea a : plan.areas()) {
                out.print(String.format("area %s 0x%x 0x%x\n", a.label(), a.address(), a.size()));
            }
            for (String note : plan.notes()) {
                out.print("note " + ErrorHandler.oneLine(note) + "\n");
            }
            plan.failure().ifPresent(f -> out.print("failed " + f + "\n"));
        }

        private static Map<String, Object> json(ScratchPlan plan, ScratchSizes sizes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rules", plan.rules().label());
            m.put("parameter", plan.rules().parameterName());
            m.put("alignment", hex(plan.rules().alignment()));
            m.put("enabled", plan.enabled());
            m.put("feasible", plan.feasible());
            Map<String, Object> s = new LinkedHashMap<>();
            if (sizes instanceof ScratchSizes.Scale sc) {
                s.put("scalePercent", sc.percent());
            } else if (sizes instanceof ScratchSizes.Explicit e) {
                s.put("lowmem", hex(e.lowmem()));
                s.put("global", hex(e.global()));
                s.put("pernode", hex(e.perNode()));
            }
            m.put("sizes", s);
            Map<String, Object> array = new LinkedHashMap<>();
            array.put("address", hex(plan.arrayAddress()));
            array.put("entries", plan.arrayEntries());
            m.put("array", plan.arrayAddress() < 0 ? null : array);
            List<Object> areas = new ArrayList<>();
            for (ScratchArea a : plan.areas()) {
                Map<String, Object> area = new LinkedHashMap<>();
                area.put("role", a.role().name().toLowerCase(Locale.ROOT));
                area.put("node", a.node() < 0 ? null : a.node());
                area.put("address", hex(a.address()));
                area.put("size", hex(a.size()));
                areas.add(area);
            }
            m.put("areas", areas);
            m.put("notes", plan.notes());
            m.put("failure", plan.failure().orElse(null));
            return m;
        }

        private static String hex(long v) {
            return String.format("0x%x", v);
        }
    }
}
