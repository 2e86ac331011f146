/* test_mixed.c - mixed devices (--gpu ID:COUNT,..., --tensor-split): llama.cpp's
 * layer split, per-device memory and fit, decode as the sum of the stages and the
 * slowest stage under load, with figures worked out by hand.
 *
 * The split (ggml-org/llama.cpp@a5410f0 src/llama-model.cpp, load_tensors): the
 * weights' running sums over their total are split points p_d; layer il of the
 * n_layer + 1 (the output layer is il = n_layer) goes to the first device with
 * p_d > il / (n_layer + 1), in float.  Llama 3.1 8B has 32 layers, so 33 places. */
#include "helpers.h"
#include "core/serve.h"

static struct rt_spec mixed_spec(const char *gpu, const char *split, const char *engine)
{
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3.1-8b");
    snprintf(sp.gpu, sizeof sp.gpu, "%s", gpu);
    snprintf(sp.tensor_split, sizeof sp.tensor_split, "%s", split);
    snprintf(sp.weights, sizeof sp.weights, "bf16");
    snprintf(sp.engine, sizeof sp.engine, "%s", engine);
    return sp;
}

static struct rt_result run(const struct rt_spec *sp, struct rt_resolved *rs)
{
    char err[512];
    if (spec_resolve(cat(), sp, rs, err, sizeof err) != RT_OK)
        cr_assert_fail("resolve: %s", err);
    return estimate(&rs->s);
}

static void refused(const struct rt_spec *sp, const char *option)
{
    static struct rt_resolved rs;
    char err[512] = "";
    cr_assert_neq(spec_resolve(cat(), sp, &rs, err, sizeof err), RT_OK, "%s is refused", sp->gpu);
    cr_assert(strstr(err, option) != NULL, "the error names %s: %s", option, err);
}

Test(mixed, equal_memory_splits_17_15_with_the_output_last)
{
    /* 24 GB + 24 GB: p = 0.5, 1.  il / 33 < 0.5 for il = 0..16: 17 layers on the
     * 4090; 17..31 (15 layers) and the output layer (32 / 33 < 1) on the 3090.  The
     * "equal" split is 17/15 because the output layer is counted as a 33rd place. */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-4090:1,rtx-3090:1", "", "ideal");
    struct rt_result r = run(&sp, &rs);
    cr_assert_eq(r.mix_n, 2);
    cr_assert_eq(rs.s.devices, 2);
    cr_assert_eq(r.mix[0].layers, 17);
    cr_assert_eq(r.mix[1].layers, 15);
    cr_assert(!r.mix[0].output && r.mix[1].output, "the output layer on the last device");
}

Test(mixed, a_12_gb_card_beside_a_24_gb_one_takes_a_third)
{
    /* 24 GB + 12 GB: p = 2/3, 1 (in float 0.666666687 both for p and for 22 / 33,
     * and upper_bound wants p > x): layers 0..21 (22) on the 4090, 22..31 (10) and the
     * output on the 3060. */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-4090:1,rtx-3060:1", "", "ideal");
    struct rt_result r = run(&sp, &rs);
    cr_assert_eq(r.mix[0].layers, 22);
    cr_assert_eq(r.mix[1].layers, 10);
    cr_assert(r.mix[1].output);
}

Test(mixed, tensor_split_3_1_gives_25_and_7_plus_the_output)
{
    /* --tensor-split 3,1: p = 0.75, 1.  24 / 33 = 0.727 < 0.75 but 25 / 33 = 0.758:
     * layers 0..24 (25) on the first device, 25..31 (7) and the output on the second
     * (a naive 3:1 of 32 layers would say 24/8; llama.cpp counts the output layer). */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-3090:2", "3,1", "ideal");
    struct rt_result r = run(&sp, &rs);
    cr_assert_eq(r.mix_n, 2);
    cr_assert_eq(r.mix[0].layers, 25);
    cr_assert_eq(r.mix[1].layers, 7);
    cr_assert(r.mix[1].output);
    /* a count expands: rtx-4090:1,rtx-3090:2 is three devices, one weight each */
    sp = mixed_spec("rtx-4090:1,rtx-3090:2", "2,1,1", "ideal");
    r = run(&sp, &rs);
    cr_assert_eq(r.mix_n, 3);
    cr_assert_str_eq(rs.s.mix[2]->id, "rtx-3090");
    /* p = 0.5, 0.75, 1: il <= 16 -> 17; 17..24 -> 8; 25..31 -> 7 and the output */
    cr_assert_eq(r.mix[0].layers, 17);
    cr_assert_eq(r.mix[1].layers, 8);
    cr_assert_eq(r.mix[2].layers, 7);
}

