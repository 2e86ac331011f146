/* fuzz_local.c - the local-model discovery's Ollama manifest reader: the input
 * is written as a manifest beside a GGUF blob in a private store, then
 * lm_discover() walks it.  What it lists must have a finite size >= 0. */
#include <stdlib.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"
#include "machine/local.h"

static char home[512], manifest[700];

static void cleanup(void)
{
    char cmd[640];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
    if (home[0] && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", home);
}

static void setup(void)
{
    snprintf(home, sizeof home, "%s/rooftop-fuzz-local-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(home))
        abort();
    atexit(cleanup);
    char p[700];
    const char *dirs[] = { "models", "models/blobs", "models/manifests", "models/manifests/registry.ollama.ai",
                           "models/manifests/registry.ollama.ai/library", "models/manifests/registry.ollama.ai/library/m" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", home, dirs[i]);
        mkdir(p, 0700);
    }
    snprintf(p, sizeof p, "%s/models/blobs/sha256-%064d", home, 0);
    FILE *f = fopen(p, "w");
    if (!f)
        abort();
    fputs("GGUF", f);
    fclose(f);
    snprintf(manifest, sizeof manifest, "%s/models/manifests/registry.ollama.ai/library/m/t", home);
    snprintf(p, sizeof p, "%s/models", home);
    setenv("OLLAMA_MODELS", p, 1);
    setenv("HF_HUB_CACHE", "/nonexistent-rooftop-fuzz", 1);
    setenv("LLAMA_CACHE", "/nonexistent-rooftop-fuzz", 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!home[0])
        setup();
    FILE *f = fopen(manifest, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    struct lm_list l;
    lm_init(&l);
    size_t n = lm_discover(home, &l);
    if (n != l.n || n > LM_MODELS_MAX)
        abort();
    for (size_t i = 0; i < l.n; i++)
        if (!isfinite(l.m[i].size_bytes) || l.m[i].size_bytes < 0 || !memchr(l.m[i].name, 0, sizeof l.m[i].name))
            abort();
    lm_free(&l);
    return 0;
}
