/* test_machine.c - knowing the machine: detection from recorded tool outputs,
 * local models on a fake home folder, launch lines, the "what fits here" ranking. */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "base/slurp.h"
#include "helpers.h"
#include "machine/detect.h"

static char *fixture(const char *name)
{
    const char *src = getenv("srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/machine/%s", src ? src : ".", name);
    char *t = slurp_file(path, NULL, 1 << 20);
    cr_assert(t, "fixture %s", path);
    return t;
}

static const char *fixture_dir(const char *name)
{
    static char path[4096];
    const char *src = getenv("srcdir");
    snprintf(path, sizeof path, "%s/tests/data/machine/%s", src ? src : ".", name);
    return path;
}

/* ---- names to ids ---- */

Test(detect, names_map_to_catalog_ids)
{
    cr_assert_str_eq(md_map_name("NVIDIA H100 80GB HBM3", 81559 * MiB, 0, NULL), "h100-sxm");
    cr_assert_str_eq(md_map_name("NVIDIA H100 PCIe", 81559 * MiB, 0, NULL), "h100-pcie");
    cr_assert_str_eq(md_map_name("NVIDIA H100 NVL", 95830 * MiB, 0, NULL), "h100-nvl");
    cr_assert_str_eq(md_map_name("NVIDIA GeForce RTX 4090", 24564 * MiB, 0, NULL), "rtx-4090");
    cr_assert_str_eq(md_map_name("Apple M2 Max", 32 * GiB, 0, NULL), "m2-max");
    /* word boundaries: A10 is not A100, L4 is not L40S, H200 is not GH200 */
    cr_assert_str_eq(md_map_name("NVIDIA A10", 23028 * MiB, 0, NULL), "a10");
    cr_assert_str_eq(md_map_name("NVIDIA A100-SXM4-80GB", 81920 * MiB, 0, NULL), "a100-sxm-80g");
    cr_assert_str_eq(md_map_name("NVIDIA A100 80GB PCIe", 81920 * MiB, 0, NULL), "a100-pcie-80g");
    cr_assert_str_eq(md_map_name("NVIDIA L40S", 46068 * MiB, 0, NULL), "l40s");
    cr_assert_str_eq(md_map_name("NVIDIA L4", 23034 * MiB, 0, NULL), "l4");
    cr_assert_str_eq(md_map_name("NVIDIA B200", 183359 * MiB, 0, NULL), "b200");
    cr_assert_str_eq(md_map_name("NVIDIA GB200", 189471 * MiB, 0, NULL), "gb200");
    cr_assert_str_eq(md_map_name("NVIDIA RTX PRO 6000 Blackwell Workstation Edition", 97887 * MiB, 0, NULL),
                     "rtx-pro-6000");
    /* a longer name before its prefix */
    cr_assert_str_eq(md_map_name("NVIDIA GeForce RTX 5070 Ti", 16303 * MiB, 0, NULL), "rtx-5070-ti");
    cr_assert_str_eq(md_map_name("NVIDIA GeForce RTX 5070", 12227 * MiB, 0, NULL), "rtx-5070");
    cr_assert_str_eq(md_map_name("Apple M3 Ultra", 512 * GiB, 0, NULL), "m3-ultra");
    /* one name, two memory sizes: the catalog's 16 GB 4060 Ti, not the 8 GB card */
    cr_assert_str_eq(md_map_name("NVIDIA GeForce RTX 4060 Ti", 16380 * MiB, 0, NULL), "rtx-4060-ti");
    cr_assert_str_eq(md_map_name("NVIDIA GeForce RTX 4060 Ti", 8188 * MiB, 0, NULL), "custom");
    /* binned Apple parts: by GPU cores, else by memory (the 32-core M4 Max comes with 36 GB only) */
    cr_assert_str_eq(md_map_name("Apple M4 Max", 36 * GiB, 32, NULL), "m4-max-32c");
    cr_assert_str_eq(md_map_name("Apple M4 Max", 36 * GiB, 0, NULL), "m4-max-32c");
    cr_assert_str_eq(md_map_name("Apple M4 Max", 64 * GiB, 0, NULL), "m4-max");
    cr_assert_str_eq(md_map_name("Apple M4 Max", 128 * GiB, 40, NULL), "m4-max");
    cr_assert_str_eq(md_map_name("Apple M5", 32 * GiB, 10, NULL), "m5");
    cr_assert_str_eq(md_map_name("Some Future Accelerator", 1 * GiB, 0, NULL), "custom");
}

Test(detect, ids_the_catalog_lacks)
{
    /* the built-in catalog has h200; an H200 NVL stands in as it, a made-up id becomes custom */
    cr_assert_str_eq(md_map_name("NVIDIA H100 80GB HBM3", 81559 * MiB, 0, cat()), "h100-sxm");
    const char *id = md_map_name("NVIDIA H200 NVL", 143771 * MiB, 0, cat());
    cr_assert(strcmp(id, "h200-nvl") == 0 || strcmp(id, "h200") == 0, "got %s", id);
    cr_assert_str_eq(md_map_name("NVIDIA GeForce RTX 4070 Ti", 12282 * MiB, 0, NULL), "rtx-4070-ti");
    id = md_map_name("NVIDIA GeForce RTX 4070 Ti", 12282 * MiB, 0, cat());
    cr_assert(strcmp(id, "rtx-4070-ti") == 0 ? catalog_device(cat(), "rtx-4070-ti") != NULL
                                             : strcmp(id, "custom") == 0, "got %s", id);
}

/* ---- nvidia-smi ---- */

Test(detect, nvidia_smi_one_gpu_without_units)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("nvidia-smi-1gpu-nounits.txt");
    cr_assert_eq(md_parse_nvidia_smi(t, &l), 1);
    cr_assert_eq(l.n, 1);
    cr_assert_str_eq(l.d[0].id, "rtx-4090");
    cr_assert_str_eq(l.d[0].name, "NVIDIA GeForce RTX 4090");
    cr_assert_eq(l.d[0].count, 1);
    cr_assert_eq(l.d[0].memory_bytes, 24564.0 * 1048576.0); /* 25,757,220,864 B */
    cr_assert_eq(l.d[0].usable_bytes, 22410.0 * 1048576.0); /* the free MiB */
    cr_assert_str_eq(l.d[0].source, "nvidia-smi");
    free(t);
}

