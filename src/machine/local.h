/* local.h - models already on this machine: GGUF files and Hugging Face
 * snapshots in the usual stores.
 *
 * Looked at, under the home folder (environment variables as each tool reads them):
 * - Ollama: $OLLAMA_MODELS or ~/.ollama/models: manifests/HOST/NAMESPACE/MODEL/TAG
 *   (JSON) whose application/vnd.ollama.image.model layer names the GGUF blob
 *   blobs/sha256-<hex>;
 * - LM Studio: ~/.lmstudio/models/PUBLISHER/REPO/FILE.gguf and ~/.cache/lm-studio/models;
 * - the Hugging Face hub cache: $HF_HUB_CACHE, else $HF_HOME/hub, else
 *   $XDG_CACHE_HOME/huggingface/hub or ~/.cache/huggingface/hub:
 *   models--ORG--NAME/snapshots/REV/config.json (and any .gguf files there);
 * - llama.cpp's download cache: $LLAMA_CACHE, else ~/.cache/llama.cpp (or
 *   $XDG_CACHE_HOME/llama.cpp, ~/Library/Caches/llama.cpp on macOS).
 * The walk is bounded (depth, entries, models), follows no symlinked folders
 * and never fails: what cannot be read is skipped.
 */
#ifndef ROOFTOP_LOCAL_H
#define ROOFTOP_LOCAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define LM_NAME_MAX 256
#define LM_MODELS_MAX 10000        /* models listed at most */
#define LM_ENTRIES_MAX 500000      /* directory entries looked at, in all (about 2 s) */

enum lm_kind { LM_GGUF, LM_HF };

struct lm_model {
    char name[LM_NAME_MAX];         /* "llama3.1:8b", "Qwen/Qwen2.5-7B-Instruct", "org/repo/file.gguf" */
    char path[PATH_MAX];            /* what --model takes: the .gguf file, or the snapshot's config.json */
    enum lm_kind kind;
    double size_bytes;              /* the file, or the snapshot's weight files (0: none downloaded) */
    char source[16];                /* "ollama", "lmstudio", "huggingface", "llama.cpp" */
};

struct lm_list {
    struct lm_model *m;
    size_t n, cap;
    bool models_cut, entries_cut;   /* a limit was reached: the list is not complete */
};

void lm_init(struct lm_list *l);
void lm_free(struct lm_list *l);
/* Find the models under home (NULL: $HOME), sorted by source and name; returns the count. */
size_t lm_discover(const char *home, struct lm_list *out);
const char *lm_kind_name(enum lm_kind k);
/* The reader of one Ollama manifest, as lm_discover() calls it for each file under
 * MODELS/manifests: TEXT is the file's content, REL its path there
 * (HOST/NAMESPACE/MODEL/TAG).  Adds to OUT; returns OUT's count.  For the fuzz target. */
size_t lm_ollama_manifest(const char *models, const char *text, const char *rel, struct lm_list *out);

/* Figures worked out from a local file (parsing a large GGUF header takes
 * time), kept while the file keeps its size and modification time and the
 * caller's key (what else the figures depend on) is the same.  At most
 * LM_CACHE_MAX entries, the oldest replaced; n <= LM_CACHE_VALUES. */
#define LM_CACHE_MAX 1024
#define LM_CACHE_VALUES 8
bool lm_cache_get(const char *path, unsigned long long key, double *values, int n);
void lm_cache_put(const char *path, unsigned long long key, const double *values, int n);

#endif