Test(mixed, each_device_holds_its_layers_and_their_cache)
{
    /* Llama 3.1 8B at bf16: embedding and lm_head 128,256 x 4,096 = 525,336,576 each;
     * the rest 8,030,261,248 - 2 x 525,336,576 = 6,979,588,096 (32 layers of
     * 218,112,000 and the 4,096 final norm weights), 13,959,176,192 bytes, 1/32 =
     * 436,224,256 bytes per layer's share.  4090: 17 x 436,224,256 = 7,415,812,352;
     * 3090: 15 x 436,224,256 + the output layer 1,050,673,152 = 7,594,036,992.  The
     * token embedding (1,050,673,152) stays on the CPU.  KV: 131,072 B/token x 1,280
     * tokens = 167,772,160, split 17/32 = 89,128,960 and 15/32 = 78,643,200. */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-4090:1,rtx-3090:1", "", "ideal");
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.mix[0].weights, 7415812352.0, 1e-12, "4090 weights %.0f", r.mix[0].weights);
    assert_rel(r.mix[1].weights, 7594036992.0, 1e-12, "3090 weights %.0f", r.mix[1].weights);
    assert_rel(r.host_bytes, 1050673152.0, 1e-12, "embedding in host memory %.0f", r.host_bytes);
    assert_rel(r.mix[0].kv, 89128960.0, 1e-12, "4090 KV %.0f", r.mix[0].kv);
    assert_rel(r.mix[1].kv, 78643200.0, 1e-12, "3090 KV %.0f", r.mix[1].kv);
    assert_rel(r.weights_bytes, 7415812352.0 + 7594036992.0, 1e-12, "system weights %.0f", r.weights_bytes);
    cr_assert(r.fits && r.mix[0].fits && r.mix[1].fits);
    cr_assert_eq(r.mix_short, -1);
}

Test(mixed, the_device_short_of_memory_is_named)
{
    /* --tensor-split 4,1 on a 3060 (12 GB) and a 4090: p = 0.8, 1; il / 33 < 0.8 for
     * il <= 26: 27 x 436,224,256 = 11,778,054,912 bytes of weights, plus llama.cpp's
     * 0.3 GB context = 12.08 GB > 12 GB before any cache.  The 4090 holds 5 layers and
     * the output (2,181,121,280 + 1,050,673,152 bytes) and fits. */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-3060:1,rtx-4090:1", "4,1", "llama.cpp");
    struct rt_result r = run(&sp, &rs);
    cr_assert_eq(r.mix[0].layers, 27);
    assert_rel(r.mix[0].weights, 11778054912.0, 1e-12, "3060 weights %.0f", r.mix[0].weights);
    cr_assert(!r.mix[0].fits && r.mix[1].fits);
    cr_assert(!r.fits, "one device short: the setup does not fit");
    cr_assert_eq(r.mix_short, 0);
    cr_assert(r.warnings & RT_WARN_NO_FIT);
}

Test(mixed, decode_is_the_sum_of_the_stages)
{
    /* Ideal roofline, one sequence, a one-token prompt and output: each stage streams
     * its weights at its bandwidth.  4090 (1,008 GB/s): 7,415,812,352 / 1.008e12 =
     * 7.357 ms; 3090 (936 GB/s): 7,594,036,992 / 0.936e12 = 8.113 ms, plus the hand-off
     * of 4,096 x 2 bytes over PCIe (31 GB/s each): 9.03 us + 8,192 / (31e9 x 0.97) =
     * 9.30 us.  Step: 15.480 ms; the 3090's stage is the slowest.  (Activations and
     * the KV cache add well under 0.1%.) */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-4090:1,rtx-3090:1", "", "ideal");
    sp.prompt = 1;
    sp.output = 1;
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.mix[0].decode_s, 7.357e-3, 2e-3, "4090 stage %.6g", r.mix[0].decode_s);
    assert_rel(r.mix[1].decode_s, 8.113e-3 + 9.30e-6, 2e-3, "3090 stage %.6g", r.mix[1].decode_s);
    assert_rel(r.decode.time_s, r.mix[0].decode_s + r.mix[1].decode_s, 1e-12, "step = sum of the stages");
    assert_rel(r.decode.time_s, 15.480e-3, 2e-3, "step %.6g", r.decode.time_s);
    cr_assert_eq(r.mix_decode_slowest, 1);
    assert_rel(r.decode.t_comm, 9.30e-6, 1e-2, "hand-off %.6g", r.decode.t_comm);
}