Test(detect, nvidia_smi_eight_gpus_with_units)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("nvidia-smi-8gpu-units.txt");
    cr_assert_eq(md_parse_nvidia_smi(t, &l), 8);
    cr_assert_eq(l.n, 1, "identical GPUs are one entry");
    cr_assert_eq(l.d[0].count, 8);
    cr_assert_str_eq(l.d[0].id, "h100-sxm");
    cr_assert_eq(l.d[0].memory_bytes, 85520809984.0); /* 81559 MiB: 85.52 GB */
    /* usable: the busiest GPU binds a tensor-parallel group (40046 MiB free) */
    cr_assert_eq(l.d[0].usable_bytes, 40046.0 * 1048576.0);
    free(t);
}

Test(detect, nvidia_smi_mixed_gpus_and_failures)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("nvidia-smi-mixed.txt");
    cr_assert_eq(md_parse_nvidia_smi(t, &l), 4);
    cr_assert_eq(l.n, 4);
    cr_assert_str_eq(l.d[0].id, "a100-sxm-40g");
    cr_assert_str_eq(l.d[1].id, "l4");
    cr_assert_str_eq(l.d[2].id, "t4");
    cr_assert_str_eq(l.d[3].id, "custom", "the 8 GB 4060 Ti is not the catalog's 16 GB card");
    cr_assert_eq(l.d[3].memory_bytes, 8188.0 * 1048576.0);
    free(t);
    /* no driver: a message, no devices */
    md_list_init(&l);
    t = fixture("nvidia-smi-nodriver.txt");
    cr_assert_eq(md_parse_nvidia_smi(t, &l), 0);
    cr_assert_eq(l.n, 0);
    free(t);
    cr_assert_eq(md_parse_nvidia_smi("", &l), 0);
    cr_assert_eq(md_parse_nvidia_smi(NULL, &l), 0);
    cr_assert_eq(md_parse_nvidia_smi("garbage, x\n,,,\n", &l), 0);
}

Test(detect, dgx_spark_reports_no_memory)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("nvidia-smi-gb10.txt");
    cr_assert_eq(md_parse_nvidia_smi(t, &l), 1);
    cr_assert_str_eq(l.d[0].id, "dgx-spark");
    cr_assert(l.d[0].unified);
    cr_assert_eq(l.d[0].memory_bytes, 0, "[N/A]: filled from /proc/meminfo by md_detect");
    free(t);
}

/* ---- rocm-smi ---- */

Test(detect, rocm_smi_json)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("rocm-smi-mi300x.json");
    cr_assert_eq(md_parse_rocm_smi(t, &l), 2);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.d[0].count, 2);
    cr_assert_str_eq(l.d[0].id, "mi300x");
    cr_assert_str_eq(l.d[0].source, "rocm-smi");
    cr_assert_eq(l.d[0].memory_bytes, 206158430208.0); /* 192 GiB */
    /* usable: total minus used on the busier card, 192 GiB - 10 GiB */
    cr_assert_eq(l.d[0].usable_bytes, 206158430208.0 - 10737418240.0);
    free(t);
}

Test(detect, rocm_smi_csv_by_gfx_version)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("rocm-smi-7900xtx.csv");
    cr_assert_eq(md_parse_rocm_smi(t, &l), 2);
    cr_assert_eq(l.n, 2);
    /* the series names four cards; gfx1100 with 24 GB is the XTX */
    cr_assert_str_eq(l.d[0].id, "rx-7900-xtx");
    cr_assert_eq(l.d[0].memory_bytes, 25753026560.0);
    cr_assert_eq(l.d[0].usable_bytes, 25753026560.0 - 1073741824.0);
    cr_assert_str_eq(l.d[1].id, "custom", "an integrated Raphael GPU");
    free(t);
}

/* ---- Apple ---- */

Test(detect, sysctl_apple_m2_max)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("sysctl-m2max.txt"), *sp = fixture("system_profiler-m2max.txt");
    int cores = md_parse_gpu_cores(sp);
    cr_assert_eq(cores, 38);
    cr_assert_eq(md_parse_sysctl(t, 0, cores, &l), 1);
    cr_assert_str_eq(l.d[0].id, "m2-max");
    cr_assert_str_eq(l.d[0].source, "sysctl");
    cr_assert(l.d[0].unified);
    cr_assert_eq(l.d[0].memory_bytes, 34359738368.0);
    /* 2/3 of 32 GiB = 21845.33 MiB, Metal's recommendedMaxWorkingSetSize on a 32 GB M2 Max */
    assert_rel(l.d[0].usable_bytes / MiB, 21845.33, 1e-6, "got %f", l.d[0].usable_bytes / MiB);
    free(t);
    free(sp);
}

Test(detect, sysctl_binned_and_wired_limit)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("sysctl-m4max-36g.txt");
    cr_assert_eq(md_parse_sysctl(t, 0, 0, &l), 1);
    cr_assert_str_eq(l.d[0].id, "m4-max-32c");
    free(t);
    md_list_init(&l);
    t = fixture("sysctl-m4max-64g.txt");
    cr_assert_eq(md_parse_sysctl(t, 0, 40, &l), 1);
    cr_assert_str_eq(l.d[0].id, "m4-max");
    cr_assert_eq(l.d[0].usable_bytes, 48.0 * GiB, "3/4 of 64 GiB");
    md_list_init(&l);
    cr_assert_eq(md_parse_sysctl(t, 57344, 40, &l), 1); /* iogpu.wired_limit_mb = 56 GiB */
    cr_assert_eq(l.d[0].usable_bytes, 56.0 * GiB);
    free(t);
    md_list_init(&l);
    t = fixture("sysctl-intel.txt");
    cr_assert_eq(md_parse_sysctl(t, 0, 0, &l), 0, "an Intel Mac has no unified-memory GPU");
    free(t);
    cr_assert_eq(md_parse_gpu_cores("no cores here"), 0);
}

/* ---- /proc ---- */

Test(detect, proc_two_socket_epyc)
{
    struct md_list l;
    md_list_init(&l);
    char path[4096];
    snprintf(path, sizeof path, "%s/cpuinfo", fixture_dir("proc-epyc"));
    char *ci = slurp_file(path, NULL, 1 << 20);
    snprintf(path, sizeof path, "%s/meminfo", fixture_dir("proc-epyc"));
    char *mi = slurp_file(path, NULL, 1 << 20);
    cr_assert(ci && mi);
    cr_assert_eq(md_parse_proc(ci, mi, &l), 1);
    cr_assert_str_eq(l.d[0].name, "AMD EPYC 9654 96-Core Processor");
    cr_assert_str_eq(l.d[0].id, "epyc-genoa");
    cr_assert_eq(l.d[0].count, 2, "two physical ids");
    cr_assert(l.d[0].cpu);
    cr_assert_eq(l.d[0].memory_bytes, 792237428.0 * 1024);
    cr_assert_eq(l.d[0].usable_bytes, 780000000.0 * 1024);
    free(ci);
    free(mi);
}

