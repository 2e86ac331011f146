/* test_roundtrip.c - what rooftop writes it reads back (calibrated profiles,
 * sessions, preferences), 64-bit integers in libconfig files, saves through
 * symbolic links.  Each regression case is one the second red team found. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/slurp.h"
#include "helpers.h"
#include "roundtrip.h"
#include "accuracy/calibrate.h"
#include "base/cfgread.h"

static char tmpdir[256];

static void mktmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/rooftop-roundtrip-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
}

static void rmtmp(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (tmpdir[0] && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static const char *tpath(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

/* xorshift64: the same cases on every run */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint8_t next_byte(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint8_t)(rng >> 32);
}

/* ---- the calibrated profiles' file ---- */

static struct rt_engine calibrated(void)
{
    struct rt_engine e = *catalog_engine(cat(), "llama.cpp");
    snprintf(e.id, sizeof e.id, "local-llama.cpp");
    return e;
}

/* The red team's cases: llama.cpp's README example plus a 0.5 tok/s run gave
 * band_high = 13.17 (the reader takes at most 10); extreme timings gave
 * band_low = 1.28e-305 (at least 0.1), 2.04e+300 and inf. */
Test(calibrated_file, out_of_range_fields_are_clamped_to_what_the_catalog_reads)
{
    struct rt_engine e = calibrated();
    char why[256];
    double highs[] = { 13.17, 2.04e300 }, lows[] = { 1.28e-305, 0.05 };
    for (int i = 0; i < 2; i++) {
        e.band_high = highs[i];
        e.band_low = lows[i];
        e.mbu = 1e-300;
        e.step_overhead_s = 1e300;
        const char *bad = check_engine_roundtrip(&e, why, sizeof why);
        cr_assert_null(bad, "%s", bad);
        struct rt_engine c = e;
        cr_assert(calib_clamp(&c, why, sizeof why));
        /* the reader's bounds: band [0.1, 1] x [1, 10], mbu >= 0.01, step <= 1e7 us */
        cr_assert_eq(c.band_high, 10.0);
        cr_assert_eq(c.band_low, 0.1);
        cr_assert_eq(c.mbu, 0.01);
        cr_assert_eq(c.step_overhead_s, 10.0);
    }
}

Test(calibrated_file, a_non_finite_field_is_refused_not_written, .init = mktmp, .fini = rmtmp)
{
    struct rt_engine e = calibrated();
    e.band_high = INFINITY; /* libconfig would read "inf.0" as a syntax error */
    char path[4096], err[512];
    cr_assert_eq(calibrate_save(&e, tmpdir, path, sizeof path, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "band_high is not a finite number"), "%s", err);
    cr_assert_neq(access(tpath(CAT_CALIBRATED_FILE), F_OK), 0, "a file was written");
    e.band_high = 1.5;
    e.mfu = NAN;
    cr_assert_eq(calibrate_save(&e, tmpdir, path, sizeof path, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "mfu"), "%s", err);
}

Test(calibrated_file, an_id_the_catalog_refuses_is_not_saved, .init = mktmp, .fini = rmtmp)
{
    struct rt_engine e = calibrated();
    snprintf(e.id, sizeof e.id, "My Box");
    char path[4096], err[512];
    cr_assert_eq(calibrate_save(&e, tmpdir, path, sizeof path, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "not a valid id"), "%s", err);
    cr_assert_neq(access(tpath(CAT_CALIBRATED_FILE), F_OK), 0, "a file was written");
}

