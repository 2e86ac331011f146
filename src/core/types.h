/* types.h - the estimator's inputs and outputs.
 *
 * Everything the core needs arrives in these structs; the core reads no
 * files, keeps no globals and calls nothing outside libc's math.  Units are
 * SI throughout: bytes, seconds, FLOPs, bytes/s, FLOP/s.
 */
#ifndef ROOFTOP_CORE_TYPES_H
#define ROOFTOP_CORE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#define RT_ID_MAX 48
#define RT_CHIP_MAX 16
#define RT_NAME_MAX 96
#define RT_ERR_MAX 256

/* Compute precisions a device may run natively (tensor cores or matrix units).
 * RT_FP4: block-scaled 4-bit floating point (E2M1; NVFP4, MXFP4), Blackwell and CDNA4. */
#define RT_PRECS(X) X(RT_FP32, "fp32") X(RT_FP16, "fp16") X(RT_BF16, "bf16") X(RT_FP8, "fp8") \
    X(RT_INT8, "int8") X(RT_INT4, "int4") X(RT_FP4, "fp4")
/* An enum from an X-macro list of (id, name) rows; the names are the presets' words. */
#define RT_ENUM_ID(id, name) id,
enum rt_prec { RT_PRECS(RT_ENUM_ID) RT_PREC_N };

/* FFN kinds: gated (SwiGLU/GeGLU, 3 matrices), plain (GELU MLP, 2 matrices),
 * squared ReLU (Nemotron-H, 2 matrices). */
enum rt_ffn { RT_FFN_GATED, RT_FFN_PLAIN, RT_FFN_RELU2 };
enum rt_norm { RT_NORM_RMS, RT_NORM_LAYER };
/* Sliding-window layout: none, every layer, or a pattern of period swa_period
 * (layer i local unless (i + 1) % period == 0: Gemma 2's even layers at 2, Gemma
 * 3's five of six at 6). */
enum rt_swa { RT_SWA_NONE, RT_SWA_ALL, RT_SWA_ALTERNATE };

/* What mixes tokens in a layer: softmax attention, a Mamba2 selective state
 * space, a Gated DeltaNet (linear attention with a delta-rule state), or nothing
 * (an FFN-only layer). */
enum rt_mixer { RT_MIX_ATTENTION, RT_MIX_MAMBA2, RT_MIX_DELTANET, RT_MIX_NONE };
/* Which tokens an attention layer sees: all, the last W (sliding), or those in
 * its own chunk of C (Llama 4's chunked attention). */
enum rt_attn { RT_ATTN_FULL, RT_ATTN_SLIDING, RT_ATTN_CHUNKED };

#define RT_GROUPS_MAX 16
#define RT_MIX_MAX 16                /* devices of a mixed list (--gpu a:1,b:2), counted one by one */

/* A layer group: `count` layers of one kind, not necessarily next to each other.
 * Of their order only where the group starts is kept: `first`, the index (from 0)
 * of its first layer in the model, decided when the model is read.  MoE expert
 * offload reads it (which blocks come first: cpumoe.c); no other figure depends
 * on the order. */
struct rt_group {
    int64_t count;
    enum rt_mixer mixer;
    /* attention */
    enum rt_attn attn;
    int64_t window;                 /* W (sliding) or C (chunked), tokens */
    int64_t heads, kv_heads, head_dim, v_head_dim;
    int64_t kv_lora_rank, q_lora_rank, rope_dim, nope_dim; /* latent attention (MLA) */
    bool qkv_bias, o_bias;
    bool sinks;                     /* one learned sink logit per head (gpt-oss) */
    bool qk_norm;                   /* per-head RMSNorm on q and k (Qwen3, Gemma 3) */
    bool qk_norm_tp;                /* q and k each normalised over all the layer's heads (MiniMax-M2's
                                     * qk_norm_type "per_layer"): split over tensor-parallel devices,
                                     * their variance is all-reduced */
    bool attn_gate;                 /* q_proj also yields an output gate (Qwen3-Next) */
    int64_t index_heads, index_head_dim, index_topk; /* DSA lightning indexer (DeepSeek-V3.2) */
    /* recurrent mixers: value heads x value dim, key heads x key dim (Mamba2: heads x
     * head_dim, groups x state size), causal convolution kernel */
    int64_t lin_heads, lin_v_dim, lin_k_heads, lin_k_dim, conv_kernel;
    /* feed-forward: dense width, or routed experts (experts > 0) plus shared ones */
    enum rt_ffn ffn;
    bool mlp_bias;                  /* biases on the FFN (every expert's) projections */
    int64_t intermediate;           /* dense FFN width; 0 and no experts: no FFN */
    int64_t experts, experts_per_token, expert_intermediate;
    int64_t shared_intermediate;    /* total width of the shared experts, 0: none */
    int64_t expert_in;              /* latent MoE: experts work at this width, projected from and
                                     * back to hidden_size (Nemotron 3); 0: hidden_size */
    bool router_bias;
    int state_bits;                 /* recurrent state element width (mamba_ssm_dtype); 0: the KV format's */
    int norms;                      /* norm weight vectors of width hidden */
    int first;                      /* the model's index of the group's first layer (layers are at
                                     * most 2^16: rt_validate_model) */
};

