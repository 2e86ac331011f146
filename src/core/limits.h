/* limits.h - one constant per limit, used by the core, the options, sessions,
 * the dashboard and the solvers alike (they must never disagree). */
#ifndef ROOFTOP_CORE_LIMITS_H
#define ROOFTOP_CORE_LIMITS_H

#include <stdint.h>

#define RT_DEVICES_MAX 65536            /* devices, and the tp/pp degrees */
#define RT_TOKENS_MAX ((int64_t)1 << 40) /* a batch, a prompt, an output, a context */
/* Any count or width read from a file, before the core's own caps name the
 * field: beyond this, products such as vocab x hidden x tokens lose integer
 * precision in a double. */
#define RT_COUNT_MAX RT_TOKENS_MAX
#define RT_LAYERS_MAX 65536             /* layers of a model, --gpu-layers */
#define RT_SPEC_TOKENS_MAX 64           /* draft tokens per verification step */
/* One node, when the catalog does not say: an HGX/DGX board of 8 GPUs, each with
 * a 400 Gb/s network adapter to the other nodes (NVIDIA DGX H100 datasheet:
 * eight ConnectX-7 at 400 Gb/s), 50 GB/s per device per direction. */
#define RT_NODE_DEVICES 8
#define RT_NODE_LINK_BW 50e9
#define RT_EFFICIENCY_MAX 1.0           /* MBU and MFU: achieved over peak, at most 1 */
#define RT_REQUESTS_MAX ((int64_t)1000000) /* requests in one serving run (about 50 MB of state) */
/* --rate: the lowest arrival rate replayed.  RT_REQUESTS_MAX requests at it
 * span 1e9 s, where a double still resolves 0.12 us. */
#define RT_RATE_MIN 1e-3
#define RT_RATE_INF 1e9                 /* --rate: this or more (and "inf") means every request at once */
/* --solve: the most devices a setup may use, by default and at most. */
#define RT_SOLVE_DEVICES_DEFAULT 8
#define RT_SOLVE_DEVICES_MAX 1024
/* Between devices whose catalog entry gives no interconnect (link_gbps 0):
 * 1 GB/s.  No source: a stand-in far below any real link (PCIe 3.0 x1 is about
 * 1 GB/s), so that splitting such devices never looks free. */
#define RT_LINK_BW_UNKNOWN 1e9
/* No published run of the engine on the scenario's device family: its band on
 * times widens by this factor each way.  1.6 is the 90th percentile of the
 * single-stream decode error when a whole device family is left out of the fit
 * and predicted from the others (59.7%, `make accuracy`, leave one device family
 * out, December 2026): how far an engine's efficiency carries to a family it was
 * never measured on. */
#define RT_FAR_BAND 1.6

/* ---- units ---- */
#define RT_S_PER_HOUR 3600.0
#define RT_HOURS_PER_YEAR (365.25 * 24.0) /* 8766: a Julian year */
#define RT_HOURS_PER_MONTH (RT_HOURS_PER_YEAR / 12.0)
#define RT_PER_MTOK 1e6                 /* prices and energy are per million tokens */
#define RT_J_PER_KWH 3.6e6

#endif
