/* perf_internal.h - perf.c's roofline helpers, shared with step.c (not part of the
 * core's public interface).  The macros give the exported symbols an rt_ prefix
 * without renaming them inside perf.c. */
#ifndef ROOFTOP_PERF_INTERNAL_H
#define ROOFTOP_PERF_INTERNAL_H

#include "core/core.h"
#include "core/stepcache.h" /* struct roof, struct kfix */

#define roof_init rt_perf_roof_init
#define roof_tokens rt_perf_roof_tokens
#define add_op rt_perf_add_op
#define lm_head_op rt_perf_lm_head_op
#define comm_time rt_perf_comm_time
#define finish rt_perf_finish
#define body_bytes rt_perf_body_bytes
#define ep_comm rt_perf_ep_comm
#define kernel_fixed rt_perf_kernel_fixed
#define kernel_quant rt_perf_kernel_quant
#define graphed rt_perf_graphed
#define kernel_tiles rt_perf_kernel_tiles
#define moe_pad_work rt_perf_moe_pad_work

#define LINK_LATENCY_S 8e-6 /* minimum message latency, cli99/llm-analysis default */
#define ACT_BYTES 2.0       /* activations travel in 16-bit */
/* llama.cpp runs an operation whose weights are in host memory on the GPU, copying
 * them, when its batch has at least this many tokens (ggml-cuda.cu,
 * ggml_backend_cuda_device_offload_op: min_batch_size 32) */
#define RT_OP_OFFLOAD_MIN_BATCH 32

void roof_init(const struct rt_scenario *s, struct roof *r);
/* The kernel class of a pass of `tokens` tokens per weight pass: the linear peak and
 * the dequantised copy (roof_init assumes one token, a mat-vec). */
void roof_tokens(const struct rt_scenario *s, struct roof *r, double tokens);
/* Account one operation: FLOPs (system total, split over r->tp) and bytes in the
 * phase totals, dev_bytes (one device) for its time; the time goes into *slot. */
double add_op(struct rt_phase *ph, double *slot, const struct roof *r, double flops, double bytes,
              double dev_bytes, double peak, double mbu);
void lm_head_op(const struct rt_scenario *s, const struct roof *r, struct rt_phase *ph, double seqs,
                double tokens);
double comm_time(const struct rt_scenario *s, double tokens, double rounds);
void finish(struct rt_phase *ph, const struct rt_scenario *s, double ridge);
double body_bytes(const struct rt_format *f);
/* Expert parallel's communication for one step of `tokens` tokens (step.c). */
double ep_comm(const struct rt_scenario *s, const struct rt_params *p, double tokens);

/* The kernels of a layer (kernels.c, struct kfix). */
void kernel_fixed(const struct rt_engine *e, int klass, const double q[4], const struct rt_group *g, int n,
                  bool graphs, double tokens, int64_t tp, struct kfix *k);
/* The low-precision activations' own small kernels of a layer, into q (per attention block,
 * added per latent block, per dense FFN, per MoE block): the 8-bit (W8A8) path's
 * quantisations (engine k_q8), and the FP4 (W4A4) path's where the device multiplies FP4
 * (fp4; k_q4); none for projections a checkpoint keeps in 16 bits (gpt-oss's attention),
 * whose GEMMs take 16-bit inputs. */
void kernel_quant(const struct rt_scenario *s, bool fp4, double q[4]);
/* The time narrow weight GEMMs add when each CTA streams one whole tile of K x tile_n
 * weights (kernels.c): per pass of `tokens` tokens, over the larger of the roofline's
 * streaming time at bw bytes/s and compute time at `flops` FLOP/s on one device; fills
 * k->tile_attn and k->tile_ffn. */
void kernel_tiles(const struct rt_scenario *s, const struct rt_group *g, int n, double tokens, const struct roof *r,
                  struct kfix *k);
/* The padded rows a block-FP8 MoE computes in an engine whose grouped GEMM pads every
 * expert's rows to a whole block and computes the padding (rt_engine moe_pad_block,
 * kernels.c): per pass of `tokens` tokens, the FLOPs (system total, as add_op takes them)
 * and the bytes one device moves for them; both 0 where the engine or the run has none. */
void moe_pad_work(const struct rt_scenario *s, const struct rt_group *g, int n, double tokens,
                  const struct roof *r, double *flops, double *dev_bytes);
/* Whether a decode step of B sequences replays a captured CUDA graph. */
bool graphed(const struct rt_engine *e, double B);

#endif
