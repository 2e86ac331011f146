/* detect.h - what devices this machine has, from the tools it carries.
 *
 * The parsers are pure: they take the text a tool printed (recorded outputs in
 * the tests) and append devices to a list.  md_detect() runs the tools found on
 * PATH, each under a short timeout with stderr discarded, and reads /proc (or
 * $ROOFTOP_PROC).  Nothing here fails: a tool that is missing, hangs or prints
 * something unexpected adds nothing, and the list's note says what was found.
 */
#ifndef ROOFTOP_DETECT_H
#define ROOFTOP_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include "catalog/catalog.h"

#define MD_MAX 16
#define MD_SOURCE_MAX 16

struct md_device {
    char id[RT_ID_MAX];             /* a catalog id, or "custom" */
    char name[RT_NAME_MAX];         /* as the tool printed it */
    double memory_bytes;            /* per device: VRAM, or unified/system memory */
    double usable_bytes;            /* per device: free VRAM; Apple: the GPU working set; RAM: available */
    int count;                      /* identical devices */
    char source[MD_SOURCE_MAX];     /* "nvidia-smi", "rocm-smi", "sysctl", "proc" */
    bool unified;                   /* the memory is the system's (Apple, DGX Spark, Strix Halo) */
    bool cpu;                       /* the host processor (from /proc) */
    int gpu_cores;                  /* Apple: GPU cores (system_profiler), 0 unknown */
    char gfx[16];                   /* AMD: the GFX version (rocm-smi), part of the match */
};

struct md_list {
    struct md_device d[MD_MAX];
    size_t n;
    char note[512];                 /* one line: what was found and how, or that nothing was */
};

void md_list_init(struct md_list *l);

/* The catalog id for a device name as a tool prints it ("NVIDIA H100 80GB HBM3" ->
 * "h100-sxm"), given its memory (bytes, 0 unknown) and GPU core count (Apple,
 * 0 unknown); "custom" when no row of the table matches.  When `cat` is not NULL
 * an id the catalog lacks falls back to the row's stand-in or to "custom". */
const char *md_map_name(const char *name, double memory_bytes, int gpu_cores, const struct catalog *cat);

/* Parsers: each appends what it understood and returns the number of devices
 * (identical ones counted) it added.  */
/* nvidia-smi --query-gpu=name,memory.total,memory.used,memory.free --format=csv,noheader[,nounits]:
 * MiB with or without the unit; "[N/A]" memory (DGX Spark's GB10) stays 0. */
int md_parse_nvidia_smi(const char *text, struct md_list *out);
/* rocm-smi --showproductname --showmeminfo vram --json (or --csv). */
int md_parse_rocm_smi(const char *text, struct md_list *out);
/* sysctl -n machdep.cpu.brand_string hw.memsize: "Apple M2 Max\n34359738368\n".
 * wired_mb: iogpu.wired_limit_mb (0: not set, the default working set applies);
 * gpu_cores: from system_profiler (0: unknown). */
int md_parse_sysctl(const char *text, double wired_mb, int gpu_cores, struct md_list *out);
/* "Total Number of Cores: 38" in system_profiler SPDisplaysDataType; 0 if absent. */
int md_parse_gpu_cores(const char *system_profiler_text);
/* /proc/cpuinfo and /proc/meminfo (either may be NULL). */
int md_parse_proc(const char *cpuinfo, const char *meminfo, struct md_list *out);

/* macOS's default GPU working set for unified memory of this size (bytes). */
double md_apple_working_set(double memory_bytes);

/* Run argv[0] (looked up on PATH) with stdout captured into buf, stderr to
 * /dev/null, killed after timeout_ms.  Returns the bytes read, or -1 when the
 * tool is missing, failed or timed out. */
long md_run(const char *const argv[], char *buf, size_t n, int timeout_ms);
/* While a tool runs, a signal that ends rooftop (SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, ...) kills the tool's process group first, then takes its course;
 * on Linux the tool also dies with rooftop (SIGKILL included).  fn (NULL: none)
 * is called once when a tool has not answered within MD_NOTICE_MS. */
#define MD_NOTICE_MS 400
void md_on_wait(void (*fn)(const char *tool, int timeout_ms));
/* Whether an executable of this name is on PATH. */
bool md_on_path(const char *tool);

/* Everything: the tools on PATH, then /proc.  Ids the catalog (may be NULL)
 * lacks become stand-ins or "custom"; the note says what was found. */
void md_detect(struct md_list *out, const struct catalog *cat);

/* The first accelerator (else the host), or NULL when the list is empty. */
const struct md_device *md_primary(const struct md_list *l);

/* Point a scenario at the first detected accelerator that the catalog knows:
 * its id, its count (tensor parallel), and its usable memory as --memory where
 * that is below 95% of the catalog's figure (a busy GPU, Apple's working set).
 * Returns whether the scenario changed; note (may be NULL) says what was found
 * and what was done, in one line. */
struct rt_spec;
bool md_apply(const struct md_list *l, const struct catalog *cat, struct rt_spec *sp, char *note, size_t n);

#endif