struct rt_model {
    char id[RT_ID_MAX];
    char name[RT_NAME_MAX];
    int64_t hidden, layers, heads, kv_heads, head_dim, v_head_dim;
    int64_t intermediate, vocab;
    enum rt_ffn ffn;
    enum rt_norm norm;
    int norms_per_layer;            /* 2 for Llama, 4 for Gemma 2, 1 for GPT-J */
    bool tied_embeddings;
    bool qkv_bias, o_bias, mlp_bias, lm_head_bias;
    enum rt_swa swa;
    int64_t window;                 /* sliding window, tokens */
    int64_t swa_period;             /* RT_SWA_ALTERNATE's period, 0: 2 */
    int64_t positions;              /* rows of a learned position table (GPT-2, OPT), 0: none */
    bool embed_norm;                /* a norm after the word embedding (BLOOM) */
    /* Mixture of experts (experts == 0: dense); first_dense: the dense layers before
     * the first MoE layer (first_k_dense_replace), of the view (the groups' `first`
     * is the model's order). */
    int64_t experts, experts_per_token, shared_experts, expert_intermediate, first_dense;
    /* Multi-head latent attention (kv_lora_rank == 0: not MLA). */
    int64_t kv_lora_rank, q_lora_rank, rope_dim, nope_dim;
    int64_t max_context;
    double official_params, official_active; /* as published, 0 if unknown */
    /* Routing skew of the routed experts (doc/method.md, "Routing skew"): the busiest
     * expert-parallel rank's routed tokens over the mean, less one, as measured with
     * route_imbalance_ep ranks and no load balancer (0: no measurement). */
    double route_imbalance;
    int64_t route_imbalance_ep;
    /* Layer groups: the model (at least one; the readers build them, see
     * rt_plain_groups); the fields above are a view of them, its main attention
     * layer and FFN. */
    int n_groups;
    struct rt_group group[RT_GROUPS_MAX];
    double extra_params;            /* vision tower and projector: memory, not per-token work */
    char hf_repo[RT_NAME_MAX];      /* Hugging Face repository the engines load ("" : use the id) */
    char gguf_repo[RT_NAME_MAX];    /* a published GGUF repository (llama-server -hf), "" : none known */
    char native_weights[RT_ID_MAX]; /* the format its publisher ships ("": not known, 16-bit assumed) */
    char native_source[RT_NAME_MAX * 2]; /* where that is published */
    /* Tensor classes the checkpoint keeps in another format than native_weights ("": the
     * same): the mixer (attention) projections, and the other FFN weights (dense FFNs,
     * shared experts, routers) with the norms.  gpt-oss: MXFP4 experts, bf16 attention
     * and router (its config.json's quantization_config modules_to_not_convert). */
    char native_attn[RT_ID_MAX], native_dense[RT_ID_MAX];
    /* Drafting (doc/method.md): multi-token-prediction layers the checkpoint ships
     * (num_nextn_predict_layers); the published per-token acceptance rate of this model
     * as a draft, or of its own MTP layers (0: none published); and, for a draft head,
     * its input projection (MTP eh_proj, EAGLE fc: per-token work) and whether it
     * reads the target's embedding and output head rather than its own copies. */
    int64_t mtp_layers;
    double draft_accept;
    double draft_proj_params;
    bool shares_embed_head;
    bool shares_embed;              /* an EAGLE-3 head: the target's embedding, its own (smaller) lm_head */
    int64_t draft_target_hidden;    /* an EAGLE-3 head: the width of the target's hidden states it reads */
    int64_t draft_target_vocab;     /* ... and the target's vocabulary, whose embedding it reads */
};

/* Device families, with their names in the presets. */
#define RT_FAMILIES(X) X(RT_FAM_NVIDIA_DC, "nvidia-dc") X(RT_FAM_NVIDIA_CONSUMER, "nvidia-consumer") \
    X(RT_FAM_AMD, "amd") X(RT_FAM_INTEL, "intel") X(RT_FAM_APPLE, "apple") X(RT_FAM_CPU, "cpu")         \
    X(RT_FAM_TPU, "tpu") X(RT_FAM_AWS, "aws")
enum rt_family { RT_FAMILIES(RT_ENUM_ID) RT_FAM_N };