/* ---- the runner and the whole detection ---- */

static char tmpdir[256];

static void write_tool(const char *name, const char *body)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(path, 0755);
}

static void make_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/rooftop-machine-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "/bin/rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

static double now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec * 1e-6;
}

Test(detect, runner_reads_output_and_kills_a_hung_tool, .init = make_tmp, .fini = rm_tmp)
{
    char body[4096];
    snprintf(body, sizeof body, "echo to-stderr >&2\nexec /bin/cat '%s/tests/data/machine/nvidia-smi-8gpu-units.txt'",
             getenv("srcdir") ? getenv("srcdir") : ".");
    write_tool("nvidia-smi", body);
    write_tool("rocm-smi", "sleep 30");
    char path[1024];
    snprintf(path, sizeof path, "%s", tmpdir);
    setenv("PATH", path, 1);
    cr_assert(md_on_path("nvidia-smi"));
    cr_assert(!md_on_path("no-such-tool"));
    char buf[4096];
    const char *nv[] = { "nvidia-smi", NULL };
    long n = md_run(nv, buf, sizeof buf, 3000);
    cr_assert_eq(n, 412, "got %ld: %s", n, buf);
    cr_assert(strstr(buf, "NVIDIA H100 80GB HBM3") && !strstr(buf, "to-stderr"), "stderr is discarded");
    const char *hang[] = { "rocm-smi", NULL };
    double t0 = now();
    cr_assert_eq(md_run(hang, buf, sizeof buf, 300), -1);
    cr_assert(now() - t0 < 5, "a hung tool is killed at its timeout");
    /* a tiny buffer: truncated, still terminated */
    char tiny[8];
    cr_assert_eq(md_run(nv, tiny, sizeof tiny, 3000), 7);
    cr_assert_eq(strlen(tiny), 7);
    const char *missing[] = { "no-such-tool", NULL };
    cr_assert_eq(md_run(missing, buf, sizeof buf, 300), -1);
}

Test(detect, whole_detection_with_fake_tools, .init = make_tmp, .fini = rm_tmp)
{
    char body[4096];
    snprintf(body, sizeof body, "exec /bin/cat '%s/tests/data/machine/nvidia-smi-gb10.txt'",
             getenv("srcdir") ? getenv("srcdir") : ".");
    write_tool("nvidia-smi", body);
    setenv("PATH", tmpdir, 1);
    setenv("ROOFTOP_PROC", fixture_dir("proc-ryzen"), 1);
    struct md_list l;
    double t0 = now();
    md_detect(&l, NULL);
    cr_assert(now() - t0 < 10);
    cr_assert_eq(l.n, 2, "%s", l.note);
    /* DGX Spark: nvidia-smi says [N/A]; the system memory is the GPU's */
    cr_assert_str_eq(l.d[0].id, "dgx-spark");
    cr_assert_eq(l.d[0].memory_bytes, 65536000.0 * 1024);
    cr_assert_eq(l.d[0].usable_bytes, 50000000.0 * 1024);
    cr_assert_str_eq(l.d[1].id, "cpu-ddr5-2ch", "a Ryzen 7000 desktop part is DDR5-only (AM5)");
    cr_assert_str_eq(l.d[1].source, "proc");
    cr_assert(strstr(l.note, "NVIDIA GB10") && strstr(l.note, "nvidia-smi"), "%s", l.note);
    cr_assert_eq(md_primary(&l), &l.d[0]);
}

Test(detect, nothing_found_is_a_note_not_an_error, .init = make_tmp, .fini = rm_tmp)
{
    setenv("PATH", tmpdir, 1);
    char empty[512];
    snprintf(empty, sizeof empty, "%s/none", tmpdir);
    setenv("ROOFTOP_PROC", empty, 1);
    struct md_list l;
    md_detect(&l, cat());
    cr_assert_eq(l.n, 0);
    cr_assert(strstr(l.note, "no devices detected"), "%s", l.note);
    cr_assert_null(md_primary(&l));
    /* a Strix Halo seen only through /proc is the device, with the system's memory */
    setenv("ROOFTOP_PROC", fixture_dir("proc-strix"), 1);
    md_detect(&l, NULL);
    cr_assert_eq(l.n, 1);
    cr_assert_str_eq(l.d[0].id, "strix-halo");
    cr_assert(l.d[0].unified && !l.d[0].cpu);
    cr_assert_eq(l.d[0].memory_bytes, 131072000.0 * 1024);
}

/* ---- launch lines ---- */
#include "machine/launch.h"

static struct rt_resolved *resolve(const char *model, const char *gpu, const char *w, const char *kv, int64_t n,
                                   int64_t pp, int64_t batch, int64_t prompt, int64_t output, const char *engine)
{
    static struct rt_resolved rs;
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "%s", model);
    snprintf(sp.gpu, sizeof sp.gpu, "%s", gpu);
    snprintf(sp.weights, sizeof sp.weights, "%s", w);
    snprintf(sp.kv, sizeof sp.kv, "%s", kv);
    snprintf(sp.engine, sizeof sp.engine, "%s", engine);
    sp.devices = n;
    sp.pp = pp;
    sp.batch = batch;
    sp.prompt = prompt;
    sp.output = output;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    return &rs;
}

