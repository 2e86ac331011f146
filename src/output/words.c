/* words.c - see words.h. */
#include <stddef.h>
#include "output/words.h"
#include "core/core.h"

const char *attention_kind(const struct rt_model *m)
{
    return rt_model_mla(m) ? "mla" : m->kv_heads == m->heads ? "mha" : m->kv_heads == 1 ? "mqa" : "gqa";
}

const char *bound_name(enum rt_bound b) { return b == RT_COMPUTE_BOUND ? "compute" : "memory"; }

const char *fit_verdict(const struct rt_result *r)
{
    return !r->fits ? "DOES NOT FIT" : r->warnings & RT_WARN_PAGES ? "LOADS BUT PAGES" : "FITS";
}

int warning_texts(unsigned w, const char **out, int max)
{
    static const struct { unsigned bit; const char *text; } t[] = {
        { RT_WARN_NO_FIT, "does not fit in device memory" },
        { RT_WARN_CONTEXT, "context beyond the model's trained limit" },
        { RT_WARN_NOT_NATIVE, "the device has no units for the weight format's math: emulated at a slower precision" },
        { RT_WARN_TP_KV_REPLICA, "tensor parallel degree exceeds KV heads: KV cache replicated" },
        { RT_WARN_TP_PCIE, "tensor parallel over PCIe: all-reduces are slow" },
        { RT_WARN_ASSUMPTION, "a simplifying assumption is on (see assumptions)" },
        { RT_WARN_TP_HEADS, "tensor parallel degree does not divide the attention heads (engines refuse it)" },
        { RT_WARN_HOST_RAM, "offloaded weights exceed the host's memory" },
        { RT_WARN_NO_COMPUTE, "no compute figure for this device: prefill is a bandwidth-only lower bound (give --tflops; for a CPU, a named entry with a core class such as ryzen-9-7950x)" },
        { RT_WARN_PAGES, "loads but pages: more than the share of unified memory the GPU may use" },
        { RT_WARN_API_CONTEXT, "the request (prompt + output) is longer than the compared API's context" },
        { RT_WARN_NO_KV_ROOM, "serving: the weights and the engine's reservations (activations of a full step, its "
                              "unused share of memory) leave no room for one sequence's KV cache (with --disagg: on "
                              "the P or the D group, each holding the whole model), so nothing is served and TTFT, "
                              "capacity and the cost per token have no value (fewer --max-seqs, more devices or "
                              "smaller weights make room)" },
        { RT_WARN_SWA_FULL, "this engine does not apply the model's sliding window: those layers keep and attend "
                            "to the whole context (engine profile's swa_kv)" },
        { RT_WARN_MULTI_NODE, "more devices than one node holds: what crosses nodes goes over the network (50 GB/s per device unless the catalog says)" },
    };
    int n = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0] && n < max; i++)
        if (w & t[i].bit)
            out[n++] = t[i].text;
    return n;
}
