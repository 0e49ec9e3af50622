#!/usr/bin/env python3
"""Writes docs/PERFORMANCE.md from the C harness's JSON lines and JMH's JSON (benchmarks/run.sh calls this).

Python 3 standard library only. Any JMH class it does not know gets a generic table, with each method
compared to a `baseline*` method of the same class and parameters when there is one, so new benchmarks
show up without changes here; the preserved-memory map and the demo handover have tables of their own,
with the facts JMH cannot carry (bitmap bytes, HandoverBuilder's phase clock) from WorkloadFacts' facts.jsonl.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
from collections import defaultdict

PKG = "io.kho4j.benchmarks."
WORKLOADS = ["SMALL", "FTRACE", "BIG_PROPERTY", "MANY_NODES", "MANY_NAMES"]

# Java benchmark -> (C operation it is compared with, what the row means, counts towards the >= 1.0x goal)
FDT_ROWS = [
    ("FdtWriterEncodeBenchmark.fdtWriterIntoBuffer", "encode",
     "encode into a reused buffer: FdtWriter.over … finishInBuffer vs fdt_create…fdt_finish (like for like)", True),
    ("TreeCodecEncodeBenchmark.treeCodecIntoBuffer", "encode",
     "encode into a reused buffer: TreeCodec.encodeInto (tree model) vs fdt_create…fdt_finish", True),
    ("FdtWriterEncodeBenchmark.fdtWriter", "encode",
     "encode to a new byte[]: FdtWriter.finish vs fdt_create…fdt_finish", False),
    ("TreeCodecEncodeBenchmark.treeCodec", "encode",
     "encode to a new byte[]: TreeCodec.encode (exact size first, no copy) vs fdt_create…fdt_finish", False),
    ("FdtWriterEncodeBenchmark.baselineNewBlob", "encode",
     "floor: a new blob-sized byte[] filled by one copy (what any encoder returning a new array pays) vs "
     "fdt_create…fdt_finish", False),
    ("DecodeWalkBenchmark.validateAndWalk", "check_full_walk",
     "decode+walk: FdtValidator + walk vs fdt_check_full + walk", True),
    ("DecodeWalkBenchmark.validateAndWalk", "header_walk",
     "decode+walk vs libfdt walk after fdt_check_header only (no full check)", False),
    ("ValidateBenchmark.validate", "check_full", "validate: FdtValidator vs fdt_check_full", True),
    ("LibfdtCheckFullBenchmark.jnaCheckFullInPlace", "check_full",
     "fdt_check_full via JNA (blob already native) vs the same in C", False),
    ("LibfdtCheckFullBenchmark.jnaCheckFullDirectBuffer", "check_full",
     "fdt_check_full via LibFdtCheck on a direct ByteBuffer (checked in place) vs C", False),
    ("LibfdtCheckFullBenchmark.jnaCheckFullWithCopy", "check_full",
     "fdt_check_full via LibFdtCheck on a heap buffer, one copy to native (FdtValidator.withLibfdt) vs C", False),
]
QUADRATIC = "MANY_NAMES"  # where libfdt's fdt_find_string_ makes the sequential writer quadratic
DIGEST_CLASS = "RangeDigestBenchmark"
DIGEST_PAIRS = [("rangeDigestsCrc32c", "intrinsicCrc32c"), ("rangeDigestsSha256", "intrinsicSha256")]
DIGEST_GOAL = 0.9  # "at the intrinsic's speed": within 10 %
MEMMAP_CLASS = "MemoryMapBenchmark"
MEMMAP_GOAL = 2.0  # "within 2x of a plain copy" of the bitmap bytes
HANDOVER_CLASS = "HandoverBenchmark"
HANDOVER_METHODS = [
    ("plan", "plan: compatibility check and scratch plan (`HandoverBuilder.create`)"),
    ("finalizeState", "finalize: serialize, place, memory map, root tree"),
    ("load", "load: kexec segments in scratch, producer checks, hand-off, digests over metadata"),
    ("handover", "whole build: plan, guests' allocation, finalize, load"),
    ("inbound", "successor: `KhoInbound` walk of root, map and subtrees, restore, verify digests"),
]
HANDOVER_GOAL_NS = 100e6  # "a full demo handover ... under 100 ms of work"


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def read_text(path, default=""):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return default


def fmt_ns(ns):
    if ns is None:
        return "–"
    for unit, div in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= div:
            return f"{ns / div:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_bytes(b):
    if b is None:
        return "–"
    for unit, div in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= div:
            return f"{b / div:.3g} {unit}"
    return f"{b:.0f} B"


def fmt_ratio(r):
    return "–" if r is None else (f"{r:.3g}×" if r < 100 else f"{r:.0f}×")


class Stat:
    """Median and extremes of per-iteration (JMH) or per-batch (C) ns/op samples."""

    def __init__(self, samples=None, median=None, lo=None, hi=None):
        if samples:
            self.median, self.lo, self.hi = statistics.median(samples), min(samples), max(samples)
        else:
            self.median, self.lo, self.hi = median, lo, hi

    def spread(self):
        return f"{fmt_ns(self.median)} ({fmt_ns(self.lo)}–{fmt_ns(self.hi)})"


def load_c(path):
    """Per (op, workload): the shape fields of the record and the pooled samples of every pass."""
    out, config = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("type") == "c-config":
                config = rec
            elif rec.get("type") == "c":
                key = (rec["op"], rec["workload"])
                if key in out:
                    out[key]["samples_ns"] += rec["samples_ns"]
                else:
                    out[key] = rec
    for rec in out.values():
        rec["stat"] = Stat(rec["samples_ns"])
    return out, config


def load_jmh(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for rec in json.load(f):
            bench = rec["benchmark"].replace(PKG, "")
            params = tuple(sorted((rec.get("params") or {}).items()))
            pm = rec["primaryMetric"]
            unit = pm["scoreUnit"]
            scale = {"ns/op": 1, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}[unit]
            samples = [v * scale for fork in pm.get("rawData", []) for v in fork]
            alloc = None
            for name, metric in (rec.get("secondaryMetrics") or {}).items():
                if name.lstrip("·") == "gc.alloc.rate.norm":
                    alloc = metric["score"]
            out[(bench, params)] = {"stat": Stat(samples) if samples else Stat(None, pm["score"] * scale,
                                                                              pm["score"] * scale,
                                                                              pm["score"] * scale),
                                    "alloc": alloc}
    return out


def machine(results):
    cpu = ""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
    java = sh("java", "-version") or subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    java = java.splitlines()[1] if len(java.splitlines()) > 1 else java
    libfdt = sh("dpkg-query", "-W", "-f", "${Version}", "libfdt1")
    loads = []
    for line in read_text(os.path.join(results, "load.txt")).splitlines():
        parts = line.split()
        if len(parts) >= 2:
            loads.append(float(parts[1]))
    busy = [l.split(None, 1) for l in read_text(os.path.join(results, "busy-at-start.txt")).splitlines()]
    busy = [f"{c} ({p} %)" for p, c in (b for b in busy if len(b) == 2) if float(p) >= 5]
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "java": java.strip(),
        "gcc": (sh("gcc", "--version").splitlines() or [""])[0],
        "libfdt": f"Debian libfdt1 {libfdt}" if libfdt else "unknown",
        "date": read_text(os.path.join(results, "started.txt"), "unknown"),
        "load": (min(loads), statistics.median(loads), max(loads)) if loads else None,
        "busy": busy,
    }


def ratio(c_stat, j_stat):
    """Java throughput over C throughput (> 1: Java faster), with the range the extremes allow."""
    if not c_stat or not j_stat or not j_stat.median:
        return None, None, None
    return (c_stat.median / j_stat.median, c_stat.lo / j_stat.hi, c_stat.hi / j_stat.lo)


def fdt_section(c, jmh, lines, misses):
    if not any(bench == b for b, _, _, _ in FDT_ROWS for bench, _ in jmh):
        return
    lines.append("## FDT: Java against C libfdt, same trees, same machine, same session\n")
    lines.append("Ratio = Java throughput ÷ C throughput (above 1: Java is faster), from the medians; the "
                 "range beside it pairs the extremes of both sides. MB/s counts the blob's bytes; ns/property "
                 "divides the Java time by the tree's property count. Allocation is JMH `-prof gc` "
                 "`gc.alloc.rate.norm`.\n")
    for workload in WORKLOADS:
        crec = next((v for (op, w), v in c.items() if w == workload), None)
        if not crec or not any((bench, (("workload", workload),)) in jmh for bench, _, _, _ in FDT_ROWS):
            continue
        lines.append(f"### {workload}: {crec['nodes']:,} nodes, {crec['properties']:,} properties, "
                     f"{crec['bytes']:,}-byte blob\n")
        lines.append("| operation | Java median (min–max) | C median (min–max) | Java/C | MB/s (Java) | "
                     "ns/property (Java) | alloc/op (Java) |")
        lines.append("|---|---|---|---|---|---|---|")
        for bench, op, label, goal in FDT_ROWS:
            j = jmh.get((bench, (("workload", workload),)))
            cr = c.get((op, workload))
            if not j or not cr:
                continue
            cs = cr["stat"]
            r, rlo, rhi = ratio(cs, j["stat"])
            mbs = crec["bytes"] / j["stat"].median * 1e3
            per_prop = j["stat"].median / crec["properties"]
            lines.append(f"| {label} | {j['stat'].spread()} | {cs.spread()} | **{fmt_ratio(r)}** "
                         f"({fmt_ratio(rlo)}–{fmt_ratio(rhi)}) | {mbs:,.0f} | {per_prop:.1f} | "
                         f"{fmt_bytes(j['alloc'])} |")
            if goal:
                want = 10.0 if workload == QUADRATIC and op == "encode" else 1.0
                if r is not None and r < want:
                    misses.append(f"{workload} {label.split(':')[0]} ({bench.split('.')[0]}): "
                                  f"{fmt_ratio(r)} of libfdt, goal {fmt_ratio(want)}")
        lines.append("")


def generic_rows(jmh, cls):
    by_params = defaultdict(dict)
    for (bench, params), v in jmh.items():
        if bench.startswith(cls + "."):
            by_params[params][bench.split(".", 1)[1]] = v
    return by_params


def digest_section(jmh, lines, misses):
    rows = generic_rows(jmh, DIGEST_CLASS)
    if not rows:
        return
    lines.append("## Digests of preserved ranges (RangeDigests over PhysicalMemory)\n")
    lines.append("`RangeDigests.digest` with one digest per 4 KiB page, read in place through "
                 "`PhysicalMemory.view` (heap memory: no copy), returning the manifest entry, beside the JDK "
                 "intrinsic over the same bytes in one call and a plain copy out of `PhysicalMemory`. \"vs "
                 f"intrinsic\" is the intrinsic's time over ours (goal ≥ {DIGEST_GOAL}×). GB/s = 10⁹ bytes per "
                 "second. Two rows take the CRC32C digest apart: `intrinsicCrc32cPerPage` calls the intrinsic once "
                 "per page (the least any per-page digest costs) and `manifestEntry` builds the protobuf entry "
                 "around digests already taken.\n")
    lines.append("| range | method | median (min–max) | GB/s | vs intrinsic | vs copy | alloc/op |")
    lines.append("|---|---|---|---|---|---|---|")
    intrinsic_of = dict(DIGEST_PAIRS)
    for params in sorted(rows, key=lambda p: int(dict(p)["bytes"])):
        size = int(dict(params)["bytes"])
        methods = rows[params]
        copy = methods.get("baselineCopy")
        for name in ["rangeDigestsCrc32c", "intrinsicCrc32c", "intrinsicCrc32cPerPage", "manifestEntry",
                     "rangeDigestsSha256", "intrinsicSha256", "baselineCopy"]:
            m = methods.get(name)
            if not m:
                continue
            med = m["stat"].median
            vs_i = methods[intrinsic_of[name]]["stat"].median / med if name in intrinsic_of \
                and intrinsic_of[name] in methods else None
            vs_c = copy["stat"].median / med if copy else None
            lines.append(f"| {fmt_bytes(size)} | {name} | {m['stat'].spread()} | {size / med:.2f} | "
                         f"{fmt_ratio(vs_i)} | {fmt_ratio(vs_c)} | {fmt_bytes(m['alloc'])} |")
            if vs_i is not None and vs_i < DIGEST_GOAL:
                misses.append(f"{name} on {fmt_bytes(size)}: {fmt_ratio(vs_i)} of the intrinsic's speed, "
                              f"goal ≥ {DIGEST_GOAL}×")
    lines.append("")


def load_facts(path):
    """WorkloadFacts' JSON lines: memory-map bitmap bytes per (shape, format, page size), HandoverBuilder phases."""
    memmap, phases = {}, []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("type") == "memmap":
                    memmap[(rec["shape"], rec["format"], rec.get("page_size", "KIB_4"))] = rec
                elif rec.get("type") == "handover-phase":
                    phases.append(rec)
    except OSError:
        pass
    return memmap, phases


