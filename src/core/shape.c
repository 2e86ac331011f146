/* shape.c - kernel efficiency as a function of shape (doc/method.md, "Efficiency
 * by shape").  The rates a kernel can reach (peak FLOP/s times MFU, bandwidth
 * times MBU) come from the device and the engine profile; how close a kernel of a
 * given shape gets to them is decided here.
 */
#include <math.h>
#include "core/core.h"

/* A GEMM's time from its compute time tc and its streaming time tm, each at the
 * rates the kernel reaches far from the ridge.  Not max(tc, tm), which has a
 * corner at the ridge: a tiled kernel neither overlaps its loads with its math
 * perfectly nor runs either at full rate near the ridge, so the time rises
 * smoothly through it, as the 2-norm (tc^2 + tm^2)^(1/2): the time is the larger
 * one's far from the ridge and sqrt(2) times either at it.
 * Source: DeepGEMM's published FP8 GEMM table (deepseek-ai/DeepGEMM README.md at
 * its first commit a6d97a1, 2025-02-25: 18 dense and 10 grouped shapes on H800,
 * M = 64 .. 8192 per group).  Against those 28 timings, with the two far-field
 * efficiencies fitted for each form, max(tc, tm) misses by 10.9% median and 23.7%
 * at p90 (44% at worst, always too fast near the ridge: M = 256 per group, N =
 * 4096, K = 7168: 64.5 us measured, 49.7 us by max); the 2-norm by 8.3% / 28.1%
 * (31% at worst) and, with the 2 us kernel start below a kernel's stream,
 * 7.5% / 20.4%; exponents 1.5 to 3 fit about as well, 2 is the round one. */
double rt_shape_gemm(double tc, double tm)
{
    if (tc <= 0)
        return tm;
    if (tm <= 0)
        return tc;
    /* the 2-norm written out: hypot() guards against overflow that times in seconds never
     * reach, and cost 7% of the SLA solver's instructions */
    return sqrt(tc * tc + tm * tm);
}
