/* peak.c - the compute peak a device runs a precision at: its own where it has
 * one, else the precision it falls back to.  Below perf.c and kclass.c, which
 * both use it.  Pure C, no I/O, no globals. */
#include "core/core.h"

double rt_compute_peak(const struct rt_device *d, enum rt_prec want, bool *native)
{
    *native = d->peak[want] > 0;
    if (*native)
        return d->peak[want];
    /* Not native: fall back to what the device does run.  BF16 without hardware
     * support is emulated in FP32; the narrow formats are up-cast to 16-bit.
     * FP4 too: without FP4 tensor cores, runtimes dequantise FP4 weights and
     * multiply in 16-bit (vLLM's FP4 Marlin kernel, weight-only W4A16 on SM80
     * and later: vllm/model_executor/layers/quantization/utils/marlin_utils_fp4.py),
     * not in FP8 where the device has FP8. */
    static const enum rt_prec chain_bf16[] = { RT_FP32, RT_FP16 };
    static const enum rt_prec chain_other[] = { RT_FP16, RT_BF16, RT_FP32 };
    const enum rt_prec *c = want == RT_BF16 ? chain_bf16 : chain_other;
    size_t n = want == RT_BF16 ? 2 : 3;
    for (size_t i = 0; i < n; i++)
        if (d->peak[c[i]] > 0)
            return d->peak[c[i]];
    return 0;
}
