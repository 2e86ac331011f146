/* collective.c - the alpha-beta model of collectives (collective.h, doc/method.md).
 *
 * Figures (each a published measurement; the conditions are the source's):
 * - alpha within an NVLink/NVSwitch node, 2.78 us per step: an all-reduce of
 *   128 B between 2 H100 SXM of an HGX board took 5.56 us with CUDA graphs
 *   (NVIDIA/nccl issue #1259, nccl-tests all_reduce_perf, NCCL 2.20.5), 2 steps.
 * - alpha over PCIe, 9.03 us per step: an all-reduce of 8 B over 8 GeForce RTX
 *   3090 on PCIe took 54.18 us (NVIDIA/nccl issue #1439, nccl-tests), a tree of
 *   2 x 3 = 6 steps.
 * - alpha between nodes, 15.45 us per step: an all-reduce of 8 B over 2 nodes of
 *   8 H20 on NDR InfiniBand took 47.6 us (NVIDIA/nccl issue #1244, NVLSTree):
 *   6 steps within the node (16.7 us at the NVLink alpha) and 2 between nodes.
 * - all-reduce bus bandwidth 0.817 of nominal: ring all-reduce on 8 H100 SXM
 *   reached 365-370 GB/s bus bandwidth of NVLink 4's 450 GB/s (NVIDIA/nccl
 *   issue #1455); bus bandwidth as NVIDIA/nccl-tests doc/PERFORMANCE.md
 *   (commit 03a204a) defines it: algbw x 2(n-1)/n.  No published figure was read
 *   for the network: the NVLink share is used for it.  Over PCIe 28/63 = 0.444 of a direction
 *   for more than 4 GPUs, 35/63 = 0.556 for up to 4 (reduce_eff, NVIDIA/nccl issue #1639).
 * - an engine's own one-shot all-reduce (vLLM, SGLang), 5.72 us: vLLM's one-shot kernel
 *   (ca_1stage) on H100 all-reduced 0.50 MB (32 x 8192 bf16) in 0.007 ms over 2 ranks and
 *   0.013 ms over 6 (vllm-project/vllm PR #24111, description 2025-09-02, its isolated
 *   primitives tables); less (n-1) x 524,288 B over 450 GB/s x 0.817 (1.43 us, 7.13 us)
 *   that leaves 5.57 and 5.87 us, their mean 5.72 us.  Small messages agree: SGLang's
 *   custom kernel on 8 H100 took 5.9 us for 2 KiB (sgl-project/sglang PR #2904,
 *   2025-01-15, without CUDA graphs), MSCCL++'s one-shot 5.86 us beside NCCL's 16.84 us
 *   (sgl-project/sglang PR #22734).  Which sizes run it is the engine's (rt_engine
 *   custom_ar_max): the kernel and its limits are vLLM's csrc/custom_all_reduce.cuh
 *   (@036bb68; SGLang's copy sgl-kernel/csrc/allreduce/custom_all_reduce.cuh @5a56108):
 *   one-shot under 512 KiB on up to 4 ranks, under 256 KiB on up to 8, always on 2 (up to
 *   the 8 MiB buffer, custom_all_reduce.py @00d618a, which also sends a message that is
 *   not a whole number of 16-byte packets to NCCL); larger messages run its two-shot,
 *   which costs about NCCL's (PR #2904: 33.8 us for 4 MiB on 8 H100; NCCL's model here
 *   16.68 + 1.75 x 4 MiB / 367.65 GB/s = 36.6 us), so NCCL's model stands for it.
 * - all-to-all 0.97 of nominal within a node: DeepEP's normal dispatch and
 *   combine reached 153 and 158 GB/s of H800's ~160 GB/s NVLink; between nodes
 *   0.86: 43 GB/s of a 400 Gb/s CX7's ~50 GB/s at EP 16 (deepseek-ai/DeepEP
 *   docs/legacy.md, commit 0297fc8, the V1 tables).
 */
#include <math.h>
#include "core/collective.h"

#define ALPHA_NVLINK_S 2.78e-6
#define ALPHA_PCIE_S 9.03e-6
#define ALPHA_NET_S 15.45e-6
#define EFF_REDUCE 0.817
#define EFF_REDUCE_PCIE4 (35.0 / 63.0)
#define EFF_REDUCE_PCIE8 (28.0 / 63.0)
#define EFF_A2A_NODE 0.97
#define EFF_A2A_NET 0.86
#define ALPHA_CUSTOM_S 5.72e-6
#define ACT_BYTES 2.0 /* activations travel in 16-bit */