struct rt_device {
    char id[RT_ID_MAX];
    char name[RT_NAME_MAX];
    enum rt_family family;
    double memory_bytes;            /* per device */
    double usable_bytes;            /* what a runtime can use of it (unified memory: the GPU's share), 0 = all */
    double bandwidth;               /* bytes/s, peak */
    double attainable_bw;           /* bytes/s a measured kernel reaches where it is well below the peak, 0: peak */
    double peak[RT_PREC_N];         /* dense FLOP/s; 0 = not native */
    double peak_fp16_acc16;         /* FP16 with FP16 accumulation where faster (GeForce), 0 = as fp16 */
    double attainable_flops;        /* 16-bit dense matmul FLOP/s a published measurement reaches (BF16, else
                                     * FP16), where below the peak; 0: the peaks.  Its share of the peak
                                     * scales every tensor rate of the device (kclass.c) */
    double attainable_fp8_flops;    /* dense FP8 matmul FLOP/s a published measurement reaches, where below the
                                     * FP8 peak; 0: the 16-bit share above applies to FP8 too (kclass.c) */
    double rocblas_flops;           /* FP16 GEMM FLOP/s rocBLAS reaches on the chip (a published large hgemm),
                                     * where its library has no kernels tuned for it; caps llama.cpp's HIP
                                     * prompt GEMMs (kclass.c), not its Vulkan shaders; 0: none */
    bool alu_parallel;              /* the GPU issues integer and FP instructions in parallel (Apple M3 and
                                     * later): Metal's in-kernel dequantisation overlaps the multiply (kclass.c) */
    double link_bw;                 /* bytes/s per direction between devices */
    bool nvlink;                    /* link is NVLink/xGMI class rather than PCIe */
    int64_t node_devices;           /* devices one node (one NVLink/xGMI domain) holds; 0: RT_NODE_DEVICES */
    double node_link_bw;            /* bytes/s per device between nodes; 0: RT_NODE_LINK_BW */
    double tdp_w;
    double price_usd, price_hour;   /* 0 if unknown */
    int host_cpu;                   /* the host CPU class (enum rt_host_cpu) */
    /* The GPU chip and its enabled SM count, as the vendor's whitepaper or datasheet gives them
     * ("GA100", 108; "" and 0: not given).  A kernel measured on one board also serves the boards
     * of the same chip and SM count (attn.c). */
    char chip[RT_CHIP_MAX];
    int sms;
    /* The GPU's boost clock, Hz (devices.cfg boost_mhz; 0: not given): a layer's small
     * kernels take a fixed number of GPU cycles, so an engine that states its per-layer
     * cost at a clock (rt_engine.layer_clock_hz) pays it scaled by that clock over this. */
    double boost_hz;
    /* CPU entries (cpuclass.h): the core class, the cores and their sustained all-core
     * clock; the peaks an entry leaves out follow from them.  0: none given. */
    int cpu_class;
    double cpu_cores, cpu_hz;
};

struct rt_format {
    char id[RT_ID_MAX];
    double bits;                    /* effective bits per weight, scales included */
    double embed_bits, head_bits;   /* embedding table and lm_head (0: same as bits) */
    /* Per tensor class, where a checkpoint keeps some tensors in another format (gpt-oss:
     * MXFP4 routed experts, bf16 attention and router): the mixer (attention) projections,
     * and the FFN weights outside the routed experts (dense FFNs, shared experts, the
     * router) with the norms.  0: same as bits. */
    double attn_bits, dense_bits;
    /* The precision + 1 the mixer projections multiply at where a user names their format
     * apart (--attn-weights fp8 beside nvfp4 weights: the FP8 rate); 0: the rule in perf.c
     * proj_peak (16-bit attn_bits beside low-precision math: the 16-bit rate). */
    int attn_compute;
    enum rt_prec compute;           /* precision the matmuls run at */
    /* The precision + 1 a runtime multiplies the routed experts at where it differs from the
     * rest's (TensorRT-LLM 0.9's "FP8" Mixtral: 8-bit experts in 16-bit math, FP8 attention);
     * 0: compute.  Their storage stays `bits`. */
    int expert_compute;
    int klass;                      /* efficiency class: 0 16/32-bit, 1 8-bit, 2 low-bit */
    bool kv_ok;                     /* usable as a KV cache format */
    double ppl_delta;               /* published perplexity increase over 16-bit weights (NAN: none published) */
    /* How llama.cpp's kernels take this format (formats.cfg, each with its source; kclass.c,
     * cpuclass.c).  Metal: mul_mm's prompt rate as a share of the 16-bit one (0: none
     * published, the 16-bit rate), and the mat-vec's ALU work per weight in FP32 FLOP on GPUs
     * without dual dispatch (0: bound by the memory).  CPU: tinyBLAS_Q0's vector instructions
     * per block and weight row (0: not a tinyBLAS Q0 format), and the int8 tiles ggml-cpu
     * repacks the weights into for i8mm (enum rt_cpu_tiles).  CUDA: deq_twice_cycles, the SM
     * cycles per weight of the dequantise-to-16-bit kernel of builds that ran it once per value
     * twice (0: no figure; kclass.c). */
    double metal_gemm_share, metal_gemv_flop, tinyblas_row_ops, vk_row_matvec_flop, deq_twice_cycles;
    int repack_tiles;
};

/* The int8 tiles ggml-cpu's repack.cpp interleaves a format's blocks into for the i8mm
 * SMMLA GEMM (formats.cfg repack_tiles; cpuclass.c): Q4_0 and Q8_0 blocks in 4x8 tiles, Q4_K
 * super-blocks in 8x8 tiles; none: the format is not repacked. */
#define RT_CPU_TILES(X) X(RT_TILES_NONE, "none") X(RT_TILES_Q0, "q0-4x8") X(RT_TILES_Q4K, "q4k-8x8")
enum rt_cpu_tiles { RT_CPU_TILES(RT_ENUM_ID) RT_TILES_N };

/* Host CPU classes: an engine's host work per step differs between them. */
#define RT_HOST_CPUS(X) X(RT_HOST_X86, "x86") X(RT_HOST_GRACE, "grace")
enum rt_host_cpu { RT_HOST_CPUS(RT_ENUM_ID) RT_HOST_N };

#define RT_SOURCE_MAX 200

/* Where an engine profile's figures come from, one text per figure (a repository
 * file at a commit, a document, or "not published"). */
