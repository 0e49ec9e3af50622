/*
 * fdtbench: the C side of the kho4j FDT benchmarks, over Debian's libfdt.
 *
 * Builds the same trees as io.kho4j.benchmarks.Workload (call for call; change both or neither) with
 * libfdt's sequential-write API, and walks them with fdt_next_node / fdt_first_property_offset /
 * fdt_getprop_by_offset, touching every name and value byte. Timed with clock_gettime(CLOCK_MONOTONIC):
 * a warm-up, then batches of operations; each batch gives one ns/op sample.
 *
 *   fdtbench [--quick] [WORKLOAD...]   time every operation; one JSON object per line on stdout
 *   fdtbench --dump WORKLOAD FILE      write the blob libfdt builds (WorkloadTest compares it with Java's)
 *   fdtbench --checksum WORKLOAD       print the walk checksum (TreeWalk computes the same sum)
 *
 * Built by build.sh (gcc -O2), never by Maven.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- scripts: the flat begin / property / end call lists, prepared outside the timing ---- */

enum op_kind { OP_BEGIN, OP_PROP, OP_END };

struct op {
	enum op_kind kind;
	const char *name;
	const void *value;
	int len;
};

struct script {
	struct op *ops;
	size_t n, cap;
	long nodes, props;
	uint64_t value_bytes;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

static void add(struct script *s, enum op_kind kind, const char *name, const void *value, int len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ops = realloc(s->ops, s->cap * sizeof(*s->ops));
		if (!s->ops)
			die("out of memory");
	}
	s->ops[s->n++] = (struct op){ kind, name, value, len };
}

