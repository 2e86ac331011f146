/* fuzz_local.c - the local-model discovery's Ollama manifest reader, in
 * process: the input is one manifest's text, read as lm_discover() reads each
 * file under manifests/ (lm_ollama_manifest), against a private store, made
 * once, that holds the blob sha256-000...0 (a GGUF).  The manifest's path
 * (library, namespaced, another host, too short) follows the input's length,
 * so every way of naming the model is reached.  What it lists must have a
 * finite size >= 0 and NUL-terminated names. */
#include <stdlib.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"
#include "machine/local.h"

static char home[512], models[600];

static void cleanup(void)
{
    char p[700];
    snprintf(p, sizeof p, "%s/blobs/sha256-%064d", models, 0);
    unlink(p);
    snprintf(p, sizeof p, "%s/blobs", models);
    rmdir(p);
    rmdir(models);
    rmdir(home);
}

static void setup(void)
{
    snprintf(home, sizeof home, "%s/rooftop-fuzz-local-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(home))
        abort();
    atexit(cleanup);
    char p[700];
    snprintf(models, sizeof models, "%s/models", home);
    mkdir(models, 0700);
    snprintf(p, sizeof p, "%s/blobs", models);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/blobs/sha256-%064d", models, 0);
    FILE *f = fopen(p, "w");
    if (!f)
        abort();
    fputs("GGUF", f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const rels[] = { "registry.ollama.ai/library/m/t", "registry.ollama.ai/ns/m/t",
                                        "example.com/ns/m/t", "m" };
    if (!home[0])
        setup();
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    struct lm_list l;
    lm_init(&l);
    size_t n = lm_ollama_manifest(models, text, rels[size % 4], &l);
    if (n != l.n || n > 1)
        abort();
    for (size_t i = 0; i < l.n; i++)
        if (!isfinite(l.m[i].size_bytes) || l.m[i].size_bytes < 0 || !memchr(l.m[i].name, 0, sizeof l.m[i].name))
            abort();
    lm_free(&l);
    free(text);
    return 0;
}
