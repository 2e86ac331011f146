/* local.c - GGUF files and Hugging Face snapshots already on this machine. */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "base/slurp.h"
#include "machine/local.h"
#include "catalog/catalog.h"

#define LM_MANIFEST_MAX (1 << 20)

struct walk {
    struct lm_list *out;
    size_t budget;                  /* entries left to look at */
};

void lm_init(struct lm_list *l) { memset(l, 0, sizeof *l); }

void lm_free(struct lm_list *l)
{
    free(l->m);
    lm_init(l);
}

const char *lm_kind_name(enum lm_kind k) { return k == LM_HF ? "hf" : "gguf"; }

static bool ends_with_ci(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static void add(struct walk *w, const char *name, const char *path, enum lm_kind kind, double size,
                const char *source)
{
    struct lm_list *l = w->out;
    if (l->n >= LM_MODELS_MAX) {
        l->models_cut = true;
        return;
    }
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->m[i].path, path) == 0 && strcmp(l->m[i].name, name) == 0)
            return; /* the same file reached twice (two Ollama tags may share one blob) */
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct lm_model *m = realloc(l->m, cap * sizeof *m);
        if (!m)
            return;
        l->m = m;
        l->cap = cap;
    }
    struct lm_model *m = &l->m[l->n++];
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    snprintf(m->path, sizeof m->path, "%s", path);
    m->kind = kind;
    m->size_bytes = size;
    snprintf(m->source, sizeof m->source, "%s", source);
}

/* A path joined from parts; false when it would not fit. */
static bool join(char *out, size_t n, const char *a, const char *b)
{
    int k = snprintf(out, n, "%s/%s", a, b);
    return k > 0 && (size_t)k < n;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The next entry of d, past hidden ones (".", ".." and dotfiles); each entry
 * read counts against the walk's budget.  NULL at the end or when it is spent. */
static const char *next_entry(struct walk *w, DIR *d)
{
    struct dirent *e;
    while (w->budget > 0 && (e = readdir(d))) {
        w->budget--;
        if (e->d_name[0] != '.')
            return e->d_name;
    }
    if (w->budget == 0)
        w->out->entries_cut = true;
    return NULL;
}

/* Every .gguf file under dir (rel: the path so far, for names), at most maxdepth
 * folders down.  Symlinked files are followed, symlinked folders are not. */
static void walk_gguf(struct walk *w, const char *dir, const char *rel, int depth, int maxdepth,
                      const char *source, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (const char *en; (en = next_entry(w, d));) {
        char path[PATH_MAX], name[LM_NAME_MAX];
        if (!join(path, sizeof path, dir, en))
            continue;
        if (rel[0])
            snprintf(name, sizeof name, "%s/%s", rel, en);
        else
            snprintf(name, sizeof name, "%s", en);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < maxdepth)
                walk_gguf(w, path, name, depth + 1, maxdepth, source, prefix);
            continue;
        }
        if (!ends_with_ci(en, ".gguf") || strncasecmp(en, "mmproj", 6) == 0)
            continue; /* vision projectors are not models */
        if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
            continue;
        if (!S_ISREG(st.st_mode))
            continue;
        char full[LM_NAME_MAX];
        snprintf(full, sizeof full, "%s%s", prefix, name);
        add(w, full, path, LM_GGUF, (double)st.st_size, source);
    }
    closedir(d);
}

/* The files that hold a checkpoint's weights (config.json, tokenizers and
 * READMEs are not the model's size). */
static bool weight_file(const char *name)
{
    return ends_with_ci(name, ".safetensors") || ends_with_ci(name, ".bin") || ends_with_ci(name, ".pt") ||
           ends_with_ci(name, ".pth") || ends_with_ci(name, ".gguf");
}

