/* ttftloop.h - first-token latency of a batched benchmark, replayed as the benchmark
 * ran it: a closed loop of its clients through the serving simulation, with the
 * engine's KV cache and limits as the benchmark set them (doc/method.md, "Serving
 * replays"). */
#ifndef ROOFTOP_ACC_TTFTLOOP_H
#define ROOFTOP_ACC_TTFTLOOP_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "accuracy/accuracy.h"
#include "catalog/catalog.h"
#include "accuracy/loops.h"
#include "core/serve.h"

/* The procedure of a row's publication and model, or NULL: the rows of ACC_BATCH_TTFT
 * whose benchmark is known. */
const struct acc_loop *acc_loop_of(const struct acc_row *row, const struct acc_loop_model **m);

/* Turn a serving configuration (rt_serve_config_of of the row's scenario, or a test's)
 * into the benchmark's run: clients x rounds requests in a closed loop of `clients`,
 * the KV cache counted in blocks, the engine limits of the procedure. */
void acc_loop_config(struct rt_serve_config *c, const struct acc_loop *p, const struct acc_loop_model *m,
                     int64_t clients);

/* Each such row replayed: with left_out, its engine refitted (from the prior profile)
 * on the rows of the other publications; otherwise the shipped profile.
 * |replayed - measured| / measured into err[] (at most max), the count returned; with
 * detail, one line per row (measured, replayed, sequences the cache holds). */
size_t accuracy_ttft_loop(const struct catalog *c, const struct acc_set *set, bool left_out, double *err, size_t max,
                          FILE *detail);
/* The class's line of the serving replays (left out, with the in-sample figure) and
 * its rows. */
void accuracy_ttft_loop_report(const struct catalog *c, const struct acc_set *set, FILE *out);
#endif