struct rt_engine_sources {
    char max_seqs[RT_SOURCE_MAX], max_batched_tokens[RT_SOURCE_MAX], kv[RT_SOURCE_MAX];
    char cuda_graph[RT_SOURCE_MAX], host[RT_SOURCE_MAX], swa[RT_SOURCE_MAX];
    char attn[RT_SOURCE_MAX];       /* its decode-attention kernel */
    char kv_policy[RT_SOURCE_MAX];  /* how it holds a sequence's KV cache under load */
    char allreduce[RT_SOURCE_MAX];  /* its own all-reduce kernel for small messages */
};

/* How an engine holds a sequence's KV cache in serving (engines.cfg kv_policy; serve.h
 * kv_grow; doc/method.md, "KV cache under load"): "reserve" sets aside the cache of the
 * sequence's final context when it is admitted (TensorRT-LLM's GUARANTEED_NO_EVICT);
 * "grow" admits it on its prompt's cache, adds blocks as it decodes, and preempts the
 * newest sequences when they run out, to be recomputed when they resume (vLLM's paged
 * blocks, SGLang, TurboMind 2). */
#define RT_KV_POLICIES(X) X(RT_KVP_RESERVE, "reserve") X(RT_KVP_GROW, "grow")
enum rt_kv_policy { RT_KV_POLICIES(RT_ENUM_ID) RT_KVP_N };

/* What an engine does with a model's sliding-window layers (engines.cfg swa_kv;
 * doc/method.md, "Sliding windows by engine"): keeps each one's window (their KV
 * and attention span capped at W), ignores the window (every layer keeps and
 * attends to the whole context), or keeps windows only in models that mix sliding
 * and full-attention layers (a model whose every layer slides runs as full). */
#define RT_SWA_KVS(X) X(RT_SWAKV_WINDOW, "window") X(RT_SWAKV_FULL, "full") X(RT_SWAKV_HYBRID, "hybrid")
enum rt_swa_kv { RT_SWA_KVS(RT_ENUM_ID) RT_SWAKV_N };

/* The decode-attention kernel an engine runs by default (engines.cfg attn_kernel;
 * attn.c, doc/method.md "Decode attention by kernel"): only FlashInfer's has a published
 * time by bytes per call; FlashAttention 2/3 (vLLM), XQA (TensorRT-LLM) and the
 * "unmeasured" rest keep the roofline.  Masked MHA (TensorRT-LLM's generation kernel
 * without XQA) reads each KV head once per query head, and the early XQA ran only for
 * 128-wide heads with 8 query heads per KV head, masked MHA elsewhere
 * (rt_attn_kv_reads). */
#define RT_ATTN_KERNELS(X)                                                                              \
    X(RT_AK_UNMEASURED, "unmeasured") X(RT_AK_FLASHINFER, "flashinfer") X(RT_AK_FLASH_ATTN, "flash-attn") \
    X(RT_AK_XQA, "xqa") X(RT_AK_MMHA, "masked-mha") X(RT_AK_XQA_H128G8, "xqa-h128-g8")
enum rt_attn_kernel { RT_ATTN_KERNELS(RT_ENUM_ID) RT_AK_N };

/* The kernel an engine runs for a Mamba-2 layer's recurrent state update at decode
 * (engines.cfg ssm_kernel; attn.c rt_ssm_state_share, doc/method.md "Decode attention by
 * kernel"): "triton-ssu" is vLLM's Triton selective_state_update at its built-in launch
 * heuristic, which has a published time by effective batch; "unmeasured" keeps the
 * roofline. */
#define RT_SSM_KERNELS(X) X(RT_SK_UNMEASURED, "unmeasured") X(RT_SK_TRITON_SSU, "triton-ssu")
enum rt_ssm_kernel { RT_SSM_KERNELS(RT_ENUM_ID) RT_SK_N };

/* The compute backend a ggml engine (llama.cpp: an engine whose qgemm is not weight-only) runs
 * on, where it has several (kclass.c, doc/method.md "Backends"): "auto" takes the device
 * family's usual one (CUDA on NVIDIA, HIP/ROCm on AMD, Metal on Apple, the CPU's own), whose
 * kernel classes are the profile's; "vulkan" runs ggml-vulkan's shaders, its matrix-matrix
 * products on cooperative matrices (VK_KHR_cooperative_matrix / VK_NV_cooperative_matrix2)
 * at the device's 16-bit matrix rate; "vulkan-scalar" the same backend where the driver
 * exposes no cooperative matrices ("matrix cores: none" in ggml_vulkan's device line): its
 * shaders multiply on the vector units.  "cuda", "rocm", "metal" and "cpu" name the family's
 * own backend and need a device of that family. */
#define RT_BACKENDS(X)                                                                               \
    X(RT_BK_AUTO, "auto") X(RT_BK_CUDA, "cuda") X(RT_BK_ROCM, "rocm") X(RT_BK_VULKAN, "vulkan")      \
    X(RT_BK_VULKAN_SCALAR, "vulkan-scalar") X(RT_BK_METAL, "metal") X(RT_BK_CPU, "cpu")
enum rt_backend { RT_BACKENDS(RT_ENUM_ID) RT_BK_N };