Test(mixed, a_long_prompt_pipelines_its_ubatches_and_the_slowest_stage_bounds_it)
{
    /* llama.cpp cuts a pass into ubatches of 512 tokens and runs them through the
     * devices one after another, up to 4 in flight within a call of 2,048 tokens (pull
     * request #6017).  A 2,048-token prompt: u = 4 ubatches, one call; with stage
     * times S1, S2 for the whole prompt, each ubatch takes S/4 on a device, so
     * T = (S1 + S2)/4 + 3 x max(S1, S2, (S1 + S2)/4)/4 = (S1 + S2 + 3 max(S1, S2)) / 4. */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-4090:1,rtx-3090:1", "", "ideal");
    sp.prompt = 2048;
    sp.output = 1;
    sp.max_batched_tokens = 512;
    struct rt_result r = run(&sp, &rs);
    double s1 = r.mix[0].prefill_s, s2 = r.mix[1].prefill_s, mx = s1 > s2 ? s1 : s2;
    cr_assert(s1 > 0 && s2 > 0);
    assert_rel(r.prefill.time_s, (s1 + s2 + 3 * mx) / 4, 1e-9, "pipelined %.6g of stages %.6g %.6g",
               r.prefill.time_s, s1, s2);
    cr_assert_eq(r.mix_prefill_slowest, s2 > s1 ? 1 : 0);
    /* a decode step of 2 sequences is one ubatch: the devices in turn, no overlap */
    sp.prompt = 1;
    sp.batch = 2;
    r = run(&sp, &rs);
    assert_rel(r.decode.time_s, r.mix[0].decode_s + r.mix[1].decode_s, 1e-12, "decode: the sum of the stages");
}

Test(mixed, identical_devices_split_by_layers_decode_as_a_pipeline_does)
{
    /* rtx-3090:4 (p = 0.25, 0.5, 0.75, 1 over 33 places: layers 9/8/8/7 and the
     * output) against --pp 4 on four 3090s (8 layers each): one sequence passes all layers either way, with three hand-offs
     * over the same PCIe link, so the decode step is the same within the embedding's
     * and the output layer's placement (< 1%). */
    static struct rt_resolved a, b;
    struct rt_spec sp = mixed_spec("rtx-3090:4", "", "llama.cpp");
    sp.prompt = 1;
    sp.output = 256;
    struct rt_result ra = run(&sp, &a);
    sp = mixed_spec("rtx-3090", "", "llama.cpp");
    sp.prompt = 1;
    sp.output = 256;
    sp.devices = 4;
    sp.pp = 4;
    struct rt_result rb = run(&sp, &b);
    cr_assert(ra.mix[0].layers == 9 && ra.mix[1].layers == 8 && ra.mix[2].layers == 8 && ra.mix[3].layers == 7);
    assert_rel(ra.decode.time_s, rb.decode.time_s, 1e-2, "layer split %.6g, pipeline %.6g", ra.decode.time_s,
               rb.decode.time_s);
}