static char *format(const char *fmt, ...)
{
	va_list ap;
	char *out;

	va_start(ap, fmt);
	if (vasprintf(&out, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	return out;
}

static void begin(struct script *s, const char *name)
{
	s->nodes++;
	add(s, OP_BEGIN, name, NULL, 0);
}

static void end(struct script *s)
{
	add(s, OP_END, NULL, NULL, 0);
}

/* Takes ownership of value. */
static void prop(struct script *s, const char *name, void *value, int len)
{
	s->props++;
	s->value_bytes += (uint64_t)len;
	add(s, OP_PROP, name, value, len);
}

/* KHO values are CPU-native: little-endian on x86-64 and arm64 (kho-abi.md §1). */
static void put_le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void prop_u32(struct script *s, const char *name, uint32_t v)
{
	uint8_t *p = xmalloc(4);

	put_le(p, v, 4);
	prop(s, name, p, 4);
}

static void prop_u64(struct script *s, const char *name, uint64_t v)
{
	uint8_t *p = xmalloc(8);

	put_le(p, v, 8);
	prop(s, name, p, 8);
}

static void prop_string(struct script *s, const char *name, const char *v)
{
	prop(s, name, strdup(v), (int)strlen(v) + 1);
}

static uint8_t *pairs(long count)
{
	return xmalloc((size_t)count * 16);
}

static void put_pair(uint8_t *mem, long i, uint64_t start, uint64_t size)
{
	put_le(mem + i * 16, start, 8);
	put_le(mem + i * 16 + 8, size, 8);
}

#define RANGES_PER_SUBSYSTEM 16
#define FTRACE_CPUS 256
#define FTRACE_PAIRS_PER_CPU 1024
#define BIG_PROPERTY_PAIRS 1000000
#define MANY_NODES_COUNT 100000
#define MANY_NAMES_COUNT 10000

static const char *const WORKLOADS[] = { "SMALL", "FTRACE", "BIG_PROPERTY", "MANY_NODES", "MANY_NAMES" };
#define WORKLOAD_COUNT (sizeof(WORKLOADS) / sizeof(WORKLOADS[0]))

static void build_small(struct script *s)
{
	static const char *const subsystems[] = { "memblock", "ftrace", "gic", "luo" };

	begin(s, "");
	prop_string(s, "compatible", "kho-v1");
	prop_u64(s, "preserved-memory-map", 0x100000000ULL);
	for (int sub = 0; sub < 4; sub++) {
		begin(s, subsystems[sub]);
		prop_string(s, "compatible", format("%s-v1", subsystems[sub]));
		prop_u64(s, "fdt", 0x100000000ULL + (uint64_t)(sub + 1) * 0x1000);
		for (int r = 0; r < RANGES_PER_SUBSYSTEM; r++) {
			uint64_t start = 0x200000000ULL + (uint64_t)(sub * RANGES_PER_SUBSYSTEM + r) * 0x200000;

			begin(s, format("range@%llx", (unsigned long long)start));
			prop_u64(s, "start", start);
			prop_u64(s, "size", 0x1000ULL << (r % 8));
			end(s);
		}
		end(s);
	}
	end(s);
}

static void build_ftrace(struct script *s)
{
	begin(s, "");
	prop_string(s, "compatible", "ftrace-v1");
	for (int cpu = 0; cpu < FTRACE_CPUS; cpu++) {
		uint8_t *mem = pairs(FTRACE_PAIRS_PER_CPU);

		begin(s, format("cpu%x", cpu));
		prop_string(s, "compatible", "ftrace,cpu-v1");
		prop_u32(s, "cpu", (uint32_t)cpu);
		for (long i = 0; i < FTRACE_PAIRS_PER_CPU; i++)
			put_pair(mem, i, 0x300000000ULL + ((uint64_t)cpu * FTRACE_PAIRS_PER_CPU + i) * 0x1000, 0x1000);
		prop(s, "mem", mem, FTRACE_PAIRS_PER_CPU * 16);
		end(s);
	}
	end(s);
}

static void build_big_property(struct script *s)
{
	uint8_t *mem = pairs(BIG_PROPERTY_PAIRS);

	begin(s, "");
	prop_string(s, "compatible", "kho-v1");
	begin(s, "guest-ram");
	prop_string(s, "compatible", "guest-ram-v1");
	for (long i = 0; i < BIG_PROPERTY_PAIRS; i++)
		put_pair(mem, i, 0x100000000ULL + (uint64_t)i * 0x2000, 0x1000);
	prop(s, "mem", mem, BIG_PROPERTY_PAIRS * 16);
	end(s);
	end(s);
}

static void build_many_nodes(struct script *s)
{
	begin(s, "");
	prop_string(s, "compatible", "kho-v1");
	for (uint32_t i = 0; i < MANY_NODES_COUNT; i++) {
		uint64_t start = 0x100000000ULL + (uint64_t)i * 0x1000;
		char owner[16];

		begin(s, format("page@%llx", (unsigned long long)start));
		prop_string(s, "compatible", "kho-page-v1");
		prop_u64(s, "start", start);
		prop_u64(s, "size", 0x1000);
		prop_u32(s, "order", i % 10);
		prop_u32(s, "numa-node", i % 4);
		prop_u32(s, "flags", i * 0x9E3779B1u);
		prop_u64(s, "generation", i);
		snprintf(owner, sizeof(owner), "vm%u", i % 100);
		prop_string(s, "owner", owner);
		end(s);
	}
	end(s);
}

static void build_many_names(struct script *s)
{
	begin(s, "");
	prop_string(s, "compatible", "kho-v1");
	begin(s, "params");
	for (uint32_t i = 0; i < MANY_NAMES_COUNT; i++)
		prop_u32(s, format("param-%05u", i), i);
	end(s);
	end(s);
}

static struct script build_workload(const char *name)
{
	struct script s = { 0 };

	if (!strcmp(name, "SMALL"))
		build_small(&s);
	else if (!strcmp(name, "FTRACE"))
		build_ftrace(&s);
	else if (!strcmp(name, "BIG_PROPERTY"))
		build_big_property(&s);
	else if (!strcmp(name, "MANY_NODES"))
		build_many_nodes(&s);
	else if (!strcmp(name, "MANY_NAMES"))
		build_many_names(&s);
	else
		die("unknown workload %s", name);
	return s;
}

/* ---- the measured operations ---- */

static int encode(const struct script *s, void *buf, int bufsize)
{
	int err = fdt_create(buf, bufsize);

	if (!err)
		err = fdt_finish_reservemap(buf);
	for (size_t i = 0; i < s->n && !err; i++) {
		const struct op *o = &s->ops[i];

		if (o->kind == OP_BEGIN)
			err = fdt_begin_node(buf, o->name);
		else if (o->kind == OP_PROP)
			err = fdt_property(buf, o->name, o->value, o->len);
		else
			err = fdt_end_node(buf);
	}
	return err ? err : fdt_finish(buf);
}

/* The bytes fdt_create .. fdt_finish need at most: what each call appends, plus padding. */
static size_t encode_bound(const struct script *s)
{
	size_t n = 48 + 16 + 4;

	for (size_t i = 0; i < s->n; i++) {
		const struct op *o = &s->ops[i];

		if (o->kind == OP_BEGIN)
			n += 4 + strlen(o->name) + 1 + 3;
		else if (o->kind == OP_PROP)
			n += 12 + (size_t)o->len + 3 + strlen(o->name) + 1;
		else
			n += 4;
	}
	return n;
}

/* Same sum as io.kho4j.benchmarks.TreeWalk: name bytes one by one, values as LE u64 words + tail bytes. */
static uint64_t value_sum(const uint8_t *v, int len)
{
	uint64_t acc = 0;
	int words = len & ~7;

	for (int i = 0; i < words; i += 8) {
		uint64_t w;

		memcpy(&w, v + i, 8);
		acc += le64toh(w);
	}
	for (int i = words; i < len; i++)
		acc += v[i];
	return acc;
}

static uint64_t name_sum(const char *p, int len)
{
	uint64_t acc = 0;

	for (int i = 0; i < len; i++)
		acc += (uint8_t)p[i];
	return acc;
}

static uint64_t walk(const void *fdt)
{
	uint64_t acc = 0;
	int depth = 0;

	/* fdt_next_node returns the offset past the root's FDT_END_NODE with depth < 0: stop there too. */
	for (int node = fdt_next_node(fdt, -1, &depth); node >= 0 && depth >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		int len;
		const char *name = fdt_get_name(fdt, node, &len);

		if (!name)
			die("fdt_get_name: %s", fdt_strerror(len));
		acc += name_sum(name, len);
		for (int p = fdt_first_property_offset(fdt, node); p >= 0; p = fdt_next_property_offset(fdt, p)) {
			const char *pname;
			int plen;
			const void *v = fdt_getprop_by_offset(fdt, p, &pname, &plen);

			if (!v)
				die("fdt_getprop_by_offset: %s", fdt_strerror(plen));
			acc += name_sum(pname, (int)strlen(pname));
			acc += value_sum(v, plen);
		}
	}
	return acc;
}

struct ctx {
	const struct script *script;
	void *buf;       /* encode target, exactly the blob's size: the best case for libfdt */
	int bufsize;
	const void *blob;
	int blobsize;
};

static uint64_t op_encode(struct ctx *c)
{
	int err = encode(c->script, c->buf, c->bufsize);

	if (err)
		die("encode: %s", fdt_strerror(err));
	return ((const uint8_t *)c->buf)[c->bufsize - 1];
}

static uint64_t op_check_full(struct ctx *c)
{
	int err = fdt_check_full(c->blob, (size_t)c->blobsize);

	if (err)
		die("fdt_check_full: %s", fdt_strerror(err));
	return 0;
}

static uint64_t op_walk(struct ctx *c)
{
	int err = fdt_check_header(c->blob);

	if (err)
		die("fdt_check_header: %s", fdt_strerror(err));
	return walk(c->blob);
}

static uint64_t op_check_full_walk(struct ctx *c)
{
	return op_check_full(c) + walk(c->blob);
}

/* ---- timing ---- */

struct config {
	double warm_s;    /* warm-up time per operation (at least one call) */
	double sample_s;  /* target time of one batch */
	int samples;      /* batches per operation */
	double budget_s;  /* stop sampling after this long once 3 samples exist (the quadratic cases) */
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double quantile(const double *sorted, int n, double q)
{
	double pos = q * (n - 1);
	int lo = (int)pos;
	int hi = lo + 1 < n ? lo + 1 : lo;

	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

static volatile uint64_t sink;

static void measure(const char *op, const char *workload, uint64_t (*fn)(struct ctx *), struct ctx *c,
		    const struct config *cfg)
{
	double start = now_s(), t = start;
	long warm = 0;
	double *ns = xmalloc(sizeof(double) * (size_t)cfg->samples);
	int n = 0;
	uint64_t checksum = 0;

	do {
		checksum = fn(c);
		sink += checksum;
		warm++;
		t = now_s();
	} while (t - start < cfg->warm_s);
	long batch = (long)(cfg->sample_s / ((t - start) / warm));
	if (batch < 1)
		batch = 1;
	double sampling = now_s();
	while (n < cfg->samples) {
		double t0 = now_s();

		for (long i = 0; i < batch; i++)
			sink += fn(c);
		double t1 = now_s();

		ns[n++] = (t1 - t0) * 1e9 / batch;
		if (t1 - sampling > cfg->budget_s && n >= 3)
			break;
	}
	printf("{\"type\":\"c\",\"op\":\"%s\",\"workload\":\"%s\",\"samples_ns\":[", op, workload);
	for (int i = 0; i < n; i++)
		printf("%s%.1f", i ? "," : "", ns[i]);
	qsort(ns, (size_t)n, sizeof(double), cmp_double);
	printf("],\"median_ns\":%.1f,\"min_ns\":%.1f,\"max_ns\":%.1f,\"p25_ns\":%.1f,\"p75_ns\":%.1f,"
	       "\"samples\":%d,\"batch\":%ld,\"bytes\":%d,\"nodes\":%ld,\"properties\":%ld,"
	       "\"value_bytes\":%llu,\"checksum\":\"%016llx\"}\n",
	       quantile(ns, n, 0.5), ns[0], ns[n - 1], quantile(ns, n, 0.25), quantile(ns, n, 0.75), n, batch,
	       c->blobsize, c->script->nodes, c->script->props, (unsigned long long)c->script->value_bytes,
	       (unsigned long long)checksum);
	fflush(stdout);
	free(ns);
}

/* Builds the blob once with room to spare, then a buffer of exactly its size for the timed encodes. */
static void prepare(struct ctx *c, const struct script *s)
{
	size_t bound = encode_bound(s);
	void *scratch;
	int err;

	if (bound > INT32_MAX)
		die("tree too large for libfdt: %zu bytes", bound);
	scratch = xmalloc(bound);
	err = encode(s, scratch, (int)bound);
	if (err)
		die("encode: %s", fdt_strerror(err));
	c->script = s;
	c->blobsize = (int)fdt_totalsize(scratch);
	c->blob = scratch;
	c->bufsize = c->blobsize;
	c->buf = xmalloc((size_t)c->bufsize);
	err = encode(s, c->buf, c->bufsize);
	if (err)
		die("encode into %d bytes: %s", c->bufsize, fdt_strerror(err));
	if (memcmp(c->buf, c->blob, (size_t)c->blobsize))
		die("encoding differs with the buffer size");
}

static int run(const char *workload, const struct config *cfg)
{
	struct script s = build_workload(workload);
	struct ctx c;

	prepare(&c, &s);
	measure("encode", workload, op_encode, &c, cfg);
	measure("check_full", workload, op_check_full, &c, cfg);
	measure("header_walk", workload, op_walk, &c, cfg);
	measure("check_full_walk", workload, op_check_full_walk, &c, cfg);
	return 0;
}

int main(int argc, char **argv)
{
	struct config full = { 1.0, 0.1, 15, 20.0 };
	struct config quick = { 0.2, 0.02, 5, 3.0 };
	const struct config *cfg = &full;
	int first = 1;

	if (argc == 4 && !strcmp(argv[1], "--dump")) {
		struct script s = build_workload(argv[2]);
		struct ctx c;
		FILE *f;

		prepare(&c, &s);
		f = fopen(argv[3], "wb");
		if (!f || fwrite(c.blob, 1, (size_t)c.blobsize, f) != (size_t)c.blobsize || fclose(f))
			die("cannot write %s: %s", argv[3], strerror(errno));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--checksum")) {
		struct script s = build_workload(argv[2]);
		struct ctx c;

		prepare(&c, &s);
		printf("%016llx\n", (unsigned long long)walk(c.blob));
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--quick")) {
		cfg = &quick;
		first = 2;
	}
	printf("{\"type\":\"c-config\",\"compiler\":\"gcc %s\",\"warm_s\":%.2f,\"sample_s\":%.3f,\"samples\":%d}\n",
	       __VERSION__, cfg->warm_s, cfg->sample_s, cfg->samples);
	if (first >= argc) {
		for (size_t i = 0; i < WORKLOAD_COUNT; i++)
			run(WORKLOADS[i], cfg);
	} else {
		for (int i = first; i < argc; i++)
			run(argv[i], cfg);
	}
	return 0;
}