/* Efficiency profile of a serving runtime: achieved fractions of peak. */
struct rt_engine {
    char id[RT_ID_MAX];
    char name[RT_NAME_MAX];
    char version[RT_NAME_MAX];      /* the release range it models */
    char aliases[RT_NAME_MAX];      /* older ids that name it, space-separated */
    int64_t cuda_graph_max_bs;      /* decode batches up to this run as captured CUDA graphs, 0: none/unknown */
    /* Scheduler defaults that depend on the device (vLLM): on a device of at least
     * large_gib GiB whose id does not contain large_exclude, these replace max_seqs and
     * max_batched_tokens (0: no such tier). */
    double large_gib;
    int64_t large_max_seqs, large_max_batched_tokens;
    char large_exclude[RT_ID_MAX];
    double host_step_s[RT_HOST_N];  /* host work per step (scheduling, launch), by host CPU class */
    double host_seq_s[RT_HOST_N];   /* host work per running sequence per step (sampling, detokenising) */
    bool host_overlap;              /* the host works ahead of the device (asynchronous scheduling) */
    int swa_kv;                     /* enum rt_swa_kv: its sliding-window KV policy */
    int kv_policy;                  /* enum rt_kv_policy: its KV cache under load, reserved or grown */
    int attn_kernel;                /* enum rt_attn_kernel: its decode-attention kernel off Hopper */
    int ssm_kernel;                 /* enum rt_ssm_kernel: its Mamba-2 state-update kernel at decode */
    /* The engine's own one-shot all-reduce (engines.cfg custom_ar_bytes; collective.h
     * rt_custom_allreduce_s): messages under these many bytes, in groups of 2, of 3-4 and
     * of 5-8 ranks of one NVLink node, skip NCCL (0: NCCL always). */
    double custom_ar_max[3];
    bool split_layers;              /* --gpus N alone splits the layers over the devices (llama.cpp's
                                     * default -sm layer), not the tensors */
    struct rt_engine_sources src;
    double mbu;                     /* decode: achieved / peak bandwidth, 16-bit weights */
    double mbu_class[3];            /* multiplier per format class (16-bit, 8-bit, low-bit) */
    double mbu_family[RT_FAM_N];    /* multiplier per device family */
    double mfu;                     /* prefill: achieved / peak compute */
    double mfu_family[RT_FAM_N];
    double step_overhead_s;         /* fixed cost per forward pass (launches, sampling) */
    double layer_overhead_s;        /* per layer per forward pass */
    double layer_clock_hz;          /* the GPU clock layer_overhead_s is stated at: on a device with a
                                     * boost clock it scales by this over the device's (perf.c
                                     * rt_layer_overhead); 0: not scaled */
    double request_overhead_s;      /* per request, added to TTFT */
    double stage_overhead_s;        /* per pipeline boundary per forward pass (sync, host copies) */
    double first_pass_s;            /* the accuracy replay only: the one-off cost of a prompt pass timed as
                                     * the first large batch of a fresh process (llama.cpp ./main runs of
                                     * 2023, accuracy/names.cfg first_pass); fitted from a measured prior
                                     * (src/accuracy/fit.c, presets/engines.cfg), 0: none */
    bool half_accumulate;           /* 16-bit GEMMs accumulate in 16 bits (llama.cpp's cuBLAS path) */
    int qgemm;                      /* how it multiplies integer/block-quantised weights over many tokens
                                     * (enum rt_qgemm, kclass.h) */
    int backend;                    /* enum rt_backend: ggml's compute backend (auto: the device family's) */
    bool vk_row_matvec;             /* the accuracy replay only: a 2024 build of ggml-vulkan, whose mat-vec
                                     * shader (one row per 32-invocation workgroup, before llama.cpp PR
                                     * #10296) its instructions bound (kclass.c); false: today's shaders */
    bool deq_twice;                 /* the accuracy replay only: a CUDA build of May 2023 to January 2024
                                     * (before llama.cpp PR #4809) whose legacy-quant dequantise kernel
                                     * launched one thread per value, each converting two (kclass.c);
                                     * false: each value once */
    double moe_pad_block;           /* a build whose block-FP8 MoE runs DeepGEMM's contiguous grouped GEMM
                                     * over every expert's padded block, padding computed (vLLM with
                                     * DeepGEMM before PR #30494: kernels.c moe_pad_work); the rows a
                                     * block holds, 0: no such padding (engines.cfg kernels, names.cfg) */
    /* The kernels of one layer (doc/method.md, "Kernels per layer"); all 0: not
     * counted, layer_overhead_s stands in.  Per attention (or recurrent) block, dense
     * FFN and MoE block: the small kernels besides the weight GEMMs (norms,
     * activation quantisation, RoPE, cache writes, attention, top-k) and the weight
     * GEMM kernels.  A small kernel costs kernel_s of GPU time inside a CUDA graph,
     * at least launch_s of host time outside one; a weight GEMM kernel adds
     * gemm_latency_s[format class] (start, ramp, tail) to its streaming time; a MoE block's routing
     * (token sort by expert) adds route_s.  CUDA graphs replay decode steps of up
     * to cuda_graph_max_bs sequences (above: the engine's profile figure; 0: never);
     * prefill runs outside them. */
    int k_attn, k_ffn, k_moe, g_attn, g_ffn, g_moe;
    int k_mla, g_mla;               /* added to an attention block's when it is latent (MLA) */
    /* per attention block whose q and k norm spans every head (rt_group qk_norm_tp), when the
     * heads are split over tensor-parallel devices: its small kernels and its all-reduces
     * (of one fp32 variance per token and norm) */
    int k_qk_tp, r_qk_tp;
    double kernel_s, launch_s, route_s;
    double gemm_latency_s[3];       /* per format class (16-bit, 8-bit, low-bit): each has its GEMM kernels */
    /* A fused-MoE kernel run with its default tile configuration (no tuned
     * configuration for the device and shape, as in a build that predates it) costs
     * moe_untuned_s[i] more per MoE block and pass at moe_untuned_tok[i] tokens per
     * pass, linear between the two points, held outside them; all 0: tuned. */
    double moe_untuned_s[2], moe_untuned_tok[2];
    /* A weight GEMM kernel that gives each CTA one tile of tile_n output columns and
     * no split of K streams that tile's K x tile_n weights through one SM, at most
     * tile_bw[format class] bytes/s: a GEMM of few, long tiles (narrow N, long K, at
     * small M) takes at least that long whatever the device's bandwidth; 0: not
     * counted. */
    double tile_n, tile_bw[3];
    /* Space-separated device ids on which the engine runs another kernel for its linear
     * layers (SGLang: DeepGEMM on Hopper), so the tile bound above applies there only to
     * the routed experts' grouped (fused-MoE) GEMMs; "": none. */
    char tile_except[RT_NAME_MAX];
    /* The tile bound above is the engine's dense linear kernel's only: its routed experts
     * run another kernel, not bounded here (presets: tile_experts = false); false: the
     * experts' grouped GEMMs have the same tiles (SGLang's fused-MoE kernel). */
    bool tile_dense_only;
    /* Small kernels only 8-bit (format class 1, W8A8) weights run, per attention block,
     * added for a latent (MLA) block, per dense FFN and per MoE block: the activation
     * quantisation before each block-FP8 linear, the per-tensor quantisation of the
     * absorbed MLA products' inputs; each costs a small kernel's time. */
    double k_q8[4];
    /* The same for 4-bit floating-point weights multiplied in FP4 (W4A4 MXFP4/NVFP4 on a
     * device with FP4 units; dequantised elsewhere, where none runs): the activation's
     * block-scaled FP4 quantisation before each FP4 linear. */
    double k_q4[4];
    double context_bytes;           /* CUDA context, allocator and communicator buffers */
    double mem_util;                /* fraction of memory the engine lets itself use */
    bool mem_util_of_free;          /* ... of the memory left after weights (TensorRT-LLM), not of all */
    int64_t max_batched_tokens;     /* prefill chunk and, serving, the token budget per step; 0 = no limit */
    int64_t max_seqs;               /* serving: most sequences running at once; 0 = only memory limits */
    double band_low, band_high;     /* multipliers on times for the uncertainty band */
    /* The band's stated coverage per device family: of band_runs[f] published
     * runs of this engine on family f, band_in[f] fell inside the band when
     * predicted without their own publication (cross-validation, make fit). */
    int band_in[RT_FAM_N], band_runs[RT_FAM_N];
    /* of band_runs[f], band_moe[f] ran a mixture-of-experts model (coverage's third
     * number); band_classes: the profile states it, so "near" also means the model's
     * class (dense or MoE) */
    int band_moe[RT_FAM_N];
    bool band_classes;
};