void rt_link_node(const struct rt_device *d, struct rt_link *l)
{
    l->kind = d->nvlink ? RT_LINK_NVLINK : RT_LINK_PCIE;
    l->alpha_s = d->nvlink ? ALPHA_NVLINK_S : ALPHA_PCIE_S;
    l->bw = rt_link_bw(d);
    l->eff_reduce = d->nvlink ? EFF_REDUCE : EFF_REDUCE_PCIE8; /* a node's worth (reduce_eff) */
    l->eff_a2a = EFF_A2A_NODE;
}

void rt_link_net(const struct rt_device *d, struct rt_link *l)
{
    double node = rt_link_bw(d);
    double net = d->node_link_bw > 0 ? d->node_link_bw : RT_NODE_LINK_BW;
    l->kind = RT_LINK_NET;
    l->alpha_s = ALPHA_NET_S;
    l->bw = net < node ? net : node;
    l->eff_reduce = EFF_REDUCE;
    l->eff_a2a = EFF_A2A_NET;
}

/* Steps of an all-reduce of n ranks: the fewer of a ring's and a tree's. */
static double reduce_steps(int64_t n)
{
    if (n <= 1)
        return 0;
    double ring = 2.0 * (double)(n - 1), tree = 2.0 * ceil(log2((double)n));
    return ring < tree ? ring : tree;
}

/* The bus bandwidth share of an all-reduce over PCIe: every flow crosses the host's root
 * complex, whose bandwidth the flows share, so the share falls as GPUs are added (NVIDIA/nccl
 * issue #1639: 8 RTX 5090 on PCIe 5.0 x16, 63 GB/s a direction, reached 28 GB/s of bus
 * bandwidth, 4 of them 35 GB/s; the maintainer: "On PCI systems, the performance you get is
 * usually determined by the bandwidth your CPU and memory can deliver"). */
static double reduce_eff(const struct rt_link *l, int64_t n)
{
    return l->kind == RT_LINK_PCIE && n <= 4 ? EFF_REDUCE_PCIE4 : l->eff_reduce;
}

double rt_allreduce_link_s(const struct rt_link *l, int64_t n, double bytes)
{
    if (n <= 1 || !(bytes > 0))
        return 0;
    double nd = (double)n;
    return reduce_steps(n) * l->alpha_s + 2.0 * (nd - 1) / nd * bytes / (l->bw * reduce_eff(l, n));
}

double rt_alltoall_link_s(const struct rt_link *l, int64_t n, double bytes, double imbalance)
{
    if (n <= 1 || !(bytes > 0))
        return 0;
    double nd = (double)n, k = imbalance > 1 ? imbalance : 1;
    return l->alpha_s + k * (nd - 1) / nd * bytes / (l->bw * l->eff_a2a);
}

double rt_p2p_link_s(const struct rt_link *l, double bytes)
{
    if (!(bytes > 0))
        return 0;
    return l->alpha_s + bytes / (l->bw * l->eff_a2a);
}

double rt_allreduce_s(const struct rt_device *d, int64_t n, double bytes)
{
    struct rt_link in, net;
    rt_link_node(d, &in);
    int64_t per = rt_node_devices(d);
    if (n <= per)
        return rt_allreduce_link_s(&in, n, bytes);
    if (n <= 1 || !(bytes > 0))
        return 0;
    rt_link_net(d, &net);
    int64_t nodes = (n + per - 1) / per;
    double nd = (double)n, bin = in.bw * in.eff_reduce, bnet = net.bw * net.eff_reduce;
    double slow = bin < bnet ? bin : bnet;
    return reduce_steps(per) * in.alpha_s + reduce_steps(nodes) * net.alpha_s + 2.0 * (nd - 1) / nd * bytes / slow;
}

