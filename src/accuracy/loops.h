/* loops.h - how published batched benchmarks drove their engines: the closed loop of
 * clients, the engine's KV cache and limits as the benchmark's scripts set them
 * (loops.c; replayed by ttftloop.c). */
#ifndef ROOFTOP_ACC_LOOPS_H
#define ROOFTOP_ACC_LOOPS_H
#include <stdint.h>

/* How one publication's batched runs were driven, from its benchmark scripts: each of
 * `batch` clients sends `rounds` requests one after another; the engine holds `blocks`
 * KV blocks of `block_tokens` tokens (per device: a tensor-parallel rank holds its
 * share of every sequence's cache), filled as sequences grow, at most max_seqs
 * sequences run, and a step takes at most max_tokens tokens (0: every admitted prompt
 * in one pass). */
struct acc_loop_model { const char *model; int64_t blocks, max_seqs; };
struct acc_loop {
    const char *source, *engine;
    int64_t rounds, block_tokens, max_tokens;
    struct acc_loop_model models[4];
};

/* The procedure of a publication (source as accuracy.h's acc_row has it), engine and
 * catalog model, or NULL; *m (if m) its model's settings. */
const struct acc_loop *acc_loop_find(const char *source, const char *engine, const char *model,
                                     const struct acc_loop_model **m);
#endif