/* A distribution of request lengths (lengths.h): fixed, uniform in [(1-R) mean,
 * (1+R) mean], or log-normal with the mean and log-space sigma S. */
enum rt_dist_kind { RT_DIST_FIXED, RT_DIST_UNIFORM, RT_DIST_LOGNORMAL };
struct rt_dist {
    enum rt_dist_kind kind;
    double param;                   /* R (uniform, 0..1) or S (log-normal, > 0) */
};

/* Labelled assumptions: off by default, each reproduces a simplified formula. */
struct rt_assume {
    bool no_flash_attention;        /* materialise the n^2 score matrix */
    double weight_cache_hit;        /* fraction of weight reads served from cache (seeds: 0.8) */
    bool kv_from_hidden;            /* KV sized with hidden_size (seeds' formula, ignores GQA) */
};

struct rt_scenario {
    const struct rt_model *model;
    const struct rt_device *device;
    const struct rt_format *weights;
    const struct rt_format *kv;
    const struct rt_engine *engine;
    int64_t devices, tp, pp;
    /* Expert parallel (MoE): the tp devices of a stage run attention data parallel
     * in ep groups of tp/ep devices and spread the routed experts; 0/1: off. */
    int64_t ep;
    int64_t batch, prompt, output;
    struct rt_assume assume;
    double target_tok_s;            /* per-sequence target rate, 0 = use the estimate */
    int64_t cached_prefix;          /* prompt tokens already in a prefix cache (not prefilled) */
    double prefix_hit;              /* serving: share of each prompt served from the prefix cache (0..1) */
    /* Speculative decoding (doc/method.md): a draft model proposes spec_tokens
     * tokens, the target verifies them in one step; NULL draft: off. */
    const struct rt_model *draft;
    int64_t spec_tokens;
    double spec_accept;             /* per-token acceptance rate, alpha */
    /* Partial offload (doc/method.md, llama.cpp -ngl): the first gpu_layers layers and
     * the output layer on the device, the rest in host memory; -1: all on the device. */
    const struct rt_device *host;
    int64_t gpu_layers;
    /* MoE expert offload (doc/method.md, llama.cpp --n-cpu-moe): the routed experts of
     * blocks 0 .. cpu_moe-1 in host memory (host), the rest of the model on the device;
     * 0: off. */
    int64_t cpu_moe;
    /* Owning the hardware (seeds' local cost): purchase price written off over
     * lifetime_years of full use, plus electricity at TDP; 0: not computed. */
    double lifetime_years, kwh_usd;
    /* Serving under load (rate > 0; INFINITY: every request at once): requests in
     * the run, and the latency targets for the capacity within them (0: none). */
    double rate;
    int64_t requests;
    double ttft_max, itl_max;
    struct rt_dist prompt_dist, output_dist; /* request lengths around prompt and output */
    int64_t concurrency;            /* with rate INFINITY: a closed loop of this many clients, 0: off */
    bool max_seqs_given;            /* engine->max_seqs is the user's (--max-seqs): it caps whatever
                                     * batch is; else batch above 1 caps, else the engine's limit */
    int64_t dp;                     /* data-parallel replicas of the tp x pp group (0/1: one) */
    int64_t disagg_p, disagg_d;     /* disaggregated: prefill and decode devices, 0: off */
    /* Cost: share of time at work without a rate (0: 1), power at load_factor x TDP, PUE;
     * the API to compare with (USD per million tokens; 0: none). */
    double utilization, load_factor, pue;
    double api_in_usd_mtok, api_out_usd_mtok;
    double api_ttft_s, api_output_tok_s; /* its published latency (0: none published) */
    int64_t api_context;            /* its context limit, tokens (0: unknown) */
    /* Mixed devices (split.c, llama.cpp's layer split): mix_n > 1 devices in order, each
     * a pipeline stage holding the layers its weight gives it (mix_split all 0: by each
     * device's memory); device is mix[0], devices is mix_n, tp and pp are 1; 0: off. */
    int mix_n;
    const struct rt_device *mix[RT_MIX_MAX];
    double mix_split[RT_MIX_MAX];
};