Test(launch, llama_cpp_server)
{
    struct rt_resolved *rs = resolve("mistral-7b", "rtx-4090", "q4_k_m", "q8_0", 1, 0, 4, 4096, 4096, "llama.cpp");
    char line[1024], note[256];
    cr_assert_eq(launch_line(rs, "mistral-7b", line, sizeof line, note, sizeof note), RT_OK);
    /* 32 layers + the output layer on the GPU; 4 slots share 4 x 8192 tokens of cache */
    cr_assert_str_eq(line, "llama-server -m mistral-7b-Q4_K_M.gguf -ngl 33 -c 32768 -np 4 "
                           "--cache-type-k q8_0 --cache-type-v q8_0 -fa on");
    /* no GGUF repository known: the file name is made up, and the note says so (issue 23) */
    cr_assert(strstr(note, "mistral-7b-Q4_K_M.gguf is a placeholder"), "%s", note);
    /* a line longer than the buffer is refused with its reason, never cut short */
    char small[40];
    cr_assert_eq(launch_line(rs, "mistral-7b", small, sizeof small, note, sizeof note), RT_EINVAL);
    cr_assert(strstr(small, "the launch line is"), "%s", small);
    /* a published GGUF repository (the catalog's gguf_repo): -hf REPO:QUANT, no placeholder */
    rs = resolve("llama-3.1-8b", "rtx-4090", "q4_k_m", "q8_0", 1, 0, 4, 4096, 4096, "llama.cpp");
    cr_assert_eq(launch_line(rs, "llama-3.1-8b", line, sizeof line, note, sizeof note), RT_OK);
    cr_assert_str_eq(line, "llama-server -hf bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M -ngl 33 -c 32768 -np 4 "
                           "--cache-type-k q8_0 --cache-type-v q8_0 -fa on");
    cr_assert(!strstr(note, "placeholder") && strstr(note, "must publish that type"), "%s", note);
    cr_assert_eq(launch_line(rs, "llama-3.1-8b", small, sizeof small, note, sizeof note), RT_EINVAL);
    cr_assert(strstr(small, "the launch line is"), "%s", small);
    /* a GGUF file given by path is used as is (quoted for the shell); 16-bit cache, no -fa */
    rs = resolve("llama-3.1-8b", "rtx-4090", "q4_k_m", "fp16", 1, 0, 1, 1000, 24, "llama.cpp");
    cr_assert_eq(launch_line(rs, "/models/my model.gguf", line, sizeof line, NULL, 0), RT_OK);
    cr_assert_str_eq(line, "llama-server -m '/models/my model.gguf' -ngl 33 -c 1024 -np 1 "
                           "--cache-type-k f16 --cache-type-v f16");
}

Test(launch, llama_cpp_partial_offload_and_cpu)
{
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3.1-70b");
    snprintf(sp.gpu, sizeof sp.gpu, "rtx-4090");
    snprintf(sp.weights, sizeof sp.weights, "q4_k_m");
    snprintf(sp.engine, sizeof sp.engine, "llama.cpp");
    sp.gpu_layers = 40;
    sp.prompt = 2048;
    sp.output = 2048;
    static struct rt_resolved rs;
    char err[512], line[1024];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(launch_line(&rs, NULL, line, sizeof line, NULL, 0), RT_OK);
    cr_assert(strstr(line, " -ngl 40 -c 4096 -np 1 "), "%s", line);
    struct rt_resolved *cpu = resolve("mistral-7b", "cpu-ddr5-2ch", "q8_0", "", 1, 0, 1, 512, 512, "llama.cpp");
    cr_assert_eq(launch_line(cpu, NULL, line, sizeof line, NULL, 0), RT_OK);
    cr_assert(strstr(line, "-m mistral-7b-Q8_0.gguf -ngl 0 -c 1024"), "%s", line);
}

Test(launch, vllm_serve)
{
    struct rt_resolved *rs = resolve("llama-3.1-70b", "h100-sxm", "bf16", "", 4, 0, 64, 2048, 512, "vllm");
    char line[1024], note[256];
    rs->model.hf_repo[0] = 0; /* a model without hf_repo: its catalog id */
    cr_assert_eq(launch_line(rs, "llama-3.1-70b", line, sizeof line, note, sizeof note), RT_OK);
    cr_assert_str_eq(line, "vllm serve llama-3.1-70b --tensor-parallel-size 4 --max-model-len 2560 --max-num-seqs 64 "
                           "--gpu-memory-utilization 0.90 --kv-cache-dtype auto --dtype bfloat16");
    /* the catalog's hf_repo names the repository; FP8 weights and cache; pipeline stages */
    rs = resolve("llama-3.1-70b", "h100-sxm", "fp8", "fp8", 4, 2, 8, 8192, 8192, "vllm");
    cr_assert_eq(launch_line(rs, "llama-3.1-70b", line, sizeof line, note, sizeof note), RT_OK);
    cr_assert_str_eq(line, "vllm serve meta-llama/Llama-3.1-70B-Instruct --tensor-parallel-size 2 "
                           "--pipeline-parallel-size 2 --max-model-len 16384 --max-num-seqs 8 "
                           "--gpu-memory-utilization 0.90 --kv-cache-dtype fp8 --quantization fp8");
    /* int4 weights come from a quantized checkpoint: said in the note */
    rs = resolve("llama-3.1-8b", "a10", "int4", "fp16", 1, 0, 1, 1024, 256, "vllm");
    cr_assert_eq(launch_line(rs, NULL, line, sizeof line, note, sizeof note), RT_OK);
    cr_assert(strstr(note, "already quantized to int4"), "%s", note);
    /* a config.json path: its folder is the checkpoint */
    cr_assert_eq(launch_line(rs, "/ckpt/llama/config.json", line, sizeof line, NULL, 0), RT_OK);
    cr_assert(strncmp(line, "vllm serve /ckpt/llama --tensor-parallel-size 1", 47) == 0, "%s", line);
}

Test(launch, sglang_launch_server)
{
    struct rt_resolved *rs = resolve("qwen2.5-72b", "h100-sxm", "fp8", "fp8", 4, 2, 32, 4096, 1024, "sglang");
    char line[1024];
    cr_assert_eq(launch_line(rs, NULL, line, sizeof line, NULL, 0), RT_OK);
    cr_assert_str_eq(line, "python -m sglang.launch_server --model-path Qwen/Qwen2.5-72B-Instruct --tp 2 --pp-size 2 "
                           "--context-length 5120 --max-running-requests 32 --mem-fraction-static 0.90 "
                           "--kv-cache-dtype fp8_e4m3 --quantization fp8");
}