Test(mixed, pipeline_parallelism_keeps_three_more_copies_of_each_devices_inputs)
{
    /* llama.cpp splits Llama 3.1 8B by layer over two cards, all layers offloaded: its
     * scheduler keeps 4 copies of each split's inputs instead of 1.  One ubatch is 512 tokens
     * (n_ubatch); a device receives the residual stream, 4,096 x 4 = 16,384 bytes a token, and
     * the attention mask, F16 with flash attention over n_kv = 1,024 + 256 = 1,280 cells
     * (already a multiple of 256): 2,560 bytes a token.  3 x 512 x (16,384 + 2,560) =
     * 29,097,984 bytes more on each device than one device alone holds for its activations. */
    static struct rt_resolved one, list, pp;
    struct rt_spec sp = mixed_spec("rtx-3090", "", "llama.cpp");
    struct rt_result r1 = run(&sp, &one);
    sp = mixed_spec("rtx-4090:1,rtx-3090:1", "", "llama.cpp");
    struct rt_result rl = run(&sp, &list);
    assert_rel(rl.mix[0].act - r1.dev_act, 29097984.0, 1e-9, "4090 %.0f", rl.mix[0].act - r1.dev_act);
    assert_rel(rl.mix[1].act - r1.dev_act, 29097984.0, 1e-9, "3090 %.0f", rl.mix[1].act - r1.dev_act);
    /* the same two cards of one kind, --gpus 2: llama.cpp's default layer split, the same copies */
    sp = mixed_spec("rtx-3090", "", "llama.cpp");
    sp.devices = 2;
    struct rt_result rp = run(&sp, &pp);
    assert_rel(rp.dev_act - r1.dev_act, 29097984.0, 1e-9, "--gpus 2: %.0f", rp.dev_act - r1.dev_act);
    /* without flash attention the mask is F32: 3 x 512 x (16,384 + 5,120) = 33,030,144 */
    sp = mixed_spec("rtx-3090", "", "llama.cpp");
    sp.assume.no_flash_attention = true;
    r1 = run(&sp, &one);
    sp.devices = 2;
    rp = run(&sp, &pp);
    assert_rel(rp.dev_act - r1.dev_act, 33030144.0, 1e-9, "no flash attention: %.0f", rp.dev_act - r1.dev_act);
    /* a layer left in host memory turns pipeline parallelism off: no copies */
    sp = mixed_spec("rtx-3090", "", "llama.cpp");
    sp.gpu_layers = 30;
    r1 = run(&sp, &one);
    sp.devices = 2;
    rp = run(&sp, &pp);
    assert_rel(rp.dev_act, r1.dev_act, 1e-12, "partial offload: %.0f vs %.0f", rp.dev_act, r1.dev_act);
}

Test(mixed, bad_lists_name_the_option)
{
    struct rt_spec sp = mixed_spec("rtx-4090:1,rtx-9999:1", "", "ideal");
    refused(&sp, "--gpu");
    sp = mixed_spec("rtx-4090:1,rtx-3090:0", "", "ideal");
    refused(&sp, "--gpu");
    sp = mixed_spec("rtx-4090:1,,rtx-3090", "", "ideal");
    refused(&sp, "--gpu");
    sp = mixed_spec("rtx-4090:1,rtx-3090:2", "1,1", "ideal"); /* three devices, two weights */
    refused(&sp, "--tensor-split");
    sp = mixed_spec("rtx-4090:1,rtx-3090:1", "1,-1", "ideal");
    refused(&sp, "--tensor-split");
    sp = mixed_spec("rtx-4090", "1,1", "ideal"); /* weights need a list */
    refused(&sp, "--tensor-split");
    sp = mixed_spec("rtx-4090:1,rtx-3090:1", "", "ideal");
    sp.tp = 2;
    refused(&sp, "--tp");
    sp = mixed_spec("rtx-4090:1,rtx-3090:1", "", "ideal");
    sp.devices = 3;
    refused(&sp, "--gpus");
}

Test(mixed, one_listed_device_is_the_plain_scenario)
{
    static struct rt_resolved a, b;
    struct rt_spec sp = mixed_spec("rtx-4090:1", "", "ideal");
    struct rt_result ra = run(&sp, &a);
    sp = mixed_spec("rtx-4090", "", "ideal");
    struct rt_result rb = run(&sp, &b);
    cr_assert_eq(ra.mix_n, 0);
    cr_assert_eq(ra.per_device_bytes, rb.per_device_bytes);
    cr_assert_eq(ra.decode.time_s, rb.decode.time_s);
}