MEMMAP_PAGE_SIZES = {"KIB_4": "4 KiB", "KIB_16": "16 KiB", "KIB_64": "64 KiB"}
MEMMAP_SHAPES = ["TIB_ALTERNATE_PAGES", "VM_HOST_MIXED"]
MEMMAP_FORMATS = ["CHUNKS_BITMAP512", "CHUNKS_BITMAP_PAGE", "RADIX", "RADIX_16K_PREFIX"]


def memmap_order(params):
    """Rows by shape, then page size, then layout, in the order the text explains them."""
    p = dict(params)
    def index(seq, v):
        return seq.index(v) if v in seq else len(seq)
    return (index(MEMMAP_SHAPES, p.get("shape")), index(list(MEMMAP_PAGE_SIZES), p.get("pageSize", "KIB_4")),
            index(MEMMAP_FORMATS, p.get("format")), params)


def memmap_goal_cell(x):
    return "–" if x is None else ("✓" if x <= MEMMAP_GOAL else "✗")


def memmap_section(jmh, facts, lines, misses):
    rows = generic_rows(jmh, MEMMAP_CLASS)
    if not rows:
        return
    lines.append("## Preserved-memory map encode and decode (MemoryMapCodec)\n")
    lines.append("`TIB_ALTERNATE_PAGES`: every other page of 1 TiB (with 4 KiB pages 128 Mi order-0 blocks and 32 MiB "
                 "of bitmap; nothing merges: the largest map 1 TiB can need). `VM_HOST_MIXED`: 100 guests of 16 GiB "
                 "in 2 MiB folios plus one page in every 256 KiB of the 4 GiB below them. Memory is "
                 "`PhysicalMemory.sparse` (a heap table of the 4 KiB pages written). The baseline is "
                 "`System.arraycopy` of as many bytes as the layout's bitmaps (chunk-list bitmaps or radix leaves) "
                 "into a reused array; \"× copy\" is the time over the copy's time. \"new copy\" is `Arrays.copyOf` "
                 "of the same bytes, a fresh array per call: the least a decoder returning a new map pays (the "
                 "copy's reused target stays in cache, a new array does not); \"decode × new\" is decode over it. "
                 f"The goal column (≤ {MEMMAP_GOAL:g}×) judges each side like for like: encode, which writes into "
                 "pages that exist, against the copy into a reused array; decode, which returns a new map, against "
                 "the copy into a new array. \"new words\" is a new `long[]` read from the same bytes: Java zeroes "
                 "it before the read, the floor for a decoder whose map holds words. MB/s counts bitmap bytes.\n")
    lines.append("| shape | page | layout | blocks | bitmap bytes | map pages | encode | × copy | decode | × copy | "
                 f"copy | ≤ {MEMMAP_GOAL:g}× | new copy | decode × new | new words | encode MB/s | decode MB/s | "
                 "alloc/op encode, decode |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for params in sorted(rows, key=memmap_order):
        p = dict(params)
        page = p.get("pageSize", "KIB_4")
        methods = rows[params]
        copy, fresh, words, enc, dec = (methods.get(n) for n in
                                        ("baselineCopy", "baselineNewCopy", "baselineNewWords", "encode", "decode"))
        fact = facts.get((p.get("shape"), p.get("format"), page), {})
        bitmap = fact.get("bitmap_bytes")

        def times_copy(m):
            return m["stat"].median / copy["stat"].median if m and copy else None

        def mbs(m):
            return f"{bitmap / m['stat'].median * 1e3:,.0f}" if m and bitmap else "–"

        def cell(m):
            return m["stat"].spread() if m else "–"

        enc_x, dec_x = times_copy(enc), times_copy(dec)
        dec_fresh = dec["stat"].median / fresh["stat"].median if dec and fresh else None
        worst = max((x for x in (enc_x, dec_fresh) if x is not None), default=None)
        lines.append(f"| {p.get('shape')} | {MEMMAP_PAGE_SIZES.get(page, page)} | {p.get('format')} | "
                     f"{fact.get('blocks', 0):,} | {fmt_bytes(bitmap)} | {fact.get('map_pages', 0):,} | {cell(enc)} | "
                     f"{fmt_ratio(enc_x)} | {cell(dec)} | {fmt_ratio(dec_x)} | {cell(copy)} | "
                     f"{memmap_goal_cell(worst)} | {cell(fresh)} | {fmt_ratio(dec_fresh)} | {cell(words)} | {mbs(enc)} | {mbs(dec)} | "
                     f"{fmt_bytes(enc and enc['alloc'])}, {fmt_bytes(dec and dec['alloc'])} |")
        for name, x, baseline in (("encode", enc_x, "a copy of its bitmap bytes into a reused array"),
                                  ("decode", dec_fresh, "a copy of its bitmap bytes into a new array")):
            if x is not None and x > MEMMAP_GOAL:
                misses.append(f"memory map {name} {p.get('shape')} {MEMMAP_PAGE_SIZES.get(page, page)} "
                              f"{p.get('format')}: {fmt_ratio(x)} the time of {baseline}, goal ≤ {MEMMAP_GOAL:g}×")
    lines.append("")


def handover_section(jmh, phases, lines, misses):
    methods = generic_rows(jmh, HANDOVER_CLASS).get((), {})
    if not methods and not phases:
        return
    lines.append("## Demo handover, phase by phase (HandoverBuilder, in process)\n")
    lines.append("x86-64 host of 1 TiB in 2 NUMA nodes, 4 KiB pages, kho-v4 (7.4 to 7.4), 100 VMs of 8 GiB each "
                 "(16 GiB would not fit 1 TiB) preserved by `VmMemorySubsystem`, CRC32C digests over metadata. No "
                 "successor JVM, no memory image file, no fsync; memory is `PhysicalMemory.sparse`. The 256 CPUs "
                 "of DESIGN.md §7 hand over ftrace ring buffers of 1,024 pages each (`FtraceSubsystem`, ftrace-v1). Each "
                 "phase method gets a builder prepared up to that phase by a per-invocation setup outside the "
                 "time.\n")
    if methods:
        lines.append("| JMH method | what | median (min–max) | alloc/op |")
        lines.append("|---|---|---|---|")
        for name, label in HANDOVER_METHODS:
            m = methods.get(name)
            if m:
                lines.append(f"| {name} | {label} | {m['stat'].spread()} | {fmt_bytes(m['alloc'])} |")
        build, inbound = methods.get("handover"), methods.get("inbound")
        if build and inbound:
            total = build["stat"].median + inbound["stat"].median
            lines.append(f"| handover + inbound | the §7 goal's work | {fmt_ns(total)} | – |")
            if total > HANDOVER_GOAL_NS:
                misses.append(f"demo handover + inbound: {fmt_ns(total)}, goal under {fmt_ns(HANDOVER_GOAL_NS)}")
        lines.append("")
    if phases:
        lines.append(f"`HandoverBuilder`'s own phase clock over {phases[0]['builds']} builds after 5 warm-up "
                     "builds (one JVM, `WorkloadFacts`; wall time, so GC pauses land in whichever phase they hit):\n")
        lines.append("| phase | median | min | max |")
        lines.append("|---|---|---|---|")
        for ph in phases:
            lines.append(f"| {ph['phase']} | {fmt_ns(ph['median_ns'])} | {fmt_ns(ph['min_ns'])} | "
                         f"{fmt_ns(ph['max_ns'])} |")
        lines.append("")


def other_sections(jmh, lines):
    known = {b.split(".")[0] for b, _, _, _ in FDT_ROWS} | {DIGEST_CLASS, MEMMAP_CLASS, HANDOVER_CLASS}
    classes = sorted({b.split(".")[0] for b, _ in jmh} - known)
    for cls in classes:
        lines.append(f"## {cls}\n")
        lines.append("| parameters | method | median (min–max) | vs baseline | alloc/op |")
        lines.append("|---|---|---|---|---|")
        for params, methods in sorted(generic_rows(jmh, cls).items()):
            base = next((m for n, m in methods.items() if n.startswith("baseline")), None)
            for name, m in sorted(methods.items()):
                vs = base["stat"].median / m["stat"].median if base else None
                p = ", ".join(f"{k}={v}" for k, v in params) or "–"
                lines.append(f"| {p} | {name} | {m['stat'].spread()} | {fmt_ratio(vs)} | {fmt_bytes(m['alloc'])} |")
        lines.append("")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--results", required=True)
    ap.add_argument("--mode", default="full")
    ap.add_argument("--notes", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    c, c_config = load_c(os.path.join(args.results, "c.jsonl"))
    memmap_facts, handover_phases = load_facts(os.path.join(args.results, "facts.jsonl"))
    jmh = load_jmh(os.path.join(args.results, "jmh.json"))
    m = machine(args.results)

    lines = ["# Performance", "",
             "Generated by `benchmarks/run.sh` (see benchmarks/README.md); do not edit by hand: edit "
             "`benchmarks/perf-notes.md` for the explanations, then rerun.", ""]
    lines.append("## Machine and run\n")
    lines.append(f"- CPU: {m['cpu']}, {m['cores']} cores visible; kernel {m['kernel']}")
    lines.append(f"- JDK: {m['java']}; C: {m['gcc']}, -O2; {m['libfdt']}")
    c_runs = (f"C: two passes, before and after JMH, of {c_config.get('samples', '?')} samples of "
              f"≥ {c_config.get('sample_s', '?')} s after {c_config.get('warm_s', '?')} s warm-up, pooled"
              if c_config else "C harness not run (--no-c)")
    lines.append(f"- Started {m['date']}; mode **{args.mode}** ({c_runs}; JMH: see benchmarks/README.md)")
    if m["load"]:
        lo, med, hi = m["load"]
        lines.append(f"- 1-minute load average during the run: min {lo:.2f}, median {med:.2f}, max {hi:.2f} "
                     f"on {m['cores']} cores (the machine is shared; above ~1 another job competed)")
    if m["busy"]:
        lines.append(f"- Busiest processes when the run started: {', '.join(m['busy'])}")
    lines.append("")

    misses = []
    body = []
    fdt_section(c, jmh, body, misses)
    digest_section(jmh, body, misses)
    memmap_section(jmh, memmap_facts, body, misses)
    handover_section(jmh, handover_phases, body, misses)
    other_sections(jmh, body)

    lines.append("## Goals (DESIGN.md §7)\n")
    lines.append("- FDT encode, decode+walk and validation ≥ 1.0× libfdt on every workload; ≥ 10× for encode "
                 f"where libfdt's string lookup is quadratic ({QUADRATIC}). Encode is judged like for like: "
                 "both sides write into a reused, exactly sized buffer (the rows returning a new byte[] are "
                 "shown beside it, with the floor that fresh memory sets for them).")
    lines.append(f"- Digests at the JDK intrinsic's speed (here: ≥ {DIGEST_GOAL}× of it).")
    lines.append(f"- Preserved memory map encode and decode within {MEMMAP_GOAL:g}× of a copy of its bitmap bytes, "
                 "like for like: encode against a copy into a reused array, decode (which returns a new map) "
                 "against a copy into a new array (both are shown for both).")
    lines.append(f"- The full demo handover (build + successor's walk) of a 1 TiB / 100-VM host under "
                 f"{fmt_ns(HANDOVER_GOAL_NS)} of work.")
    lines.append("")
    if misses:
        lines.append("Missed in this run:\n")
        lines.extend(f"- {x}" for x in misses)
    else:
        lines.append("Every measured goal was met in this run.")
    lines.append("")
    lines.extend(body)
    lines.append("## Where we are slower and why\n")
    lines.append(read_text(args.notes, "(no notes)"))
    lines.append("")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