double rt_custom_allreduce_s(const struct rt_device *d, const double max_bytes[3], int64_t n, double bytes)
{
    /* the kernel serves 2, 4, 6 or 8 ranks of one node, all NVLink peers (vLLM's
     * _SUPPORTED_WORLD_SIZES and its fully-connected check); measured on NVIDIA only */
    bool fits = n >= 2 && n <= 8 && n % 2 == 0 && n <= rt_node_devices(d) && d->nvlink &&
                (d->family == RT_FAM_NVIDIA_DC || d->family == RT_FAM_NVIDIA_CONSUMER);
    double limit = max_bytes ? max_bytes[n <= 2 ? 0 : n <= 4 ? 1 : 2] : 0;
    /* it takes whole 16-byte packets only (should_custom_ar: "custom allreduce requires
     * input byte size to be multiples of 16"): one fp32 per token of 1-3 tokens goes to NCCL */
    if (!fits || !(bytes > 0) || !(bytes < limit) || fmod(bytes, 16.0) != 0)
        return rt_allreduce_s(d, n, bytes);
    struct rt_link l;
    rt_link_node(d, &l);
    return ALPHA_CUSTOM_S + (double)(n - 1) * bytes / (l.bw * l.eff_reduce);
}

double rt_alltoall_s(const struct rt_device *d, int64_t n, double bytes, double imbalance)
{
    struct rt_link l;
    if (n <= rt_node_devices(d))
        rt_link_node(d, &l);
    else
        rt_link_net(d, &l);
    return rt_alltoall_link_s(&l, n, bytes, imbalance);
}

double rt_route_imbalance(double tokens, double topk, int64_t ep)
{
    if (ep <= 1 || !(tokens > 0) || !(topk > 0))
        return 1;
    double e = (double)ep, mean = tokens * topk / e;
    double k = 1 + sqrt(2.0 * log(e) / mean);
    return k < e ? k : e;
}

/* The expected largest of n independent standard normal draws, n = 2, 4, ..., 512
 * (the integral of x n phi(x) Phi(x)^(n-1); Tippett 1925, Harter 1961's tables), taken
 * linearly in log2 n between them. */
static double normal_max(double n)
{
    static const double z[] = { 0, 0.5642, 1.0294, 1.4236, 1.7660, 2.0697, 2.3437, 2.5946, 2.8269, 3.0439 };
    const int last = (int)(sizeof z / sizeof z[0]) - 1;
    if (!(n > 1))
        return 0;
    double x = log2(n);
    int i = (int)x < last ? (int)x : last - 1;
    return z[i] + (x - i) * (z[i + 1] - z[i]);
}

double rt_route_skew(const struct rt_model *m, int64_t ep)
{
    if (ep <= 1 || !m || !(m->route_imbalance > 0) || m->route_imbalance_ep < 2)
        return 1;
    double e = (double)ep, e0 = (double)m->route_imbalance_ep;
    double k = 1 + m->route_imbalance * sqrt(e / e0) * normal_max(e) / normal_max(e0);
    return k < e ? k : e;
}

double rt_engine_allreduce_s(const struct rt_scenario *s, int64_t n, double bytes)
{
    return rt_custom_allreduce_s(s->device, s->engine ? s->engine->custom_ar_max : NULL, n, bytes);
}

double rt_tp_allreduce_s(const struct rt_scenario *s, double tokens)
{
    return rt_engine_allreduce_s(s, s->tp, tokens * (double)s->model->hidden * ACT_BYTES);
}

double rt_pp_send_s(const struct rt_scenario *s, double tokens, int64_t k)
{
    struct rt_link l;
    int64_t per = rt_node_devices(s->device), first = (k + 1) * s->tp;
    /* the last device of stage k and the first of stage k + 1 on different nodes */
    if ((first - 1) / per != first / per)
        rt_link_net(s->device, &l);
    else
        rt_link_node(s->device, &l);
    return rt_p2p_link_s(&l, tokens * (double)s->model->hidden * ACT_BYTES);
}

double rt_ep_alltoall_s(const struct rt_scenario *s, double tokens)
{
    int64_t ep = rt_ep(s);
    if (ep <= 1)
        return 0;
    const struct rt_group *moe = rt_moe_group(s->model);
    double topk = moe ? (double)moe->experts_per_token : 0;
    double local = tokens / (double)ep; /* each ep group routes its own tokens */
    double bytes = local * topk * (double)s->model->hidden * ACT_BYTES;
    struct rt_link l;
    if (s->tp <= rt_node_devices(s->device))
        rt_link_node(s->device, &l);
    else
        rt_link_net(s->device, &l);
    /* the router's own skew (rt_route_skew) is not added here: at up to 8 ranks TensorRT-LLM
     * gathers every token to every rank and reduce-scatters the results, bytes that do not
     * depend on the routing (doc/method.md, "Routing skew") */
    return rt_alltoall_link_s(&l, ep, bytes, rt_route_imbalance(tokens, topk, ep));
}