Test(launch, trtllm_serve_and_engines_without_one)
{
    struct rt_resolved *rs = resolve("llama-3.1-405b", "h200", "fp8", "fp8", 8, 0, 256, 2048, 1024, "trtllm");
    char line[1024], note[256];
    cr_assert_eq(launch_line(rs, NULL, line, sizeof line, note, sizeof note), RT_OK);
    cr_assert_str_eq(line, "trtllm-serve meta-llama/Llama-3.1-405B-Instruct --tp_size 8 --pp_size 1 "
                           "--max_batch_size 256 --max_seq_len 3072 --kv_cache_free_gpu_memory_fraction 0.95");
    cr_assert(strstr(note, "kv_cache_config: dtype: fp8"), "%s", note);
    rs = resolve("llama-3.1-8b", "h100-sxm", "bf16", "", 1, 0, 1, 1024, 256, "ideal");
    cr_assert_eq(launch_line(rs, NULL, line, sizeof line, NULL, 0), RT_EINVAL);
    cr_assert(strstr(line, "no launch line for engine 'ideal'"), "%s", line);
    /* a small buffer never overruns, and a line that does not fit is refused, not cut (issue 23) */
    char tiny[16];
    rs = resolve("llama-3.1-8b", "h100-sxm", "bf16", "", 1, 0, 1, 1024, 256, "vllm");
    cr_assert_eq(launch_line(rs, NULL, tiny, sizeof tiny, NULL, 0), RT_EINVAL);
    cr_assert_eq(strlen(tiny), 15);
}

/* ---- what fits here ---- */
#include "machine/rank.h"

static const struct rank_row *row_of(const struct rank_table *t, const char *model, const char *w)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].model->id, model) == 0 && strcmp(t->rows[i].weights->id, w) == 0)
            return &t->rows[i];
    return NULL;
}

Test(rank, an_8gb_device_hand_worked)
{
    /* RTX 3070, 8 GB, llama.cpp at batch 1, 1024 + 256 tokens */
    struct rt_resolved *rs = resolve("llama-3.1-8b", "rtx-3070", "q4_k_m", "", 1, 0, 1, 1024, 256, "llama.cpp");
    struct rank_table t;
    rank_init(&t);
    cr_assert_eq(rank_build(cat(), &rs->s, RANK_BY_FIT, &t), RT_OK);
    cr_assert_geq(t.n, cat()->n_models * 4, "every model at the GGUF types");
    /* 16-bit: 2 x 8,030,261,248 = 16,060,522,496 bytes of weights: only with layers in host memory */
    const struct rank_row *f16 = row_of(&t, "llama-3.1-8b", "fp16");
    cr_assert(f16);
    cr_assert_eq(f16->weights_bytes, 16060522496.0);
    cr_assert(f16->offload && f16->gpu_layers >= 0 && f16->gpu_layers < 32, "layers %lld",
              (long long)f16->gpu_layers);
    /* Q8_0: 8.5 bits -> 8,532,152,576 bytes, more than the 8 GB card: offloaded too */
    const struct rank_row *q8 = row_of(&t, "llama-3.1-8b", "q8_0");
    cr_assert_eq(q8->weights_bytes, 8030261248.0 * 8.5 / 8);
    cr_assert(q8->offload);
    /* Q4_K_M: 4.8944 bits -> 4.91 GB, plus 1280 tokens x 131,072 B of KV: fits whole */
    const struct rank_row *q4 = row_of(&t, "llama-3.1-8b", "q4_k_m");
    assert_rel(q4->weights_bytes, 8030261248.0 * 4.8944 / 8, 1e-9, "q4_k_m weights");
    cr_assert(q4->fits && !q4->offload && q4->gpu_layers == -1);
    cr_assert_gt(q4->headroom_bytes, 2e9);
    cr_assert_lt(q4->headroom_bytes, 8e9 - 4.91e9);
    cr_assert_gt(q4->decode_tokens_per_s, 0);
    cr_assert_gt(q4->max_context, 1280);
    /* 405B does not fit at any type, even offloaded into 2-channel DDR5's default size */
    const struct rank_row *big = row_of(&t, "llama-3.1-405b", "q4_k_m");
    cr_assert(big && !big->fits);
    cr_assert_lt(big->headroom_bytes, 0);
    rank_free(&t);
}

Test(rank, serving_engine_formats_and_max_context)
{
    /* vLLM on an RTX 4090: 16-bit, INT8 (no FP8 on Ada? the catalog says) and INT4 */
    struct rt_resolved *rs = resolve("llama-3.1-8b", "rtx-4090", "bf16", "bf16", 1, 0, 1, 1024, 256, "vllm");
    const struct rt_format *f[16];
    size_t nf = rank_formats(cat(), &rs->s, f, 16);
    cr_assert_eq(nf, 3);
    cr_assert_str_eq(f[0]->id, "bf16");
    cr_assert_str_eq(f[1]->id, rs->device.peak[RT_FP8] > 0 ? "fp8" : "int8");
    cr_assert_str_eq(f[2]->id, "int4");
    struct rank_table t;
    rank_init(&t);
    cr_assert_eq(rank_build(cat(), &rs->s, RANK_BY_FIT, &t), RT_OK);
    /* three rows a model, and a fourth for a model that ships in none of the three: on a card
     * with an FP8 rate the two gpt-oss (MXFP4) and NVIDIA's FP4 DeepSeek-R1 (NVFP4, its
     * attention bf16) do; DeepSeek's FP8 is the fp8 row */
    size_t heads = 0; /* EAGLE-3 heads are drafts: not ranked */
    for (size_t i = 0; i < cat()->n_models; i++)
        heads += rt_model_is_draft_head(&cat()->models[i]);
    cr_assert_gt(heads, 0);
    cr_assert_eq(t.n, (cat()->n_models - heads) * 3 + 3);
    cr_assert(row_of(&t, "gpt-oss-20b", "mxfp4")->native, "gpt-oss ranked as shipped");
    cr_assert(row_of(&t, "deepseek-r1-fp4", "nvfp4")->native, "NVIDIA's FP4 DeepSeek-R1 ranked as shipped");
    cr_assert(row_of(&t, "deepseek-v3", "fp8")->native && !row_of(&t, "deepseek-v3", "bf16")->native);
    const struct rank_row *r = row_of(&t, "llama-3.1-8b", "bf16");
    cr_assert(r->fits && r->native);
    /* hand-worked: 0.9 x 24 GB = 21.6 GB usable; minus 16.0605 GB weights, 0.5 GB runtime
     * context and one 2048-token prefill chunk of activations (vllm serve's budget on a GPU
     * under 70 GiB: 2048 x 2 B x (2 x 4096 + 2 x 14336) = 0.151 GB) leaves 4.889 GB for
     * 131,072 B/token of BF16 KV: 37,297 tokens */
    assert_rel(r->max_context, 37297, 0.01, "max context %lld", (long long)r->max_context);
    /* a row is the same estimate as resolving that scenario in full */
    struct rt_result full = estimate(&rs->s);
    cr_assert_eq(r->decode_tokens_per_s, full.tok_s_seq);
    cr_assert_eq(r->ttft_s, full.ttft_s);
    cr_assert_eq(r->per_device_bytes, full.per_device_bytes);
    /* 70B at 4 bits is ~36 GB: not on one 24 GB card, and vLLM does not offload */
    const struct rank_row *b = row_of(&t, "llama-3.1-70b", "int4");
    cr_assert(!b->fits && !b->offload);
    rank_free(&t);
}