/* Bytes of the weight files in a snapshot (symlinks to blobs followed). */
static double dir_size(struct walk *w, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    double total = 0;
    for (const char *en; (en = next_entry(w, d));) {
        char path[PATH_MAX];
        struct stat st;
        if (!join(path, sizeof path, dir, en) || lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < 3)
                total += dir_size(w, path, depth + 1);
            continue;
        }
        if (weight_file(en) && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            total += (double)st.st_size;
    }
    closedir(d);
    return total;
}

/* ---- Ollama ---- */

static bool hex_digest(const char *s)
{
    if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
        return false;
    for (const char *p = s + 7; *p; p++)
        if (!isxdigit((unsigned char)*p))
            return false;
    return true;
}

/* One Ollama manifest's text (rel: its path under manifests/, HOST/NAMESPACE/MODEL/TAG):
 * its model layer's blob, when it is in models/blobs, is added under its name. */
static void ollama_manifest_text(struct walk *w, const char *models, const char *text, const char *rel)
{
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    json_t *layers = json_object_get(root, "layers");
    size_t i;
    json_t *layer;
    json_array_foreach(layers, i, layer) {
        const char *mt = json_string_value(json_object_get(layer, "mediaType"));
        const char *dg = json_string_value(json_object_get(layer, "digest"));
        if (!mt || !dg || strcmp(mt, "application/vnd.ollama.image.model") != 0 || !hex_digest(dg))
            continue;
        char blob[PATH_MAX];
        struct stat st;
        if (snprintf(blob, sizeof blob, "%s/blobs/sha256-%s", models, dg + 7) >= (int)sizeof blob ||
            stat(blob, &st) != 0 || !S_ISREG(st.st_mode))
            break;
        /* rel is HOST/NAMESPACE/MODEL/TAG: "MODEL:TAG" for the default library */
        char parts[4][LM_NAME_MAX] = { "", "", "", "" };
        int np = 0;
        const char *p = rel;
        while (*p && np < 4) {
            const char *s = strchr(p, '/');
            size_t len = s ? (size_t)(s - p) : strlen(p);
            snprintf(parts[np++], LM_NAME_MAX, "%.*s", (int)len, p);
            p = s ? s + 1 : p + len;
        }
        char name[LM_NAME_MAX];
        if (np == 4 && strcmp(parts[0], "registry.ollama.ai") == 0 && strcmp(parts[1], "library") == 0)
            snprintf(name, sizeof name, "%s:%s", parts[2], parts[3]);
        else if (np == 4 && strcmp(parts[0], "registry.ollama.ai") == 0)
            snprintf(name, sizeof name, "%s/%s:%s", parts[1], parts[2], parts[3]);
        else if (np == 4)
            snprintf(name, sizeof name, "%s/%s/%s:%s", parts[0], parts[1], parts[2], parts[3]);
        else
            snprintf(name, sizeof name, "%s", rel);
        json_t *sz = json_object_get(layer, "size");
        /* the manifest's claim when it is a size at all (0 to 1 PB), else the blob's */
        bool claim = json_is_integer(sz) && json_integer_value(sz) >= 0 && json_integer_value(sz) <= 1000000000000000LL;
        add(w, name, blob, LM_GGUF, claim ? (double)json_integer_value(sz) : (double)st.st_size, "ollama");
        break;
    }
    json_decref(root);
}

size_t lm_ollama_manifest(const char *models, const char *text, const char *rel, struct lm_list *out)
{
    struct walk w = { out, LM_ENTRIES_MAX };
    ollama_manifest_text(&w, models, text, rel);
    return out->n;
}

static void ollama_manifest(struct walk *w, const char *models, const char *file, const char *rel)
{
    char *text = slurp_file(file, NULL, LM_MANIFEST_MAX);
    if (!text)
        return;
    ollama_manifest_text(w, models, text, rel);
    free(text);
}