Test(calibrated_file, the_saved_file_is_read_by_the_next_start, .init = mktmp, .fini = rmtmp)
{
    struct rt_engine e = calibrated();
    e.band_high = 13.17;
    char path[4096], err[512];
    cr_assert_eq(calibrate_save(&e, tmpdir, path, sizeof path, err, sizeof err), RT_OK, "%s", err);
    struct catalog c;
    catalog_init(&c);
    cr_assert_eq(catalog_merge_file(&c, path, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(c.n_engines, 1);
    cr_assert_eq(c.engines[0].band_high, 10.0);
    catalog_free(&c);
}

Test(calibrated_file, ten_thousand_random_profiles_read_back_equal)
{
    uint8_t buf[600];
    char why[512];
    for (int i = 0; i < 10000; i++) {
        for (size_t k = 0; k < sizeof buf; k++)
            buf[k] = next_byte();
        struct bytes b = { buf, sizeof buf };
        struct rt_engine e;
        engine_from_bytes(&b, &e);
        const char *bad = check_engine_roundtrip(&e, why, sizeof why);
        cr_assert_null(bad, "case %d: %s", i, bad);
    }
}

Test(calibrated_file, the_kernels_group_reads_back)
{
    /* a calibrated copy of vllm-rocm keeps its FP4 path (quant4, the tile bound and its
     * tile_experts = false), and SGLang's its experts' tiles */
    const char *id[] = { "vllm-rocm", "sglang" };
    for (int i = 0; i < 2; i++) {
        const struct rt_engine *e = catalog_engine(cat(), id[i]);
        cr_assert_not_null(e);
        char *text = calib_profiles_text(e, 1);
        cr_assert_not_null(text);
        struct catalog c;
        catalog_init(&c);
        char err[CAT_ERR_MAX];
        cr_assert_eq(catalog_merge_text(&c, text, "calibrated-engines.cfg", NULL, err, sizeof err), RT_OK, "%s", err);
        cr_assert_eq(c.n_engines, 1);
        const struct rt_engine *b = &c.engines[0];
        for (int k = 0; k < 4; k++)
            cr_assert(b->k_q4[k] == e->k_q4[k] && b->k_q8[k] == e->k_q8[k], "%s: quant counts", id[i]);
        for (int k = 0; k < 3; k++)
            cr_assert(rt_near(b->tile_bw[k], e->tile_bw[k]), "%s: tile_gbps", id[i]);
        cr_assert(b->tile_n == e->tile_n && b->tile_dense_only == e->tile_dense_only, "%s: tiles", id[i]);
        catalog_free(&c);
        free(text);
    }
}

/* ---- sessions and preferences ---- */

Test(sessions, ten_thousand_random_sessions_read_back_equal)
{
    uint8_t buf[1200];
    char why[512];
    for (int i = 0; i < 10000; i++) {
        for (size_t k = 0; k < sizeof buf; k++)
            buf[k] = next_byte();
        struct bytes b = { buf, sizeof buf };
        const char *bad = check_session_roundtrip(&b, why, sizeof why);
        cr_assert_null(bad, "case %d: %s", i, bad);
    }
}

Test(sessions, a_control_character_in_a_name_is_refused_not_changed)
{
    struct session s;
    session_default(&s);
    snprintf(s.spec.model, sizeof s.spec.model, "evil\033]0;title\007");
    char err[512];
    cr_assert_null(session_text(&s, err, sizeof err));
    cr_assert(strstr(err, "model holds control characters"), "%s", err);
}

/* The attention projections' format (--attn-weights) is saved under its own key and read
 * back; a session without the key opens at auto (as --weights gives them). */
Test(sessions, the_attention_format_reads_back)
{
    struct session s, back;
    session_default(&s);
    cr_assert_str_eq(s.spec.attn_weights, "auto");
    snprintf(s.spec.model, sizeof s.spec.model, "deepseek-r1");
    snprintf(s.spec.weights, sizeof s.spec.weights, "nvfp4");
    snprintf(s.spec.attn_weights, sizeof s.spec.attn_weights, "bf16");
    char err[512];
    char *text = session_text(&s, err, sizeof err);
    cr_assert_not_null(text, "%s", err);
    cr_assert(strstr(text, "attn_weights = \"bf16\";"), "%s", text);
    cr_assert_eq(session_parse(text, "s.cfg", &back, err, sizeof err), RT_OK, "%s", err);
    free(text);
    cr_assert_str_eq(back.spec.attn_weights, "bf16");
    cr_assert_str_eq(back.spec.weights, "nvfp4");
    cr_assert_eq(session_parse("format_version = 1;\nscenario = { model = \"gpt-oss-20b\"; };\n", "s.cfg", &back, err,
                               sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(back.spec.attn_weights, "auto");
}

Test(prefs, ten_thousand_random_preferences_read_back_equal)
{
    uint8_t buf[200];
    char why[512];
    for (int i = 0; i < 10000; i++) {
        for (size_t k = 0; k < sizeof buf; k++)
            buf[k] = next_byte();
        struct bytes b = { buf, sizeof buf };
        const char *bad = check_prefs_roundtrip(&b, why, sizeof why);
        cr_assert_null(bad, "case %d: %s", i, bad);
    }
}

/* ---- libconfig 1.5 wraps integer literals of 2^31 and above ---- */

static const char *session_error(const char *text)
{
    static char err[512];
    struct session s;
    return session_parse(text, "s.cfg", &s, err, sizeof err) == RT_OK ? NULL : err;
}

Test(integers, a_batch_of_2_32_plus_8_is_refused_not_run_as_8)
{
    /* 4294967304 = 2^32 + 8: libconfig 1.5 reads 8 */
    const char *e = session_error("format_version = 1;\nscenario = {\n  batch = 4294967304;\n};\n");
    cr_assert(e && strstr(e, "s.cfg:3: 4294967304 does not fit in 32 bits"), "%s", e ? e : "accepted");
    e = session_error("format_version = 1;\nscenario = { prompt = -2147483649; };\n");
    cr_assert(e && strstr(e, "-2147483649 does not fit"), "%s", e ? e : "accepted");
    e = session_error("format_version = 1;\nscenario = { batch = 0x100000000; };\n");
    cr_assert(e && strstr(e, "does not fit"), "%s", e ? e : "accepted");
    /* the largest 32-bit values, the 64-bit form, floats and digits in names and strings are read */
    cr_assert_null(session_error("format_version = 1;\nscenario = { batch = 2147483647; prompt = 8L; };\n"
                                 "ui = { field = \"x4294967296\"; };\n# 99999999999 in a comment\n"));
    struct session s;
    char err[512];
    cr_assert_eq(session_parse("format_version = 1;\nscenario = { batch = 64L; output = 4096L; };\n", "s.cfg", &s,
                               err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(s.spec.batch, 64);
}

Test(integers, an_api_context_of_2_32_reads_as_2_32_not_0)
{
    struct catalog c;
    catalog_init(&c);
    char err[512];
#define API "apis = ( { id = \"a\"; input_usd_per_mtok = 1.0; output_usd_per_mtok = 2.0; context = %s; } );\n"
    char text[256];
    snprintf(text, sizeof text, API, "4294967296");
    cr_assert_eq(catalog_merge_text(&c, text, "apis.cfg", NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "apis.cfg:1: 4294967296 does not fit in 32 bits"), "%s", err);
    snprintf(text, sizeof text, API, "4294967296L");
    cr_assert_eq(catalog_merge_text(&c, text, "apis.cfg", NULL, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(catalog_api(&c, "a")->context, 4294967296LL);
    catalog_free(&c);
}

/* ---- a save through a symbolic link replaces only a file of rooftop's ---- */

TestSuite(symlinks, .init = mktmp, .fini = rmtmp);

Test(symlinks, a_session_save_through_a_link_to_a_shell_profile_is_refused)
{
    const char *profile = "export PATH=$HOME/bin:$PATH\nalias ll='ls -l'\n";
    write_file(tpath("bashrc"), profile);
    cr_assert_eq(symlink("bashrc", tpath("s.cfg")), 0);
    struct session s;
    session_default(&s);
    char err[512];
    cr_assert_eq(session_save(tpath("s.cfg"), &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "not rooftop's"), "%s", err);
    char *text = slurp_file(tpath("bashrc"), NULL, 4096);
    cr_assert_str_eq(text, profile);
    free(text);
}

Test(symlinks, prefs_and_calibrated_profiles_through_such_a_link_are_refused)
{
    const char *key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n";
    write_file(tpath("id_key"), key);
    cr_assert_eq(mkdir(tpath("rooftop"), 0700), 0);
    cr_assert_eq(symlink("../id_key", tpath("rooftop/prefs.cfg")), 0);
    cr_assert_eq(symlink("../id_key", tpath("rooftop/" CAT_CALIBRATED_FILE)), 0);
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    struct prefs p = { "light", "mine" };
    cr_assert_eq(prefs_save(&p), -1);
    struct rt_engine e = calibrated();
    char path[4096], err[512];
    cr_assert_eq(calibrate_save(&e, NULL, path, sizeof path, err, sizeof err), RT_EINVAL);
    char *text = slurp_file(tpath("id_key"), NULL, 4096);
    cr_assert_str_eq(text, key);
    free(text);
    /* a link to a file of rooftop's is followed */
    cr_assert_eq(unlink(tpath("rooftop/prefs.cfg")), 0);
    write_file(tpath("old-prefs.cfg"), "theme = \"mono\";\n");
    cr_assert_eq(symlink("../old-prefs.cfg", tpath("rooftop/prefs.cfg")), 0);
    cr_assert_eq(prefs_save(&p), 0);
    struct prefs back;
    prefs_load(&back);
    cr_assert_str_eq(back.theme, "light");
    unsetenv("XDG_CONFIG_HOME");
}
