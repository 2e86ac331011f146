/* loops.c - how published batched benchmarks drove their engines (loops.h): the
 * procedures ttftloop.c replays, each figure from the benchmark's own scripts. */
#include <string.h>
#include "accuracy/loops.h"

/* LMDeploy v0.1.0a1 (TurboMind), A100-80G, the commands the page gives
 * (InternLM/lmdeploy@3e391df4673326f79363eebe030876861a9b7090):
 * - rounds: benchmark/profile_generation.py `--test-round` default 6 (benchmark_7b.sh,
 *   benchmark_13b.sh and benchmark_70b.sh pass `--concurrency` only), after one warm-up
 *   round that is not timed;
 * - blocks: the scripts set `cache_max_entry_count` 1000 (7B), 500 (13B), 4000 (70B, TP4);
 *   an integer > 0 is a count of KV blocks (docs/en/turbomind_config.md, "TurboMind 2.0
 *   config"), each rank allocating that many of its own share (SequenceManager.cc: block
 *   size from the rank's heads); `cache_block_seq_len` 128 tokens (LlamaTritonModel.cc
 *   default);
 * - max_seqs: `max_batch_size` 128 (7B, 13B), 256 (70B);
 * - max_tokens: none.  v0.1.0a1's engine loop (src/turbomind/models/llama/LlamaBatch.cc at
 *   tag v0.1.0a1, InternalThreadEntry) takes every waiting request there is room for,
 *   prefills them all (ContextDecode, in passes of at most `max_context_token_num` 4
 *   sessions of 4096 + 8 tokens = 16416), and only then runs the step that makes their
 *   first tokens, together: one pass over all their prompts, as the simulation times a
 *   step without a token budget.  The table agrees: 70B, 32 clients of 2048 tokens, mean
 *   11.7 s, max 12.7 s (the whole batch's prefill, about 32 x 0.40 s at batch 1). */
static const struct acc_loop loops[] = {
    { "InternLM/lmdeploy:docs/en/benchmark/a100_fp16.md", "lmdeploy", 6, 128, 0,
      { { "llama-2-7b", 1000, 128 }, { "llama-2-13b", 500, 128 }, { "llama-2-70b", 4000, 256 } } },
};

const struct acc_loop *acc_loop_find(const char *source, const char *engine, const char *model,
                                     const struct acc_loop_model **m)
{
    for (size_t i = 0; i < sizeof loops / sizeof *loops; i++) {
        const struct acc_loop *p = &loops[i];
        if (strcmp(source, p->source) || strcmp(engine, p->engine))
            continue;
        for (size_t k = 0; k < sizeof p->models / sizeof *p->models && p->models[k].model; k++)
            if (strcmp(model, p->models[k].model) == 0) {
                if (m)
                    *m = &p->models[k];
                return p;
            }
    }
    return NULL;
}