enum rt_bound { RT_MEMORY_BOUND, RT_COMPUTE_BOUND };

struct rt_phase {
    double flops, bytes, ai;
    double ridge;                   /* FLOP/byte where its weight GEMMs turn compute-bound: the kernel class's peak / bandwidth */
    enum rt_bound bound;
    double time_s, time_low_s, time_high_s;
    double t_attn, t_ffn, t_head, t_comm, t_overhead; /* breakdown of time_s */
    double f_attn, f_ffn, f_head;   /* breakdown of flops: attention, FFN or experts, output layer */
    double t_kv;                    /* the part of t_attn spent reading and writing the KV cache */
    double host_bytes;              /* weights read from host memory (expert offload) */
    int kclass;                     /* the kernel class of its weight GEMMs (enum rt_kclass_id, kclass.h) */
};

enum rt_warn {
    RT_WARN_CONTEXT = 1 << 0,       /* beyond the model's trained context */
    RT_WARN_NOT_NATIVE = 1 << 1,    /* weight format not native on this device */
    RT_WARN_TP_KV_REPLICA = 1 << 2, /* TP degree above KV heads: KV replicated */
    RT_WARN_NO_FIT = 1 << 3,
    RT_WARN_TP_PCIE = 1 << 4,       /* tensor parallel over PCIe */
    RT_WARN_ASSUMPTION = 1 << 5,    /* a simplifying assumption is switched on */
    RT_WARN_TP_HEADS = 1 << 6,      /* TP degree does not divide the attention heads */
    RT_WARN_HOST_RAM = 1 << 7,      /* offloaded weights exceed the host's memory */
    RT_WARN_NO_COMPUTE = 1 << 8,    /* the device has no compute figure: times are bandwidth-only */
    RT_WARN_MULTI_NODE = 1 << 10,   /* more devices than one node holds: traffic crosses the network */
    RT_WARN_PAGES = 1 << 9,         /* fits the memory but not the share a runtime may use: loads but pages */
    RT_WARN_API_CONTEXT = 1 << 11,  /* the request is longer than the compared API's context */
    RT_WARN_NO_KV_ROOM = 1 << 12,   /* it fits, but serving's reservations leave no sequence room for its cache */
    RT_WARN_SWA_FULL = 1 << 13,     /* the engine keeps the whole context on the model's sliding-window layers */
};

struct rt_serve_result {
    double rate_rps;
    int64_t requests;
    double ttft_mean_s, ttft_p50_s, ttft_p99_s;
    double itl_mean_s;              /* mean gap between a request's output tokens */
    double e2e_mean_s;              /* arrival to last token */
    double queue_mean_s;            /* arrival to admission */
    double output_tok_s, total_tok_s; /* whole system, over the run */
    double mean_running;            /* time-averaged sequences admitted and not finished */
    int64_t max_running;
    double duration_s;              /* first arrival to last completion */
    int64_t steps;                  /* engine steps simulated */
    int64_t slots;                  /* most sequences that can run at once (engine limit, KV cache) */
    bool fits;                      /* one sequence fits in the KV cache */
    double kv_room_bytes;           /* per device, what the engine's reservations leave for the KV cache */
    double kv_seq_bytes;            /* per device, what one sequence's cache takes at its final context */
    double capacity_rps;            /* largest sustained rate (saturated throughput), requests/s */
    double capacity_sla_rps;        /* largest rate within the targets, 0 without targets */
    bool stable;                    /* rate below capacity */
    double host_s_per_step;         /* the host's work per step, mean over the run's steps */
    bool disagg_on;                 /* disaggregated prefill and decode: */
    int64_t prefill_devices, decode_devices;
    double kv_transfer_s;           /* mean time to move one request's KV cache from prefill to decode */
    int64_t prefix_cached;          /* prompt tokens of each request served from the prefix cache */
};

