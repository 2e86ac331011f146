/* fit.h - fit an engine profile's efficiency parameters to measured rows
 * (crossval.h refits without a group of rows and predicts that group). */
#ifndef ROOFTOP_FIT_H
#define ROOFTOP_FIT_H
#include "accuracy/accuracy.h"

/* The fitted parameters ("knobs") of struct rt_engine. */
enum fit_knob {
    FK_MBU, FK_MBU_8BIT, FK_MBU_LOWBIT, FK_MFU,
    FK_MBU_CONSUMER, FK_MBU_APPLE, FK_MFU_CONSUMER, FK_MFU_APPLE, FK_MFU_DC, FK_MFU_AMD,
    FK_STEP, FK_LAYER, FK_STAGE, FK_REQUEST, FK_FIRST_PASS,
    /* the serving-only figures: host work per step and per running sequence, on an x86
     * and on a Grace host (fit_serving) */
    FK_HOST_STEP, FK_HOST_SEQ, FK_HOST_STEP_GRACE, FK_HOST_SEQ_GRACE, FK_N
};
#define FIT_ALL ((1u << FK_N) - 1u)
/* The compute factors per device family (mfu_family). */
#define FIT_MFU_FAMILIES (1u << FK_MFU_CONSUMER | 1u << FK_MFU_APPLE | 1u << FK_MFU_DC | 1u << FK_MFU_AMD)
/* The figures one static batch uses (fit_engine) and those only the serving
 * simulation uses (fit_serving). */
#define FIT_SERVING (1u << FK_HOST_STEP | 1u << FK_HOST_SEQ | 1u << FK_HOST_STEP_GRACE | 1u << FK_HOST_SEQ_GRACE)
#define FIT_STATIC (FIT_ALL & ~FIT_SERVING)
/* What make fit and the cross-validation fit.  Held at their priors because
 * they did not survive leave-one-publication-out cross-validation (make fit
 * prints the ablation): the per-request overhead (median prefill/TTFT error
 * left out 30.4% fitted, 12.7% held: throughput rows cannot tell it from the
 * prefill time) and the bandwidth family factors (decode 10.5% either way,
 * 10.2% with the request overhead also held: no gain, so the simpler profile). */
#define FIT_DEFAULT (FIT_STATIC & ~(1u << FK_MBU_CONSUMER | 1u << FK_MBU_APPLE | 1u << FK_REQUEST))

struct fit_knob_info {
    const char *name;               /* as in presets/engines.cfg */
    double lo, hi;                  /* physical bounds */
    double prior;                   /* value before any fit */
};
const struct fit_knob_info *fit_knob_info(int k);
double *fit_knob(struct rt_engine *e, int k);

/* The profile before any measurement: base's memory settings and precision
 * paths with the efficiencies and overheads at their priors; its host costs at 0
 * where they are fitted (fit_host_fitted), else as published. */
void fit_prior(const struct rt_engine *base, struct rt_engine *out);

/* Whether a profile's host costs are fitted through the serving simulation: its
 * engines.cfg host source begins "fitted" (no published figure).  A published host
 * cost is never refitted. */
bool fit_host_fitted(const struct rt_engine *e);

/* Whether a row is a serving row, replayed only through the simulation: a max-load
 * throughput row (infinite rate, as many sequences as fit) or an ITL-under-load row. */
bool fit_serving_row(const struct acc_row *r);

/* A serving row replayed through the serving simulation with engine e (the row's
 * scheduler limits where it states them): the row's metric (output tokens/s, total or
 * per GPU; mean ITL in ms) in *pred, the mean running sequences in *running (may be
 * NULL).  RT_OK, or RT_EINVAL when it cannot run. */
int fit_replay_row(const struct acc_row *row, const struct rt_engine *e, double *pred, double *running);

/* Which rows inform which fitted figure (doc/method.md, "Which rows inform which figure"),
 * one rule for make fit and every left-out refit, decided by the rows' mechanisms:
 * - FIT_BAR_EP: a run with its experts split across devices (ep > 1) informs no figure.
 *   The model has no measured figure for expert-parallel dispatch and combine under
 *   attention DP (the class is about 2x fast on both of its publications); fitted, that
 *   missing cost would go into the efficiencies and overheads every other run uses.
 * - FIT_BAR_FAMILY: a serving row (max-load or ITL under load: kernels, scheduler and
 *   host at once) informs a figure only on a device family where the calibration set has
 *   fixed-batch rows of the same engine (single stream, static batch, batch-1 prefill),
 *   which measure its kernels on that family by themselves.  Without them the gap
 *   between the roofline and the row is as much the kernels' maturity on that family (no
 *   figure of the model) as efficiency or host time, and the shared figures it would
 *   move serve every family.
 * Barred rows are still replayed and reported in their classes. */