Test(rank, sort_orders)
{
    struct rt_resolved *rs = resolve("llama-3.1-8b", "a100-sxm-80g", "bf16", "", 1, 0, 4, 2048, 512, "vllm");
    struct rank_table t;
    rank_init(&t);
    enum rank_sort by;
    cr_assert(rank_sort_parse("speed", &by) && by == RANK_BY_SPEED);
    cr_assert(!rank_sort_parse("fastest", &by));
    cr_assert_str_eq(rank_sort_name(RANK_BY_CONTEXT), "context");
    cr_assert_eq(rank_build(cat(), &rs->s, RANK_BY_FIT, &t), RT_OK);
    size_t nfit = 0;
    for (size_t i = 0; i < t.n; i++)
        nfit += t.rows[i].fits;
    cr_assert(nfit > 0 && nfit < t.n);
    for (size_t i = 1; i < t.n; i++) {
        cr_assert(t.rows[i - 1].fits >= t.rows[i].fits, "fit: what fits comes first");
        if (t.rows[i].fits)
            cr_assert_geq(t.rows[i - 1].params_total, t.rows[i].params_total, "fit: the largest model first");
    }
    rank_sort(&t, RANK_BY_SPEED);
    for (size_t i = 1; i < nfit; i++)
        cr_assert_geq(t.rows[i - 1].decode_tokens_per_s, t.rows[i].decode_tokens_per_s);
    rank_sort(&t, RANK_BY_CONTEXT);
    for (size_t i = 1; i < nfit; i++)
        cr_assert_geq(t.rows[i - 1].max_context, t.rows[i].max_context);
    rank_sort(&t, RANK_BY_SIZE);
    for (size_t i = 1; i < t.n; i++)
        cr_assert_leq(t.rows[i - 1].per_device_bytes, t.rows[i].per_device_bytes);
    /* rebuilding reuses the rows */
    struct rank_row *rows = t.rows;
    cr_assert_eq(rank_build(cat(), &rs->s, RANK_BY_SIZE, &t), RT_OK);
    cr_assert_eq(t.rows, rows);
    rank_free(&t);
}

/* ---- local models on a fake home folder ---- */
#include "machine/local.h"

#define DIGEST "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void sh(const char *body, const char *dir)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && %s", dir, body);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void fake_home(void)
{
    make_tmp();
    unsetenv("OLLAMA_MODELS");
    unsetenv("HF_HUB_CACHE");
    unsetenv("HF_HOME");
    unsetenv("LLAMA_CACHE");
    unsetenv("XDG_CACHE_HOME");
    /* Ollama: a library model, a model pulled from hf.co, a manifest with a hostile digest */
    sh("M=.ollama/models && mkdir -p $M/blobs $M/manifests/registry.ollama.ai/library/llama3.1 "
       "$M/manifests/hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF && "
       "printf 'GGUF....' > $M/blobs/sha256-" DIGEST " && "
       "printf '{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.template\","
       "\"digest\":\"sha256:" DIGEST "\",\"size\":1},{\"mediaType\":\"application/vnd.ollama.image.model\","
       "\"digest\":\"sha256:" DIGEST "\",\"size\":4920753328}]}' > $M/manifests/registry.ollama.ai/library/llama3.1/8b && "
       "printf '{\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"sha256:" DIGEST "\"}]}' "
       "> $M/manifests/hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF/Q4_K_M && "
       "printf '{\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"sha256:../../x\"}]}' "
       "> $M/manifests/registry.ollama.ai/library/llama3.1/bad && "
       "printf 'not json' > $M/manifests/registry.ollama.ai/library/llama3.1/broken", tmpdir);
    /* LM Studio: a model, a vision projector (skipped), a readme, a symlink loop */
    sh("L=.lmstudio/models/lmstudio-community/Qwen2.5-7B-Instruct-GGUF && mkdir -p $L && "
       "head -c 100 /dev/zero > $L/Qwen2.5-7B-Instruct-Q4_K_M.gguf && head -c 10 /dev/zero > $L/mmproj-model-f16.gguf && "
       "echo hi > $L/README.md && ln -s .. .lmstudio/models/loop && ln -s . $L/self", tmpdir);
    /* the Hugging Face hub cache: a snapshot of symlinks into blobs, refs/main naming it */
    sh("H=.cache/huggingface/hub/models--meta-llama--Llama-3.2-1B && "
       "mkdir -p $H/blobs $H/refs $H/snapshots/abc123 $H/snapshots/old && printf abc123 > $H/refs/main && "
       "head -c 30 /dev/zero > $H/blobs/b1 && head -c 1000 /dev/zero > $H/blobs/b2 && "
       "ln -s ../../blobs/b1 $H/snapshots/abc123/config.json && ln -s ../../blobs/b2 $H/snapshots/abc123/model.safetensors && "
       "mkdir -p .cache/huggingface/hub/datasets--x--y", tmpdir);
    /* llama.cpp's cache */
    sh("mkdir -p .cache/llama.cpp && head -c 50 /dev/zero > "
       ".cache/llama.cpp/ggml-org_gemma-3-1b-it-GGUF_gemma-3-1b-it-Q4_K_M.gguf", tmpdir);
}