struct rt_cost {
    bool owned;
    double per_hour_usd;            /* one setup per wall-clock hour (rent or write-off, power at its use) */
    double utilization;             /* the share of time at work in effect */
    /* Per token and per request: the whole cost divided by the work done, all of it
     * charged to the token kind named (the usual convention for a price per million);
     * INFINITY when no work is done. */
    double per_mtok_output_usd, per_mtok_input_usd, per_request_usd;
    double energy_per_mtok_kwh;     /* with a TDP: kWh per million output tokens, at the facility (x load factor x PUE) */
    /* With a rate: */
    double replicas;                /* setups the load needs: ceil(rate / capacity) */
    double devices_needed;          /* replicas x devices */
    double per_month_usd;           /* replicas x their hourly cost x hours per month */
    /* With an API: one request's price (prompt x input + output x output price) and the
     * API's published time to first token and output speed (0: none published), and the
     * time one request takes at those: TTFT + output / speed (0: no speed published) */
    double api_per_request_usd, api_ttft_s, api_output_tok_s, api_request_s;
    /* With an API and a rate: */
    double api_per_month_usd;
    /* With an API: the smallest rate from which self-hosting costs less per month than
     * the API (INFINITY: never, at any load one setup can serve) */
    double breakeven_rps;
};

/* One device of a mixed list (split.c): the layers it holds, its memory, its stage's
 * time per phase. */
struct rt_mix_dev {
    int64_t layers;                 /* repeating layers on it */
    bool output;                    /* it holds the output layer */
    double weights, kv, act, overhead, total, capacity, free;
    bool fits;
    double prefill_s, decode_s;     /* its stage of a prefill and of a decode step, hand-off in included */
};

struct rt_result {
    /* parameters */
    double params_total, params_active;
    double p_attn, p_ffn, p_embed, p_head, p_norm;  /* totals per component */
    /* KV */
    double kv_bytes_per_token;      /* every layer keeping a per-token cache, one sequence */
    double kv_state_bytes_per_sequence; /* fixed-size recurrent states (Mamba, linear attention) */
    /* memory, whole system */
    double weights_bytes, kv_cache_bytes, activation_bytes, overhead_bytes, total_bytes;
    /* memory, per device */
    double dev_weights, dev_kv, dev_act, dev_overhead, per_device_bytes, capacity_bytes;
    double usable_bytes;            /* of capacity_bytes, what a runtime may use (unified memory), per device */
    double free_bytes;              /* per device, what is left (rt_memory_room); < 0: short, or paging */
    bool fits;
    int64_t max_batch, max_context, min_devices;
    int64_t max_gpu_layers;         /* with offload: the most layers the device holds, else -1 */
    double host_bytes;              /* with offload: weights held in host memory */
    int64_t min_cpu_moe;            /* MoE: the fewest --n-cpu-moe blocks that fit, -1: none / not MoE */
    struct rt_phase prefill, decode;
    double ridge_point;             /* device peak FLOP/s / bandwidth at the compute precision */
    double peak_flops, peak_bw;     /* what the roofline used, per device */
    double ttft_s, ttft_low_s, ttft_high_s;
    double tpot_s, tpot_low_s, tpot_high_s;
    double tok_s_seq, tok_s_seq_low, tok_s_seq_high;
    double tok_s_total, tok_s_total_low, tok_s_total_high;
    double e2e_s, e2e_low_s, e2e_high_s;
    /* the band's stated coverage on this device family: band_in of band_runs
     * published runs fell inside it in cross-validation (0 of 0: none published) */
    int64_t band_in, band_runs;
    bool far_band;                  /* no published run near this scenario (the engine on this device
                                     * family): the band on times is widened by RT_FAR_BAND each way */
    bool far_class;                 /* ... because none of those runs had this model's class (dense, MoE) */
    double critical_batch;          /* batch where decode linears turn compute-bound */
    double experts_touched;         /* per MoE layer per decode step */
    double allreduce_bytes_decode;  /* per device per layer per all-reduce */
    /* target-rate view: what the target per-sequence rate needs, per device */
    double need_bw, need_flops_decode, need_flops_prefill;
    double bw_util, compute_util;   /* needed / peak, 0..inf */
    double decode_compute_util;     /* decode FLOP/s needed at the target rate / peak, 0..inf */
    double spec_tokens_per_step;    /* expected tokens per verification, 1 without a draft */
    double spec_speedup;            /* decode speed with the draft over without */
    double cost_per_mtok;           /* USD per million output tokens, 0 if no price */
    double energy_per_mtok_kwh;     /* the static batch at full use: TDP x load factor x PUE, 0 if no TDP */
    double owned_cost_per_mtok;     /* purchase write-off + electricity per million tokens, 0: n/a */
    bool serving_on;                /* the scenario has a rate: serving is filled */
    struct rt_serve_result serving;
    bool cost_on;                   /* a price is known (rented or owned): cost is filled */
    struct rt_cost cost;
    unsigned warnings;
    /* mixed devices (mix_n > 1): each device's share; the slowest decode and prefill
     * stages; the first device that is short of memory (-1: none) */
    int mix_n;
    struct rt_mix_dev mix[RT_MIX_MAX];
    int mix_decode_slowest, mix_prefill_slowest, mix_short;
};

#endif