enum fit_bar { FIT_INFORMS, FIT_BAR_EP, FIT_BAR_FAMILY };
/* The device families (a mask of 1u << enum rt_family) on which the set has fixed-batch
 * rows of engine id. */
unsigned fit_fixed_batch_families(const struct acc_set *set, const char *id);
/* Whether row r informs its engine's fitted figures; fixed_families: of r's engine. */
enum fit_bar fit_row_bar(const struct acc_row *r, unsigned fixed_families);

/* Fit the serving-only knobs (mask & FIT_SERVING) of *e, the static figures held, to
 * the serving rows of engine id whose use[i] is true (NULL: all), each replayed through
 * the serving simulation: mean absolute log error, max-load and ITL rows weighted as
 * two classes.  Nothing is fitted where the profile's host costs are published
 * (fit_host_fitted false).  Returns the rows used (0: *e unchanged). */
size_t fit_serving(const struct catalog *c, const struct acc_set *set, const char *id, const bool *use,
                   unsigned mask, struct rt_engine *e, double *obj);

/* Fit the free knobs (a mask of 1u << FK_...) of *e, starting from its values,
 * to the replayable rows of engine id whose use[i] is true (use NULL: all):
 * coordinate descent on the mean absolute log error, each metric class weighted
 * equally.  Where those rows are on two or more device families whose compute
 * factors (FIT_MFU_FAMILIES) are free, the base compute efficiency (FK_MFU) is held
 * where it starts: the rows fix only each family's product of the two.
 * Then the band: the 10th and 90th percentiles of the fitted ratios.
 * Returns the rows used (0: *e unchanged); *obj the final objective if not NULL. */
size_t fit_engine(const struct catalog *c, const struct acc_set *set, const char *id, const bool *use,
                  unsigned knobs, struct rt_engine *e, double *obj);

/* Leave one publication out: base's profile refitted from its prior (FIT_DEFAULT, then the
 * serving figures through the simulation: fit_serving) to the rows of engine id that are
 * not from `source`; use is scratch of set->n entries. */
void fit_without_source(const struct catalog *c, const struct acc_set *set, const struct rt_engine *base,
                        const char *id, const char *source, bool *use, struct rt_engine *out);

/* Each row that `want` picks, grouped by publication and engine, with its engine as shipped
 * (left_out false) or refitted without the row's publication (fit_without_source, once per
 * group): each(row, engine, arg).  Returns RT_OK, or RT_EINVAL when out of memory. */
int fit_each_left_out(const struct catalog *c, const struct acc_set *set, bool (*want)(const struct acc_row *),
                      bool left_out, void (*each)(const struct acc_row *, const struct rt_engine *, void *), void *arg);

/* One class of rows replayed through fit_each_left_out: the rows it wants, each row's
 * replayed value with an engine (-1: it cannot run) and a figure of the replay's own for
 * the detail line (aux), and that line. */
struct fit_replay {
    bool (*want)(const struct acc_row *);
    double (*replay)(const struct acc_row *, const struct rt_engine *, double *aux);
    void (*detail)(FILE *, const struct acc_row *, double got, double aux);
};

/* Each row `how` wants, replayed (fit_each_left_out): its error |got - value| / value into
 * err (at most max of them), and its line into detail unless detail is NULL; returns how
 * many errors. */
size_t fit_replay_errors(const struct catalog *c, const struct acc_set *set, const struct fit_replay *how,
                         bool left_out, double *err, size_t max, FILE *detail);

/* The band of a profile fitted to nothing: the one presets/engines.cfg gives
 * the unmeasured vLLM profile (bandwidth efficiency 0.55..0.85 around 0.7). */
#define FIT_PRIOR_BAND_LOW 0.82
#define FIT_PRIOR_BAND_HIGH 1.27
#endif