Test(local, finds_models_in_each_store, .init = fake_home, .fini = rm_tmp)
{
    struct lm_list l;
    lm_init(&l);
    cr_assert_eq(lm_discover(tmpdir, &l), 5);
    /* sorted by source, then name */
    cr_assert_str_eq(l.m[0].source, "huggingface");
    cr_assert_str_eq(l.m[0].name, "meta-llama/Llama-3.2-1B");
    cr_assert_eq(l.m[0].kind, LM_HF);
    cr_assert_str_eq(lm_kind_name(l.m[0].kind), "hf");
    cr_assert(strstr(l.m[0].path, "/snapshots/abc123/config.json"), "%s", l.m[0].path);
    /* the weights (model.safetensors, 1000 bytes behind its symlink), not the 30-byte config.json (issue 23) */
    cr_assert_eq(l.m[0].size_bytes, 1000, "the weight files behind the snapshot's symlinks: %g", l.m[0].size_bytes);
    cr_assert_str_eq(l.m[1].source, "llama.cpp");
    cr_assert_str_eq(l.m[1].name, "ggml-org_gemma-3-1b-it-GGUF_gemma-3-1b-it-Q4_K_M.gguf");
    cr_assert_eq(l.m[1].size_bytes, 50);
    cr_assert_str_eq(l.m[2].source, "lmstudio");
    cr_assert_str_eq(l.m[2].name, "lmstudio-community/Qwen2.5-7B-Instruct-GGUF/Qwen2.5-7B-Instruct-Q4_K_M.gguf");
    cr_assert_eq(l.m[2].size_bytes, 100);
    cr_assert_eq(l.m[2].kind, LM_GGUF);
    cr_assert_str_eq(l.m[3].source, "ollama");
    cr_assert_str_eq(l.m[3].name, "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M");
    cr_assert_eq(l.m[3].size_bytes, 8, "no size in the manifest: the blob's");
    cr_assert_str_eq(l.m[4].name, "llama3.1:8b");
    cr_assert_eq(l.m[4].size_bytes, 4920753328.0, "the manifest's layer size");
    cr_assert(strstr(l.m[4].path, "/.ollama/models/blobs/sha256-" DIGEST), "%s", l.m[4].path);
    lm_free(&l);
}

Test(local, environment_variables_move_the_stores, .init = fake_home, .fini = rm_tmp)
{
    sh("mkdir -p elsewhere/hub/models--Qwen--Qwen3-8B/snapshots/r1 elsewhere/ll && "
       "echo '{}' > elsewhere/hub/models--Qwen--Qwen3-8B/snapshots/r1/config.json && "
       "head -c 7 /dev/zero > elsewhere/ll/x.GGUF", tmpdir);
    char p[1024];
    snprintf(p, sizeof p, "%s/elsewhere", tmpdir);
    setenv("HF_HOME", p, 1);
    snprintf(p, sizeof p, "%s/elsewhere/ll", tmpdir);
    setenv("LLAMA_CACHE", p, 1);
    snprintf(p, sizeof p, "%s/nowhere", tmpdir);
    setenv("OLLAMA_MODELS", p, 1);
    struct lm_list l;
    lm_init(&l);
    cr_assert_eq(lm_discover(tmpdir, &l), 3);
    cr_assert_str_eq(l.m[0].name, "Qwen/Qwen3-8B");
    cr_assert_str_eq(l.m[1].name, "x.GGUF");
    cr_assert_str_eq(l.m[2].source, "lmstudio");
    /* HF_HUB_CACHE wins over HF_HOME */
    snprintf(p, sizeof p, "%s/.cache/huggingface/hub", tmpdir);
    setenv("HF_HUB_CACHE", p, 1);
    cr_assert_eq(lm_discover(tmpdir, &l), 3);
    cr_assert_str_eq(l.m[0].name, "meta-llama/Llama-3.2-1B");
    lm_free(&l);
    /* an empty or missing home: nothing, no error */
    unsetenv("HF_HUB_CACHE");
    unsetenv("HF_HOME");
    unsetenv("LLAMA_CACHE");
    cr_assert_eq(lm_discover("/nonexistent-rooftop-home", &l), 0);
    lm_free(&l);
}

/* ---- printing ---- */
#include "machine/machine_print.h"

static char *print_to_string(void (*fn)(FILE *, const void *, enum mp_format), const void *arg, enum mp_format f)
{
    static char buf[1 << 20]; /* the whole catalog ranked fits */
    FILE *m = fmemopen(buf, sizeof buf, "w");
    cr_assert(m);
    fn(m, arg, f);
    fclose(m);
    return buf;
}

static void pd(FILE *o, const void *a, enum mp_format f) { mp_print_detect(o, a, f); }
static void pr(FILE *o, const void *a, enum mp_format f) { mp_print_rank(o, a, f); }
static void pl(FILE *o, const void *a, enum mp_format f) { mp_print_local(o, a, f); }

Test(print, detect_json_has_the_contract_keys)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("nvidia-smi-8gpu-units.txt");
    md_parse_nvidia_smi(t, &l);
    free(t);
    json_error_t e;
    json_t *j = json_loads(print_to_string(pd, &l, MP_JSON), 0, &e);
    cr_assert(json_is_array(j) && json_array_size(j) == 1, "%s", e.text);
    json_t *o = json_array_get(j, 0);
    cr_assert_str_eq(json_string_value(json_object_get(o, "id")), "h100-sxm");
    cr_assert_str_eq(json_string_value(json_object_get(o, "name")), "NVIDIA H100 80GB HBM3");
    cr_assert_eq(json_integer_value(json_object_get(o, "memory_bytes")), 85520809984LL);
    cr_assert_eq(json_integer_value(json_object_get(o, "usable_bytes")), 40046LL * 1048576);
    cr_assert_eq(json_integer_value(json_object_get(o, "count")), 8);
    cr_assert_str_eq(json_string_value(json_object_get(o, "source")), "nvidia-smi");
    json_decref(j);
    char *tab = print_to_string(pd, &l, MP_TABLE);
    cr_assert(strstr(tab, "h100-sxm") && strstr(tab, "85.5 GB") && strstr(tab, "nvidia-smi"), "%s", tab);
    md_list_init(&l);
    snprintf(l.note, sizeof l.note, "no devices detected (tried nvidia-smi)");
    cr_assert_str_eq(print_to_string(pd, &l, MP_TABLE), "no devices detected (tried nvidia-smi)\n");
    cr_assert_str_eq(print_to_string(pd, &l, MP_JSON), "[]\n");
}

