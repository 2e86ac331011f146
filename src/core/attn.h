/* attn.h - attention time by kernel: decode by KV bytes per call, prefill by sequence length (attn.c). */
#ifndef ROOFTOP_ATTN_H
#define ROOFTOP_ATTN_H

#include "core/types.h"

/* The time of one decode-attention call that reads `bytes` of KV cache on device d,
 * run by `kernel` (enum rt_attn_kernel): the published bandwidth utilisation at that
 * size, interpolated; 0 where no measurement covers the kernel on that device. */
double rt_attn_call_s(int kernel, const struct rt_device *d, double bytes);

/* The same in two parts, for a caller that times many calls of one scenario (the step cache):
 * the measured curve of `kernel` on device d, looked up once (NULL: none, the roofline stands),
 * and one call's time on it (0 for NULL). */
struct rt_attn_curve;
const struct rt_attn_curve *rt_attn_curve_for(int kernel, const struct rt_device *d);
double rt_attn_curve_s(const struct rt_attn_curve *c, const struct rt_device *d, double bytes);

/* The FLOP/s of `kernel`'s causal prefill attention on device d for heads of head_dim at a
 * sequence length of len tokens: the published forward rate, interpolated in log2(len); 0
 * where none covers the kernel, head width and device (attn.c). */
double rt_attn_prefill_rate(int kernel, const struct rt_device *d, int head_dim, double len);

/* How many times the decode-attention kernel reads each KV head's cache per query token:
 * 1, except masked MHA (one thread block per query head, each loading its KV head: the
 * query heads per KV head) and the early XQA (1 for 128-wide heads with 8 query heads per
 * KV head, else masked MHA's); 1 on a device whose cache serves the repeated loads (attn.c). */
double rt_attn_kv_reads(int kernel, const struct rt_group *g, const struct rt_device *d);

/* The share of device d's datasheet bandwidth that `kernel` (enum rt_ssm_kernel) reaches when
 * it updates the recurrent state of Mamba-2 group g at decode for `eff_batch` (sequence, head)
 * pairs on the device: the published timing of that kernel at that effective batch,
 * interpolated; 0 where none covers the kernel, the state's shape and type, or the device
 * (attn.c). */
double rt_ssm_state_share(int kernel, const struct rt_group *g, const struct rt_device *d, double eff_batch);

#endif
