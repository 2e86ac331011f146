/* attn.h - decode attention time by KV bytes per call and kernel (attn.c). */
#ifndef ROOFTOP_ATTN_H
#define ROOFTOP_ATTN_H

#include "core/types.h"

/* The time of one decode-attention call that reads `bytes` of KV cache on device d,
 * run by `kernel` (enum rt_attn_kernel): the published bandwidth utilisation at that
 * size, interpolated; 0 where no measurement covers the kernel on that device. */
double rt_attn_call_s(int kernel, const struct rt_device *d, double bytes);

#endif