static void walk_manifests(struct walk *w, const char *models, const char *dir, const char *rel, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (const char *en; (en = next_entry(w, d));) {
        char path[PATH_MAX], name[LM_NAME_MAX];
        struct stat st;
        if (!join(path, sizeof path, dir, en) || lstat(path, &st) != 0)
            continue;
        snprintf(name, sizeof name, "%s%s%s", rel, rel[0] ? "/" : "", en);
        if (S_ISDIR(st.st_mode)) {
            if (depth < 4)
                walk_manifests(w, models, path, name, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            ollama_manifest(w, models, path, name);
        }
    }
    closedir(d);
}

static void ollama(struct walk *w, const char *models)
{
    char manifests[PATH_MAX];
    if (join(manifests, sizeof manifests, models, "manifests") && is_dir(manifests))
        walk_manifests(w, models, manifests, "", 1);
}

/* ---- Hugging Face hub cache ---- */

static void hf_repo(struct walk *w, const char *repo_dir, const char *dirname)
{
    /* models--ORG--NAME -> ORG/NAME */
    char name[LM_NAME_MAX];
    const char *s = dirname + strlen("models--");
    size_t k = 0;
    for (; *s && k + 1 < sizeof name; s++) {
        if (s[0] == '-' && s[1] == '-') {
            name[k++] = '/';
            s++;
        } else {
            name[k++] = *s;
        }
    }
    name[k] = 0;
    char snaps[PATH_MAX], snap[PATH_MAX] = "", ref[PATH_MAX];
    if (!join(snaps, sizeof snaps, repo_dir, "snapshots"))
        return;
    /* the revision refs/main points at, else any snapshot */
    if (join(ref, sizeof ref, repo_dir, "refs/main")) {
        char *rev = slurp_file(ref, NULL, 256);
        if (rev) {
            rev[strcspn(rev, " \r\n")] = 0;
            bool safe = rev[0] && !strchr(rev, '/') && strcmp(rev, "..") != 0 && strcmp(rev, ".") != 0;
            if (!safe || !join(snap, sizeof snap, snaps, rev) || !is_dir(snap))
                snap[0] = 0;
            free(rev);
        }
    }
    if (!snap[0]) {
        DIR *d = opendir(snaps);
        if (!d)
            return;
        for (const char *en; (en = next_entry(w, d));) {
            char p[PATH_MAX];
            if (join(p, sizeof p, snaps, en) && is_dir(p)) {
                snprintf(snap, sizeof snap, "%s", p);
                break;
            }
        }
        closedir(d);
    }
    if (!snap[0])
        return;
    char config[PATH_MAX];
    struct stat st;
    if (join(config, sizeof config, snap, "config.json") && stat(config, &st) == 0 && S_ISREG(st.st_mode))
        add(w, name, config, LM_HF, dir_size(w, snap, 1), "huggingface");
    char prefix[LM_NAME_MAX];
    snprintf(prefix, sizeof prefix, "%s/", name);
    walk_gguf(w, snap, "", 1, 2, "huggingface", prefix);
}

static void hf_hub(struct walk *w, const char *hub)
{
    DIR *d = opendir(hub);
    if (!d)
        return;
    for (const char *en; (en = next_entry(w, d));) {
        char path[PATH_MAX];
        if (strncmp(en, "models--", 8) != 0 || !join(path, sizeof path, hub, en) || !is_dir(path))
            continue;
        hf_repo(w, path, en);
    }
    closedir(d);
}

/* ---- everything ---- */

static int by_source_name(const void *pa, const void *pb)
{
    const struct lm_model *a = pa, *b = pb;
    int c = strcmp(a->source, b->source);
    return c ? c : strcmp(a->name, b->name);
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

size_t lm_discover(const char *home, struct lm_list *out)
{
    out->n = 0;
    out->models_cut = out->entries_cut = false;
    bool real_home = home == NULL;
    if (!home)
        home = env("HOME");
    struct walk w = { out, LM_ENTRIES_MAX };
    char p[PATH_MAX];
    const char *xdg = env("XDG_CACHE_HOME");

    /* Ollama */
    if (env("OLLAMA_MODELS"))
        ollama(&w, env("OLLAMA_MODELS"));
    else if (home && snprintf(p, sizeof p, "%s/.ollama/models", home) < (int)sizeof p)
        ollama(&w, p);
    if (real_home && !env("OLLAMA_MODELS"))
        ollama(&w, "/usr/share/ollama/.ollama/models"); /* the Linux service's store */

    /* LM Studio */
    if (home && snprintf(p, sizeof p, "%s/.lmstudio/models", home) < (int)sizeof p)
        walk_gguf(&w, p, "", 1, 3, "lmstudio", "");
    if (home && snprintf(p, sizeof p, "%s/.cache/lm-studio/models", home) < (int)sizeof p)
        walk_gguf(&w, p, "", 1, 3, "lmstudio", "");

    /* Hugging Face */
    if (env("HF_HUB_CACHE"))
        hf_hub(&w, env("HF_HUB_CACHE"));
    else if (env("HF_HOME") && snprintf(p, sizeof p, "%s/hub", env("HF_HOME")) < (int)sizeof p)
        hf_hub(&w, p);
    else if (xdg && snprintf(p, sizeof p, "%s/huggingface/hub", xdg) < (int)sizeof p)
        hf_hub(&w, p);
    else if (home && snprintf(p, sizeof p, "%s/.cache/huggingface/hub", home) < (int)sizeof p)
        hf_hub(&w, p);

    /* llama.cpp */
    if (env("LLAMA_CACHE")) {
        walk_gguf(&w, env("LLAMA_CACHE"), "", 1, 2, "llama.cpp", "");
    } else {
        if (xdg && snprintf(p, sizeof p, "%s/llama.cpp", xdg) < (int)sizeof p)
            walk_gguf(&w, p, "", 1, 2, "llama.cpp", "");
        else if (home && snprintf(p, sizeof p, "%s/.cache/llama.cpp", home) < (int)sizeof p)
            walk_gguf(&w, p, "", 1, 2, "llama.cpp", "");
        if (home && snprintf(p, sizeof p, "%s/Library/Caches/llama.cpp", home) < (int)sizeof p)
            walk_gguf(&w, p, "", 1, 2, "llama.cpp", "");
    }
    if (out->n > 1)
        qsort(out->m, out->n, sizeof *out->m, by_source_name);
    return out->n;
}

/* ---- figures worked out from local files ---- */

struct lm_cached {
    char path[PATH_MAX];
    long long size, mtime_ns;
    unsigned long long key;
    double v[LM_CACHE_VALUES];
};
static struct lm_cached cache[LM_CACHE_MAX];
static size_t cache_n, cache_next;

static bool file_version(const char *path, long long *size, long long *mtime_ns)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    *size = (long long)st.st_size;
    *mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    return true;
}

bool lm_cache_get(const char *path, unsigned long long key, double *values, int n)
{
    long long size, mt;
    if (n > LM_CACHE_VALUES || !file_version(path, &size, &mt))
        return false;
    for (size_t i = 0; i < cache_n; i++)
        if (cache[i].key == key && cache[i].size == size && cache[i].mtime_ns == mt && strcmp(cache[i].path, path) == 0) {
            memcpy(values, cache[i].v, (size_t)n * sizeof *values);
            return true;
        }
    return false;
}

void lm_cache_put(const char *path, unsigned long long key, const double *values, int n)
{
    long long size, mt;
    if (n > LM_CACHE_VALUES || strlen(path) >= PATH_MAX || !file_version(path, &size, &mt))
        return;
    struct lm_cached *c = &cache[cache_next];
    cache_next = (cache_next + 1) % LM_CACHE_MAX;
    if (cache_n < LM_CACHE_MAX)
        cache_n++;
    snprintf(c->path, sizeof c->path, "%s", path);
    c->size = size;
    c->mtime_ns = mt;
    c->key = key;
    memset(c->v, 0, sizeof c->v);
    memcpy(c->v, values, (size_t)n * sizeof *values);
}
