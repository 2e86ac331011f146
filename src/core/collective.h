/* collective.h - collectives between devices: an alpha-beta model per link
 * (doc/method.md, "Collectives").
 *
 * A collective of n ranks over a link costs steps x alpha (the latency of one
 * algorithm step: a kernel's hand-shake with its peers) plus the bytes each rank
 * moves over the link's achieved bandwidth.  The link is NVLink/NVSwitch (or
 * xGMI), PCIe, or the network between nodes; a group wider than one node runs
 * hierarchically: its steps within the node at the node's link, those between
 * nodes at the network's.  Pure C, no I/O, no globals.
 */
#ifndef ROOFTOP_COLLECTIVE_H
#define ROOFTOP_COLLECTIVE_H

#include <stdint.h>
#include "core/core.h"

enum rt_link_kind { RT_LINK_NVLINK, RT_LINK_PCIE, RT_LINK_NET, RT_LINK_N };

struct rt_link {
    enum rt_link_kind kind;
    double alpha_s;                 /* latency of one algorithm step */
    double bw;                      /* bytes/s per device per direction, nominal */
    double eff_reduce;              /* achieved bus bandwidth / nominal for all-reduce */
    double eff_a2a;                 /* achieved / nominal for all-to-all (dispatch, combine) */
};

/* The link between two devices of one node (NVLink/xGMI or PCIe as the catalog
 * says), and between nodes (the device's network share, at most its link). */
void rt_link_node(const struct rt_device *d, struct rt_link *l);
void rt_link_net(const struct rt_device *d, struct rt_link *l);

/* One collective on one link kind (n ranks, all within one level):
 * all-reduce of `bytes` per rank: min(ring 2(n-1), tree 2 ceil(log2 n)) steps of
 * alpha + 2(n-1)/n x bytes / (bw x eff_reduce) (nccl-tests' bus bandwidth);
 * all-to-all where each rank sends `bytes` spread evenly over the n ranks, the
 * busiest rank `imbalance` times the mean: alpha + imbalance x (n-1)/n x bytes /
 * (bw x eff_a2a); a point-to-point send of `bytes`: alpha + bytes / (bw x eff_a2a). */
double rt_allreduce_link_s(const struct rt_link *l, int64_t n, double bytes);
double rt_alltoall_link_s(const struct rt_link *l, int64_t n, double bytes, double imbalance);
double rt_p2p_link_s(const struct rt_link *l, double bytes);

/* The same on device d for a group of n ranks that fills nodes of
 * rt_node_devices(d) in turn: hierarchical when it spans nodes (the steps within
 * a node at its link, those between nodes at the network, the bandwidth term at
 * the slower of the two). */
double rt_allreduce_s(const struct rt_device *d, int64_t n, double bytes);
double rt_alltoall_s(const struct rt_device *d, int64_t n, double bytes, double imbalance);

/* An all-reduce as an engine runs it (doc/method.md, "Collectives"): vLLM and SGLang run
 * their own one-shot kernel (every rank reads every peer's buffer over NVLink and sums)
 * for messages under the engine's limit for the group's size (rt_engine custom_ar_max:
 * groups of 2, 3-4, 5-8 ranks), a whole number of 16-byte packets, when the group is
 * 2, 4, 6 or 8 ranks of one NVIDIA NVLink node: one kernel's latency plus (n-1) x bytes over the link's all-reduce
 * bandwidth.  Otherwise, and for an engine without such limits, NCCL's
 * (rt_allreduce_s). */
double rt_custom_allreduce_s(const struct rt_device *d, const double max_bytes[3], int64_t n, double bytes);

/* Routing imbalance of expert parallel: tokens x topk routed choices spread
 * uniformly over ep ranks; the busiest rank's expected load over the mean
 * (balls into bins: mean + sqrt(2 mean ln ep), at most every choice on one
 * rank).  1 when ep <= 1. */
double rt_route_imbalance(double tokens, double topk, int64_t ep);

/* Routing skew of a model's routed experts over ep ranks (doc/method.md, "Routing skew"):
 * a router that prefers some experts loads their ranks more than the mean, step after
 * step.  Measured once, as route_imbalance = (max - mean) / mean of the ranks' routed
 * tokens at route_imbalance_ep ranks (contiguous expert placement, no load balancer),
 * it is carried to ep ranks by treating each rank's load as the sum of its experts'
 * independent loads: the spread over the mean grows as sqrt(ep) (fewer experts per
 * rank), the busiest of ep ranks lies z(ep) spreads above the mean, z(n) the expected
 * largest of n standard normal draws.  Returns the busiest rank's load over the mean:
 * 1 + route_imbalance x sqrt(ep / ep0) x z(ep) / z(ep0), at most ep; 1 when ep <= 1 or
 * the model has no measurement. */
double rt_route_skew(const struct rt_model *m, int64_t ep);

/* ---- a scenario's collectives, per forward pass of `tokens` tokens ---- */

/* One tensor-parallel all-reduce of the hidden state (tokens x hidden x 2 bytes)
 * over the scenario's tp group (0 when tp is 1), as its engine runs it.  A
 * transformer layer has two. */
double rt_tp_allreduce_s(const struct rt_scenario *s, double tokens);
/* An all-reduce of `bytes` per rank over n ranks as the scenario's engine runs it. */
double rt_engine_allreduce_s(const struct rt_scenario *s, int64_t n, double bytes);
/* One pipeline hand-off of the hidden state between stages k and k+1 (0-based),
 * over the network where the boundary falls between nodes. */
double rt_pp_send_s(const struct rt_scenario *s, double tokens, int64_t k);
/* Expert parallel: one dispatch (or one combine) all-to-all of one MoE layer for
 * `tokens` tokens of the whole ep group, routing imbalance included. */
double rt_ep_alltoall_s(const struct rt_scenario *s, double tokens);

#endif