Test(print, rank_json_and_table)
{
    struct rt_resolved *rs = resolve("llama-3.1-8b", "rtx-3070", "q4_k_m", "", 1, 0, 1, 1024, 256, "llama.cpp");
    struct rank_table t;
    rank_init(&t);
    rank_build(cat(), &rs->s, RANK_BY_FIT, &t);
    json_error_t e;
    json_t *j = json_loads(print_to_string(pr, &t, MP_JSON), 0, &e);
    cr_assert(json_is_array(j) && json_array_size(j) == t.n, "%s", e.text);
    static const char *const keys[] = { "model", "weights", "params_total", "fits", "per_device_bytes",
                                        "decode_tokens_per_s", "ttft_s", "max_context" };
    for (size_t i = 0; i < json_array_size(j); i++)
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            cr_assert(json_object_get(json_array_get(j, i), keys[k]), "row %zu lacks %s", i, keys[k]);
    json_decref(j);
    char *tab = print_to_string(pr, &t, MP_TABLE);
    cr_assert(strncmp(tab, "MODEL", 5) == 0 && strstr(tab, "llama-3.1-8b") && strstr(tab, "q4_k_m"), "%s", tab);
    char *csv = print_to_string(pr, &t, MP_CSV);
    cr_assert(strncmp(csv, "model,weights,params_total,fits,", 32) == 0, "%s", csv);
    rank_free(&t);
}

Test(print, local_and_launch, .init = fake_home, .fini = rm_tmp)
{
    struct lm_list l;
    lm_init(&l);
    lm_discover(tmpdir, &l);
    json_error_t e;
    json_t *j = json_loads(print_to_string(pl, &l, MP_JSON), 0, &e);
    cr_assert(json_is_array(j) && json_array_size(j) == 5, "%s", e.text);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "kind")), "hf");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(j, 4), "size_bytes")), 4920753328LL);
    json_decref(j);
    lm_free(&l);
    static char buf[4096];
    FILE *m = fmemopen(buf, sizeof buf, "w");
    mp_print_launch(m, "vllm serve x --tensor-parallel-size 1", "a note", MP_TABLE);
    fclose(m);
    cr_assert_str_eq(buf, "vllm serve x --tensor-parallel-size 1\n# a note\n");
    m = fmemopen(buf, sizeof buf, "w");
    mp_print_launch(m, "llama-server -m 'a b.gguf'", "", MP_JSON);
    fclose(m);
    cr_assert_str_eq(buf, "{\n  \"launch\": \"llama-server -m 'a b.gguf'\"\n}\n");
}

Test(detect, apply_points_the_scenario_at_what_was_found)
{
    struct md_list l;
    md_list_init(&l);
    char *t = fixture("nvidia-smi-8gpu-units.txt");
    md_parse_nvidia_smi(t, &l);
    free(t);
    struct rt_spec sp;
    spec_default(&sp);
    char note[256];
    cr_assert(md_apply(&l, cat(), &sp, note, sizeof note));
    cr_assert_str_eq(sp.gpu, "h100-sxm");
    cr_assert_eq(sp.devices, 8);
    /* one GPU has 40046 MiB free: below 95% of 80 GB, so it binds */
    cr_assert_eq(sp.memory_gb, 40046.0 * 1048576 / 1e9);
    cr_assert(strstr(note, "8 x NVIDIA H100 80GB HBM3 (h100-sxm) via nvidia-smi"), "%s", note);
    /* Apple: the GPU working set of a 32 GB M2 Max, 22.9 GB */
    md_list_init(&l);
    t = fixture("sysctl-m2max.txt");
    md_parse_sysctl(t, 0, 38, &l);
    free(t);
    spec_default(&sp);
    cr_assert(md_apply(&l, cat(), &sp, note, sizeof note));
    cr_assert_str_eq(sp.gpu, "m2-max");
    assert_rel(sp.memory_gb, 34359738368.0 * 2 / 3 / 1e9, 1e-12, "%f", sp.memory_gb);
    /* an idle GPU keeps the catalog's memory */
    md_list_init(&l);
    t = fixture("nvidia-smi-1gpu-nounits.txt");
    md_parse_nvidia_smi(t, &l);
    free(t);
    spec_default(&sp);
    cr_assert(md_apply(&l, cat(), &sp, note, sizeof note));
    cr_assert_str_eq(sp.gpu, "rtx-4090");
    cr_assert_eq(sp.memory_gb, 0);
    /* a device the catalog lacks: unchanged, and said */
    md_list_init(&l);
    md_parse_nvidia_smi("NVIDIA Quantum X1, 1000, 0, 1000\n", &l);
    spec_default(&sp);
    cr_assert(!md_apply(&l, cat(), &sp, note, sizeof note));
    cr_assert_str_eq(sp.gpu, "h100-sxm");
    cr_assert(strstr(note, "not in the catalog"), "%s", note);
}

/* Issue 23: figures worked out from a local file are kept while the file keeps
 * its size and modification time and the key is the same; a changed file or
 * key is worked out again */
Test(local, cache_by_path_size_mtime_and_key)
{
    char dir[] = "/tmp/rooftop-lmc-XXXXXX", path[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.gguf", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("GGUF", f);
    fclose(f);
    double put[3] = { 1, 8.03e9, 16.06e9 }, got[3] = { 0 };
    cr_assert_not(lm_cache_get(path, 7, got, 3), "nothing kept yet");
    lm_cache_put(path, 7, put, 3);
    cr_assert(lm_cache_get(path, 7, got, 3));
    cr_assert_float_eq(got[2], 16.06e9, 1);
    cr_assert_not(lm_cache_get(path, 8, got, 3), "another key (scenario)");
    f = fopen(path, "a");
    fputs("more", f); /* a new size: another version of the file */
    fclose(f);
    cr_assert_not(lm_cache_get(path, 7, got, 3), "the file changed");
    unlink(path);
    cr_assert_not(lm_cache_get(path, 7, got, 3), "the file is gone");
    rmdir(dir);
}

/* Issue 23: nvidia-smi that runs but prints no GPU line (no driver) is named
 * with its own words, not left as "no devices detected" */
Test(detect, nvidia_smi_failure_says_why, .init = make_tmp, .fini = rm_tmp)
{
    char body[4096];
    snprintf(body, sizeof body, "exec /bin/cat '%s/tests/data/machine/nvidia-smi-nodriver.txt'",
             getenv("srcdir") ? getenv("srcdir") : ".");
    write_tool("nvidia-smi", body);
    write_tool("rocm-smi", "exit 1");
    setenv("PATH", tmpdir, 1);
    struct md_list l;
    md_detect(&l, cat());
    cr_assert(strstr(l.note, "nvidia-smi ran but printed no GPU line"), "%s", l.note);
    cr_assert(strstr(l.note, "couldn't communicate with the NVIDIA driver"), "%s", l.note);
}