Test(mixed, the_list_is_costed_as_one_setup_of_its_devices)
{
    /* owned over 3 years, no electricity: (RTX 4090 $1,599 + RTX 3090 $1,499) / (3 x 8,766 h)
     * = 3,098 / 26,298 = $0.1178 per hour */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-4090:1,rtx-3090:1", "", "llama.cpp");
    sp.lifetime_years = 3;
    sp.kwh_usd = 0;
    struct rt_result r = run(&sp, &rs);
    cr_assert(r.cost_on && r.cost.owned);
    assert_rel(r.cost.per_hour_usd, 3098.0 / 26298.0, 1e-9, "per hour %.9g", r.cost.per_hour_usd);
}

Test(mixed, the_hand_off_crosses_nvlink_only_between_two_of_one_nvlink_device)
{
    /* one token's 4,096 x 2 = 8,192 bytes at decode (ideal engine, no per-boundary cost):
     * H100 SXM to H100 SXM over NVLink (450 GB/s): 2.78 us + 8,192 / (450e9 x 0.97) =
     * 2.799 us; H100 SXM to A100 SXM over PCIe, the catalog holding no PCIe rate for
     * NVLink devices, PCIe 4.0 x16 (31 GB/s): 9.03 us + 8,192 / (31e9 x 0.97) = 9.302 us */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("h100-sxm:2", "", "ideal");
    sp.prompt = 1;
    sp.output = 1;
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.decode.t_comm, 2.78e-6 + 8192 / (450e9 * 0.97), 1e-3, "NVLink hand-off %.6g", r.decode.t_comm);
    sp = mixed_spec("h100-sxm:1,a100-sxm-80g:1", "", "ideal");
    sp.prompt = 1;
    sp.output = 1;
    r = run(&sp, &rs);
    assert_rel(r.decode.t_comm, 9.03e-6 + 8192 / (31e9 * 0.97), 1e-3, "PCIe hand-off %.6g", r.decode.t_comm);
}

Test(mixed, an_egpu_behind_thunderbolt_hands_off_at_the_tunnels_pcie_rate)
{
    /* rtx-3090@tb4: the 3090 in a Thunderbolt 4 enclosure, whose PCIe tunnel carries
     * 32 Gb/s = 4.0 GB/s per direction (Thunderbolt 5: 64 Gb/s = 8.0 GB/s).  One token's
     * 4,096 x 2 = 8,192 bytes at decode (ideal engine): the slower link is the tunnel's,
     * 9.03 us + 8,192 / (4.0e9 x 0.97) = 11.141 us (PCIe 4.0 x16 in the box: 9.302 us);
     * Thunderbolt 5: 9.03 us + 8,192 / (8.0e9 x 0.97) = 10.086 us. */
    static struct rt_resolved rs;
    struct rt_spec sp = mixed_spec("rtx-4090:1,rtx-3090@tb4:1", "", "ideal");
    sp.prompt = 1;
    sp.output = 1;
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.decode.t_comm, 9.03e-6 + 8192 / (4.0e9 * 0.97), 1e-3, "TB4 hand-off %.6g", r.decode.t_comm);
    cr_assert_str_eq(rs.s.mix[1]->id, "rtx-3090@tb4", "the id keeps the link (sessions, JSON)");
    cr_assert(strstr(rs.s.mix[1]->name, "over Thunderbolt 4"), "%s", rs.s.mix[1]->name);
    cr_assert_eq(r.mix[0].layers + r.mix[1].layers, 32, "the split is by memory as before");
    sp = mixed_spec("rtx-4090:1,rtx-3090@tb5:1", "", "ideal");
    sp.prompt = 1;
    sp.output = 1;
    r = run(&sp, &rs);
    assert_rel(r.decode.t_comm, 9.03e-6 + 8192 / (8.0e9 * 0.97), 1e-3, "TB5 hand-off %.6g", r.decode.t_comm);
    /* an NVLink card in an enclosure loses its NVLink: two H100s, one behind TB4 */
    sp = mixed_spec("h100-sxm:1,h100-sxm@tb4:1", "", "ideal");
    sp.prompt = 1;
    sp.output = 1;
    r = run(&sp, &rs);
    assert_rel(r.decode.t_comm, 9.03e-6 + 8192 / (4.0e9 * 0.97), 1e-3, "no NVLink to an eGPU %.6g", r.decode.t_comm);
    sp = mixed_spec("rtx-4090:1,rtx-3090@usb2:1", "", "ideal");
    refused(&sp, "@usb2");
}
