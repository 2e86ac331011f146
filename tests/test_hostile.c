/* test_hostile.c - regression tests built from hostile inputs: each test
 * writes a small bad file (or names one under tests/data/hostile/) and checks
 * that rooftop refuses it with a clear error, without reading or writing out
 * of bounds (the sanitizer and valgrind passes of CI run these too). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "base/slurp.h"
#include "helpers.h"
#include "accuracy/accuracy.h"

static char tmpdir[256];

/* A fresh folder per test, removed (with what the test wrote) at the end. */
static void mktmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/rooftop-hostile-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
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

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "%s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(text, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static double now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* ---- the --accuracy CSV ---- */

#define CSV_HEADER "source,hardware,hardware_count,bw,model,weight_format,kv_format,batch,prompt_tokens," \
                   "output_tokens,metric,value,software,notes\n"

TestSuite(accuracy_csv, .init = mktmp, .fini = rmtmp);

Test(accuracy_csv, hundred_thousand_commas_stay_inside_the_field_buffer)
{
    size_t n = 100000;
    char *text = malloc(sizeof CSV_HEADER + n + 2);
    strcpy(text, CSV_HEADER);
    size_t at = strlen(text);
    memset(text + at, ',', n);
    text[at + n] = '\n';
    write_file(tpath("commas.csv"), text, at + n + 1);
    free(text);
    struct acc_set set;
    char err[512];
    cr_assert_eq(accuracy_load(cat(), tpath("commas.csv"), &set, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(set.n, 1);
    cr_assert_str_eq(set.rows[0].skip, "no value"); /* every field empty */
    accuracy_free(&set);
}

Test(accuracy_csv, a_twelve_column_row_is_skipped_not_read_past)
{
    /* 12 fields: the software column (the 13th) is missing */
    const char *text = CSV_HEADER "s,H100 SXM,1,,Llama 3.1 8B,FP16,FP16,1,128,128,tg_tok_s,100\n";
    write_file(tpath("short.csv"), text, strlen(text));
    struct acc_set set;
    char err[512];
    cr_assert_eq(accuracy_load(cat(), tpath("short.csv"), &set, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(set.n, 1);
    cr_assert_str_eq(set.rows[0].skip, "too few columns");
    accuracy_free(&set);
}

Test(accuracy_csv, row_count_is_capped_with_a_clear_error)
{
    /* 100,001 rows of 13 empty fields: 1.4 MB that would hold 63 MB of rows */
    const char *row = ",,,,,,,,,,,,\n";
    size_t rl = strlen(row), n = ACC_MAX_ROWS + 1;
    char *text = malloc(sizeof CSV_HEADER + n * rl);
    strcpy(text, CSV_HEADER);
    size_t at = strlen(text);
    for (size_t i = 0; i < n; i++, at += rl)
        memcpy(text + at, row, rl);
    write_file(tpath("rows.csv"), text, at);
    free(text);
    struct acc_set set;
    char err[512];
    cr_assert_eq(accuracy_load(cat(), tpath("rows.csv"), &set, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "more than 100000 rows"), "%s", err);
    cr_assert_eq(set.n, 0);
}

Test(accuracy_csv, a_file_over_the_size_cap_is_refused_before_reading)
{
    /* a sparse 17 MiB file: nothing is allocated for it */
    int fd = open(tpath("big.csv"), O_WRONLY | O_CREAT, 0600);
    cr_assert(fd >= 0);
    cr_assert_eq(ftruncate(fd, (off_t)ACC_MAX_BYTES + 1), 0);
    close(fd);
    struct acc_set set;
    char err[512];
    cr_assert_eq(accuracy_load(cat(), tpath("big.csv"), &set, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "larger than 16384 KiB"), "%s", err);
}

Test(accuracy_csv, a_fifo_is_refused_without_waiting_for_a_writer, .timeout = 10)
{
    cr_assert_eq(mkfifo(tpath("fifo.csv"), 0600), 0);
    struct acc_set set;
    char err[512];
    cr_assert_eq(accuracy_load(cat(), tpath("fifo.csv"), &set, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "not a regular file"), "%s", err);
}

/* ---- @include in catalogs, sessions and themes ---- */

#include "catalog/theme.h"
#include "scenario/session.h"

TestSuite(include, .init = mktmp, .fini = rmtmp);

static const char *merge_user(const char *text)
{
    static char err[512];
    struct catalog c;
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    write_file(tpath("models.cfg"), text, strlen(text));
    int rc = catalog_merge_file(&c, tpath("models.cfg"), err, sizeof err);
    catalog_free(&c);
    return rc == RT_OK ? NULL : err;
}

Test(include, a_folder_is_refused_and_the_program_lives_on)
{
    const char *e = merge_user("@include \".\"\n");
    cr_assert(e && strstr(e, "only files in the same folder"), "%s", e ? e : "accepted");
    cr_assert_eq(mkdir(tpath("sub"), 0700), 0);
    e = merge_user("revision = 1;\n@include \"sub\"\n");
    cr_assert(e && strstr(e, "models.cfg:2: @include \"sub\": Is a directory"), "%s", e ? e : "accepted");
}

Test(include, a_fifo_a_symlink_an_absolute_path_and_a_parent_are_refused, .timeout = 10)
{
    cr_assert_eq(mkfifo(tpath("pipe.cfg"), 0600), 0);
    const char *e = merge_user("@include \"pipe.cfg\"\n");
    cr_assert(e && strstr(e, "not a regular file"), "%s", e ? e : "accepted");
    cr_assert_eq(symlink("/etc/passwd", tpath("link.cfg")), 0);
    e = merge_user("@include \"link.cfg\"\n");
    cr_assert(e && strstr(e, "symbolic link"), "%s", e ? e : "accepted");
    e = merge_user("@include \"/etc/passwd\"\n");
    cr_assert(e && strstr(e, "only files in the same folder"), "%s", e ? e : "accepted");
    e = merge_user("  @include\t\"..\"  # up\n");
    cr_assert(e && strstr(e, "only files in the same folder"), "%s", e ? e : "accepted");
}

Test(include, a_file_in_the_same_folder_is_read_and_its_errors_name_it)
{
    const char *inc = "models = ( { id = \"inc-model\"; hidden_size = 64; num_hidden_layers = 2;\n"
                      "  num_attention_heads = 2; vocab_size = 10; intermediate_size = \"x\"; } );\n";
    write_file(tpath("more.cfg"), inc, strlen(inc));
    const char *e = merge_user("# user models\n@include \"more.cfg\"\n");
    cr_assert(e, "accepted a string where a number belongs");
    /* the second line of more.cfg, not of the expanded text */
    cr_assert(strstr(e, "more.cfg:2: intermediate_size"), "%s", e);
    inc = "models = ( { id = \"inc-model\"; hidden_size = 64; num_hidden_layers = 2;\n"
          "  num_attention_heads = 2; vocab_size = 10; intermediate_size = 128; } );\n";
    write_file(tpath("more.cfg"), inc, strlen(inc));
    e = merge_user("@include \"more.cfg\" // the rest\n");
    cr_assert_null(e, "%s", e);
}

Test(include, inside_a_comment_or_string_it_is_text)
{
    /* libconfig's scanner only sees @include outside comments and strings */
    const char *e = merge_user("/*\n@include \"/etc/passwd\"\n*/\nrevision = 1;\n");
    cr_assert_null(e, "%s", e);
    struct theme t;
    char err[512];
    const char *text = "name = \"two\n@include \\\"/etc/passwd\\\"\";\nroles = { };\n";
    cr_assert_eq(theme_parse_in(text, "t.cfg", tmpdir, &t, err, sizeof err), RT_OK, "%s", err);
    cr_assert(strstr(t.name, "@include"));
}

Test(include, a_file_including_itself_stops_at_the_depth_cap)
{
    const char *e = merge_user("@include \"models.cfg\"\n");
    cr_assert(e && strstr(e, "nested more than 10 deep"), "%s", e ? e : "accepted");
}

Test(include, sessions_refuse_outside_files_and_never_echo_their_content)
{
    const char *secret = "SECRET-TOKEN-1234 and more\n";
    write_file(tpath("notes.txt"), secret, strlen(secret));
    const char *text = "format_version = 1;\nscenario = {\n@include \"notes.txt\"\n};\n";
    write_file(tpath("s.cfg"), text, strlen(text));
    struct session s;
    char err[512];
    cr_assert_eq(session_load(tpath("s.cfg"), &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "notes.txt:1:"), "%s", err);
    cr_assert_null(strstr(err, "SECRET"), "echoes the file: %s", err);
    text = "format_version = 1;\n@include \"/etc/hostname\"\nscenario = { };\n";
    write_file(tpath("s.cfg"), text, strlen(text));
    cr_assert_eq(session_load(tpath("s.cfg"), &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "s.cfg:2: @include: only files in the same folder"), "%s", err);
    /* text with no folder (a built-in session): no @include at all */
    cr_assert_eq(session_parse("@include \"x.cfg\"\n", "builtin", &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "not allowed"), "%s", err);
}

Test(include, themes_refuse_folders_and_outside_files)
{
    struct theme t;
    char err[512];
    cr_assert_eq(theme_parse_in("@include \".\"\n", "t.cfg", tmpdir, &t, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "t.cfg:1: @include: only files"), "%s", err);
    cr_assert_eq(theme_parse_in("@include \"/etc/passwd\"\n", "t.cfg", tmpdir, &t, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "only files"), "%s", err);
    const char *roles = "roles = { title = { fg = \"red\"; }; };\n";
    write_file(tpath("roles.cfg"), roles, strlen(roles));
    cr_assert_eq(theme_parse_in("name = \"mine\";\n@include \"roles.cfg\"\n", "t.cfg", tmpdir, &t, err, sizeof err),
                 RT_OK, "%s", err);
    cr_assert_str_eq(t.name, "mine");
}

/* ---- sessions that leave keys out ---- */

TestSuite(session_keys, .init = mktmp, .fini = rmtmp);

Test(session_keys, a_missing_key_keeps_its_default_and_resaving_writes_it)
{
    struct session s;
    char err[512];
    const char *text = "format_version = 1;\nscenario = { batch = 4; };\nui = { };\n";
    cr_assert_eq(session_parse(text, "min.cfg", &s, err, sizeof err), RT_OK, "%s", err);
    /* spec_default() and session_default(): the documented defaults */
    cr_assert_str_eq(s.spec.model, "llama-3.1-8b");
    cr_assert_str_eq(s.spec.weights, "native");
    cr_assert_str_eq(s.spec.engine, "vllm");
    cr_assert_str_eq(s.spec.host, "cpu-ddr5-2ch");
    cr_assert_str_eq(s.field, "batch");
    cr_assert_str_eq(s.theme, "default");
    cr_assert_eq(s.spec.batch, 4);
    cr_assert_eq(session_save(tpath("re.cfg"), &s, err, sizeof err), RT_OK, "%s", err);
    char *saved = slurp_file(tpath("re.cfg"), NULL, 1 << 16);
    cr_assert(saved);
    cr_assert(strstr(saved, "  model = \"llama-3.1-8b\";\n"), "%s", saved);
    cr_assert(strstr(saved, "  engine = \"vllm\";\n"), "%s", saved);
    cr_assert(strstr(saved, "  theme = \"default\";\n"), "%s", saved);
    free(saved);
    struct session back;
    cr_assert_eq(session_load(tpath("re.cfg"), &back, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(back.spec.model, "llama-3.1-8b");
    cr_assert_eq(back.spec.batch, 4);
}

/* ---- sizes near 2^40 from a GGUF or a config.json ---- */

#include "import/gguf.h"
#include "import/hfconfig.h"
#include "sane.h"

struct gbuf { unsigned char d[4096]; size_t n; };
static void g32(struct gbuf *b, uint32_t v) { for (int i = 0; i < 4; i++) b->d[b->n++] = (unsigned char)(v >> (8 * i)); }
static void g64(struct gbuf *b, uint64_t v) { for (int i = 0; i < 8; i++) b->d[b->n++] = (unsigned char)(v >> (8 * i)); }
static void gs(struct gbuf *b, const char *s) { g64(b, strlen(s)); memcpy(b->d + b->n, s, strlen(s)); b->n += strlen(s); }
static void kv64(struct gbuf *b, const char *k, uint64_t v) { gs(b, k); g32(b, 10); g64(b, v); } /* type 10: u64 */

/* A Mixtral-shaped GGUF header whose expert sizes are `big`, and no tensors. */
static void moe_gguf(struct gbuf *b, uint64_t big)
{
    memcpy(b->d, "GGUF", 4);
    b->n = 4;
    g32(b, 3);
    g64(b, 0);
    g64(b, 9);
    gs(b, "general.architecture"); g32(b, 8); gs(b, "llama");
    kv64(b, "llama.block_count", 32);
    kv64(b, "llama.embedding_length", 4096);
    kv64(b, "llama.feed_forward_length", 14336);
    kv64(b, "llama.attention.head_count", 32);
    kv64(b, "llama.vocab_size", 32000);
    kv64(b, "llama.expert_count", big);
    kv64(b, "llama.expert_used_count", big);
    kv64(b, "llama.expert_feed_forward_length", big);
}

Test(model_sizes, moe_sizes_near_2_40_from_gguf_are_refused_with_the_cap)
{
    struct gbuf b;
    struct rt_model m;
    char err[512];
    moe_gguf(&b, (uint64_t)1 << 40);
    cr_assert_eq(gguf_parse(b.d, b.n, "moe.gguf", &m, NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "intermediate sizes over 67108864"), "%s", err);
    moe_gguf(&b, 8); /* Mixtral 8x7B's shape with 8 experts of 8 wide: accepted */
    cr_assert_eq(gguf_parse(b.d, b.n, "moe.gguf", &m, NULL, err, sizeof err), RT_OK, "%s", err);
}

Test(model_sizes, moe_sizes_near_2_40_from_config_json_are_refused)
{
    struct rt_model m;
    char err[512], warn[512];
    const char *js = "{\"model_type\":\"qwen3_moe\",\"hidden_size\":4096,\"num_hidden_layers\":48,"
                     "\"num_attention_heads\":32,\"num_key_value_heads\":4,\"vocab_size\":151936,"
                     "\"num_experts\":1099511627776,\"num_experts_per_tok\":1099511627776,"
                     "\"moe_intermediate_size\":1099511627776}";
    cr_assert_eq(hfconfig_parse(js, "c.json", &m, warn, sizeof warn, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "over 67108864"), "%s", err);
}

Test(model_sizes, a_model_at_every_cap_gives_finite_figures_and_does_not_fit)
{
    struct rt_resolved *rs = scen("mixtral-8x7b", "h100-sxm", "bf16", 1, 1, 1024, 256, NULL);
    struct rt_model m = *rs->s.model;
    m.hidden = (int64_t)1 << 24;
    m.intermediate = m.expert_intermediate = (int64_t)1 << 26;
    m.experts = m.experts_per_token = (int64_t)1 << 16;
    m.heads = m.kv_heads = 1 << 16;
    m.head_dim = m.v_head_dim = 1 << 8;
    m.layers = 1 << 10;
    m.vocab = 32000;
    m.n_groups = rt_plain_groups(&m, m.group); /* the edited plain fields are the model */
    rs->s.model = &m;
    struct rt_result r = estimate(&rs->s);
    const char *bad = result_insane(&rs->s, &r);
    cr_assert_null(bad, "%s is not a finite non-negative number", bad);
    cr_assert(!r.fits);
    cr_assert(r.params_total > 1e18, "%g", r.params_total); /* 2^10 layers x 2^16 experts x 3 x 2^50 */
}

/* ---- libconfig's duplicate-name search is linear per setting: bounded ---- */

TestSuite(parse_time, .init = mktmp, .fini = rmtmp);

/* n groups of k distinct settings each, as one catalog list */
static char *many_keys(int groups, int keys)
{
    size_t cap = (size_t)groups * ((size_t)keys * 12 + 8) + 64, at = 0;
    char *t = malloc(cap);
    at += (size_t)sprintf(t, "models = (");
    for (int g = 0; g < groups; g++) {
        at += (size_t)sprintf(t + at, "%s{", g ? "," : "");
        for (int k = 0; k < keys; k++)
            at += (size_t)sprintf(t + at, "k%d=1;", k);
        t[at++] = '}';
    }
    at += (size_t)sprintf(t + at, ");\n");
    return t;
}

Test(parse_time, a_megabyte_session_is_refused_by_size)
{
    char *t = many_keys(1, 100000); /* 1 MB: 27 s of libconfig before the cap */
    write_file(tpath("big.cfg"), t, strlen(t));
    free(t);
    struct session s;
    char err[512];
    double t0 = now();
    cr_assert_eq(session_load(tpath("big.cfg"), &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "larger than 64 KiB"), "%s", err);
    cr_assert(now() - t0 < 1.0);
}

Test(parse_time, one_group_is_capped_at_128_settings)
{
    char *t = many_keys(1, 129);
    char err[512];
    struct catalog c;
    catalog_init(&c);
    cr_assert_eq(catalog_merge_text(&c, t, "u.cfg", NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "u.cfg:1: more than 128 settings in one group"), "%s", err);
    free(t);
    t = many_keys(1, 128); /* at the cap: libconfig reads it, the catalog then rejects k0 */
    cr_assert_eq(catalog_merge_text(&c, t, "u.cfg", NULL, err, sizeof err), RT_EINVAL);
    cr_assert_null(strstr(err, "more than 128"), "%s", err);
    free(t);
    catalog_free(&c);
}

Test(parse_time, a_worst_case_megabyte_catalog_parses_in_linear_time)
{
    /* 1 MB of groups of 128 settings: each setting costs at most 128 name
     * comparisons.  Before the cap a 700 KB file took 49 s. */
    char *t = many_keys(1400, 128);
    cr_assert(strlen(t) > 1000000);
    char err[512];
    struct catalog c;
    catalog_init(&c);
    double t0 = now();
    cr_assert_eq(catalog_merge_text(&c, t, "u.cfg", NULL, err, sizeof err), RT_EINVAL); /* no ids */
    double dt = now() - t0;
    free(t);
    catalog_free(&c);
    if (!getenv("ROOFTOP_SLOW_TESTS")) /* valgrind runs 50 times slower */
        cr_assert(dt < 5.0, "%.1f s", dt);
}

Test(parse_time, entries_per_kind_are_capped)
{
    size_t cap = (size_t)(CAT_ENTRIES_MAX + 1) * 16 + 64, at = 0;
    char *t = malloc(cap);
    at += (size_t)sprintf(t, "formats = (");
    for (int i = 0; i <= CAT_ENTRIES_MAX; i++)
        at += (size_t)sprintf(t + at, "%s{}", i ? "," : "");
    sprintf(t + at, ");\n");
    char err[512];
    struct catalog c;
    catalog_init(&c);
    cr_assert_eq(catalog_merge_text(&c, t, "u.cfg", NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "more than 4096 entries"), "%s", err);
    free(t);
    catalog_free(&c);
}

/* ---- GGUF: sizes checked against the file and the cap before reading ---- */

#include <sys/resource.h>

TestSuite(gguf_file, .init = mktmp, .fini = rmtmp);

/* A header whose first key is a string `claim` bytes long; the file is `size` bytes (sparse). */
static void claiming_gguf(const char *path, uint64_t claim, off_t size)
{
    struct gbuf b;
    memcpy(b.d, "GGUF", 4);
    b.n = 4;
    g32(&b, 3);
    g64(&b, 0);
    g64(&b, 1);
    gs(&b, "general.name");
    g32(&b, 8);
    g64(&b, claim);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, b.d, b.n), (ssize_t)b.n);
    cr_assert_eq(ftruncate(fd, size), 0);
    close(fd);
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

Test(gguf_file, a_4_kb_file_claiming_a_gigabyte_is_refused_at_once)
{
    claiming_gguf(tpath("small.gguf"), (uint64_t)1 << 30, 4096);
    struct rt_model m;
    char err[512];
    long before = maxrss_kb();
    cr_assert_eq(gguf_import(tpath("small.gguf"), &m, NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "the file has 4096"), "%s", err);
    cr_assert(maxrss_kb() - before < 16 * 1024, "grew by %ld KB", maxrss_kb() - before);
}

Test(gguf_file, a_sparse_gigabyte_file_is_held_to_the_512_mib_header_cap)
{
    /* 4 KB on disk, 1 GiB long: the header claims 700 MB of name */
    claiming_gguf(tpath("sparse.gguf"), 700u << 20, (off_t)1 << 30);
    struct rt_model m;
    char err[512];
    long before = maxrss_kb();
    cr_assert_eq(gguf_import(tpath("sparse.gguf"), &m, NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "larger than 512 MiB"), "%s", err);
    cr_assert(maxrss_kb() - before < 16 * 1024, "grew by %ld KB", maxrss_kb() - before);
}

Test(gguf_file, a_fifo_model_path_is_refused_without_waiting, .timeout = 10)
{
    cr_assert_eq(mkfifo(tpath("model.gguf"), 0600), 0);
    cr_assert_eq(mkfifo(tpath("config.json"), 0600), 0);
    struct rt_model m;
    char err[512], warn[512];
    cr_assert_eq(gguf_import(tpath("model.gguf"), &m, NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "not a regular file"), "%s", err);
    cr_assert_eq(hfconfig_import(tpath("config.json"), &m, warn, sizeof warn, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "not a regular file"), "%s", err);
    cr_assert_eq(gguf_import(tmpdir, &m, NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "Is a directory"), "%s", err);
}

/* ---- escape sequences in names and values ---- */

#include "base/text.h"

Test(escapes, a_named_choice_is_found_or_the_choices_are_listed)
{
    static const char *const names[] = { "gated", "plain", "relu2", NULL };
    char why[64] = "untouched";
    cr_assert_eq(text_choice(names, "plain", why, sizeof why), 1);
    cr_assert_str_eq(why, "untouched"); /* found: nothing written */
    cr_assert_eq(text_choice(names, "swish", why, sizeof why), -1);
    cr_assert_str_eq(why, "expected one of: gated, plain, relu2");
    cr_assert_eq(text_choice(names, NULL, why, sizeof why), -1); /* not a string at all */
    char small[20]; /* cut, still terminated: "expected one of: " is 17 characters, then "ga" and the NUL */
    cr_assert_eq(text_choice(names, "x", small, sizeof small), -1);
    cr_assert_str_eq(small, "expected one of: ga");
}

Test(escapes, text_safe_replaces_controls_c1_and_malformed_utf8)
{
    char b[64];
    cr_assert_str_eq(text_safe(b, sizeof b, "\x1b]0;title\x07ok"), "?]0;title?ok");
    cr_assert_str_eq(text_safe(b, sizeof b, "a\tb\nc\rd\x7f"), "a?b?c?d?");
    cr_assert_str_eq(text_safe(b, sizeof b, "csi \xc2\x9b" "2J raw \x9b"), "csi ??2J raw ?"); /* C1 CSI, UTF-8 and raw */
    cr_assert_str_eq(text_safe(b, sizeof b, "overlong \xc0\xaf surrogate \xed\xa0\x80"), "overlong ?? surrogate ???");
    cr_assert_str_eq(text_safe(b, sizeof b, "caf\xc3\xa9 \xc2\xa0 \xe2\x94\x80 \xf0\x9f\x99\x82"),
                     "caf\xc3\xa9 \xc2\xa0 \xe2\x94\x80 \xf0\x9f\x99\x82"); /* é, NBSP, box line, emoji kept */
    cr_assert_str_eq(text_safe(b, 4, "ab\xc3\xa9"), "ab"); /* a character that does not fit is dropped whole */
    char in[] = "x\x1b[31my";
    cr_assert_str_eq(text_safe_inplace(in), "x?[31my");
}

Test(escapes, catalog_names_session_values_and_imports_are_cleaned)
{
    char err[512], warn[512];
    struct catalog c;
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    const char *user = "models = ( { id = \"evil\"; name = \"Evil\\x1b]2;pwned\\x07\\x1b[2J\"; hidden_size = 64;\n"
                       "  num_hidden_layers = 2; num_attention_heads = 2; vocab_size = 10; intermediate_size = 8; } );\n";
    cr_assert_eq(catalog_merge_text(&c, user, "u.cfg", NULL, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(catalog_model(&c, "evil")->name, "Evil?]2;pwned??[2J");
    catalog_free(&c);

    struct session s;
    const char *ses = "format_version = 1;\nscenario = { model = \"m\\x1b[31m\"; };\nui = { theme = \"\\x9b\"; };\n";
    cr_assert_eq(session_parse(ses, "s.cfg", &s, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(s.spec.model, "m?[31m");
    cr_assert_str_eq(s.theme, "?");

    struct rt_model m;
    cr_assert_eq(hfconfig_parse("{\"model_type\":\"x\\u001b]2;t\\u0007\",\"hidden_size\":64,\"num_hidden_layers\":2,"
                                "\"num_attention_heads\":2,\"vocab_size\":10,\"intermediate_size\":8}",
                                "c\x1b[1m.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_null(strchr(m.name, 0x1b), "%s", m.name);
    cr_assert_null(strchr(m.id, 0x1b), "%s", m.id);
    cr_assert_null(strchr(warn, 0x1b), "%s", warn);
    cr_assert_eq(hfconfig_parse("{\"a\": \x1b[2J}", "c.json", &m, warn, sizeof warn, err, sizeof err), RT_EINVAL);
    cr_assert_null(strchr(err, 0x1b), "%s", err);
}

Test(escapes, gguf_architecture_and_file_name_are_cleaned)
{
    struct gbuf b;
    memcpy(b.d, "GGUF", 4);
    b.n = 4;
    g32(&b, 3);
    g64(&b, 0);
    g64(&b, 6);
    gs(&b, "general.architecture"); g32(&b, 8); gs(&b, "ll\x1b[2J");
    kv64(&b, "ll\x1b[2J.block_count", 2);
    kv64(&b, "ll\x1b[2J.embedding_length", 64);
    kv64(&b, "ll\x1b[2J.feed_forward_length", 128);
    kv64(&b, "ll\x1b[2J.attention.head_count", 2);
    kv64(&b, "ll\x1b[2J.vocab_size", 10);
    struct rt_model m;
    char err[512];
    cr_assert_eq(gguf_parse(b.d, b.n, "dir/x\x1b]2;t\x07.gguf", &m, NULL, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(m.id, "gguf-ll?[2J");
    cr_assert_str_eq(m.name, "x?]2;t?.gguf");
}

TestSuite(escapes_csv, .init = mktmp, .fini = rmtmp);

Test(escapes_csv, accuracy_rows_keep_no_escape_sequences)
{
    const char *text = CSV_HEADER "s,\x1b]2;x\x07H100,1,,\x1b[2JLlama,FP16,FP16,1,128,128,\x9b" "tg,100,vLLM\n";
    write_file(tpath("esc.csv"), text, strlen(text));
    struct acc_set set;
    char err[512];
    cr_assert_eq(accuracy_load(cat(), tpath("esc.csv"), &set, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(set.rows[0].hardware, "?]2;x?H100");
    cr_assert_str_eq(set.rows[0].model_name, "?[2JLlama");
    cr_assert_str_eq(set.rows[0].metric_name, "?tg");
    accuracy_free(&set);
}

/* ---- saving over what is there ---- */

#include <dirent.h>
#include <signal.h>

TestSuite(save, .init = mktmp, .fini = rmtmp);

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static struct session some_session(void)
{
    struct session s;
    session_default(&s);
    s.spec.batch = 7;
    return s;
}

Test(save, overwriting_keeps_the_mode)
{
    write_file(tpath("s.cfg"), "old\n", 4);
    cr_assert_eq(chmod(tpath("s.cfg"), 0644), 0);
    struct session s = some_session();
    char err[512];
    cr_assert_eq(session_save(tpath("s.cfg"), &s, err, sizeof err), RT_OK, "%s", err);
    struct stat st;
    cr_assert_eq(stat(tpath("s.cfg"), &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0644, "mode %o", st.st_mode & 07777);
    cr_assert_eq(session_save(tpath("new.cfg"), &s, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(stat(tpath("new.cfg"), &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0600, "a new file: mode %o", st.st_mode & 07777);
}

Test(save, a_symlink_is_followed_and_stays_a_link)
{
    cr_assert_eq(mkdir(tpath("real"), 0700), 0);
    struct session s = some_session();
    char err[512];
    cr_assert_eq(session_save(tpath("real/t.cfg"), &s, err, sizeof err), RT_OK, "%s", err); /* a session of ours */
    cr_assert_eq(symlink("real/t.cfg", tpath("link.cfg")), 0);
    cr_assert_eq(session_save(tpath("link.cfg"), &s, err, sizeof err), RT_OK, "%s", err);
    struct stat st;
    cr_assert_eq(lstat(tpath("link.cfg"), &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link was replaced by a file");
    struct session back;
    cr_assert_eq(session_load(tpath("real/t.cfg"), &back, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(back.spec.batch, 7);
    cr_assert_eq(entries(tpath("real")), 1, "a temporary file is left");
    /* a dangling link: refused */
    cr_assert_eq(symlink("missing/x.cfg", tpath("dangling.cfg")), 0);
    cr_assert_eq(session_save(tpath("dangling.cfg"), &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "missing file"), "%s", err);
}

Test(save, a_device_a_fifo_and_a_folder_are_not_replaced, .timeout = 10)
{
    struct session s = some_session();
    char err[512];
    cr_assert_eq(session_save("/dev/null", &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "not a regular file"), "%s", err);
    struct stat st;
    cr_assert(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    cr_assert_eq(mkfifo(tpath("fifo.cfg"), 0600), 0);
    cr_assert_eq(session_save(tpath("fifo.cfg"), &s, err, sizeof err), RT_EINVAL);
    cr_assert(lstat(tpath("fifo.cfg"), &st) == 0 && S_ISFIFO(st.st_mode));
    cr_assert_eq(mkdir(tpath("dir.cfg"), 0700), 0);
    cr_assert_eq(session_save(tpath("dir.cfg"), &s, err, sizeof err), RT_EINVAL);
    cr_assert_eq(entries(tmpdir), 2, "only the FIFO and the folder");
}

Test(save, a_failed_write_leaves_no_temporary_file_and_the_old_file_intact)
{
    write_file(tpath("s.cfg"), "old\n", 4);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = { 200, 200 }, saved;
    getrlimit(RLIMIT_FSIZE, &saved);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    struct session s = some_session();
    char err[512];
    int rc = session_save(tpath("s.cfg"), &s, err, sizeof err); /* a session is about 1 KB: EFBIG */
    setrlimit(RLIMIT_FSIZE, &saved);
    cr_assert_eq(rc, RT_EINVAL);
    cr_assert(strstr(err, "cannot save"), "%s", err);
    cr_assert_eq(entries(tmpdir), 1, "a temporary file is left");
    char *text = slurp_file(tpath("s.cfg"), NULL, 64);
    cr_assert_str_eq(text, "old\n");
    free(text);
}

/* ---- a sessions-folder name that looks like a path ---- */

TestSuite(session_names, .init = mktmp, .fini = rmtmp);

Test(session_names, foo_cfg_cfg_is_session_foo_cfg_of_the_folder)
{
    setenv("XDG_DATA_HOME", tmpdir, 1);
    cr_assert_eq(chdir(tmpdir), 0);
    const char *decoy = "format_version = 1;\nscenario = { batch = 99; };\n";
    write_file("foo.cfg", decoy, strlen(decoy)); /* ./foo.cfg of the current folder */
    char path[512], err[512];
    cr_assert_eq(session_named_path("foo.cfg", path, sizeof path), RT_OK);
    char want[512];
    snprintf(want, sizeof want, "%s/rooftop/sessions/foo.cfg.cfg", tmpdir);
    cr_assert_str_eq(path, want);
    const char *real = "format_version = 1;\nscenario = { batch = 5; };\n";
    char dir[512];
    cr_assert_eq(session_dir(dir, sizeof dir, true), 0); /* naming a session does not make the folder */
    write_file(want, real, strlen(real));
    struct session s;
    cr_assert_eq(session_open_named("foo.cfg", &s, path, sizeof path, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(s.spec.batch, 5);
    cr_assert_neq(session_named_path("../x", path, sizeof path), RT_OK);
    /* a shipped example still opens by its bare name when the folder lacks it */
    cr_assert_eq(session_open_named("default", &s, path, sizeof path, err, sizeof err), RT_OK, "%s", err);
    cr_assert(strstr(path, "built in"), "%s", path);
}

Test(include, an_unclosed_string_is_named_before_libconfig_sees_it)
{
    /* libconfig 1.5 would leak the string's buffer */
    struct session s;
    char err[512];
    cr_assert_eq(session_parse("format_version = 1;\nscenario = { model = \"x;\n};\n", "u.cfg", &s, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "u.cfg:2: a string in double quotes is not closed"), "%s", err);
}

Test(accuracy_csv, an_infinite_value_is_no_value)
{
    /* found by fuzz_accuracy: "8e672ef ..." in the value column read as infinity and made the median NaN */
    const char *text = CSV_HEADER "s,Apple M1 (7-core GPU),1,68,Llama 2 7B,Q8_0,F16,1,0,128,tg_tok_s,8e672ef,llama.cpp\n"
                                  "s,Apple M1 (7-core GPU),1,68,Llama 2 7B,Q8_0,F16,1,0,128,tg_tok_s,1e999,llama.cpp\n";
    write_file(tpath("inf.csv"), text, strlen(text));
    struct acc_set set;
    char err[512];
    cr_assert_eq(accuracy_load(cat(), tpath("inf.csv"), &set, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(set.n, 2);
    cr_assert_str_eq(set.rows[0].skip, "no value");
    cr_assert_str_eq(set.rows[1].skip, "no value");
    accuracy_free(&set);
}

/* ---- device detection: what a tool prints is untrusted too ---- */

#include "machine/detect.h"

Test(detect_output, an_infinite_apple_memory_size_is_ignored)
{
    /* found by fuzz_detect: "6871447e736" read as infinity made the device's memory inf */
    struct md_list l;
    md_list_init(&l);
    cr_assert_eq(md_parse_sysctl("Apple M4 Max\n6871447e736\n", 0, 0, &l), 0);
    cr_assert_eq(l.n, 0);
    cr_assert_eq(md_parse_sysctl("Apple M4 Max\n68719476736\n", 1e300, 0, &l), 1); /* a wired limit of 1e300 MiB */
    cr_assert(isfinite(l.d[0].usable_bytes) && l.d[0].usable_bytes <= 68719476736.0, "%g", l.d[0].usable_bytes);
}

/* ---- local models: an Ollama manifest is untrusted ---- */

#include "machine/local.h"

TestSuite(local_models, .init = mktmp, .fini = rmtmp);

Test(local_models, a_negative_or_huge_layer_size_gives_the_blob_size)
{
    const char *dirs[] = { "m", "m/blobs", "m/manifests", "m/manifests/registry.ollama.ai",
                           "m/manifests/registry.ollama.ai/library", "m/manifests/registry.ollama.ai/library/x" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        cr_assert_eq(mkdir(tpath(dirs[i]), 0700), 0);
    char blob[128];
    snprintf(blob, sizeof blob, "m/blobs/sha256-%064d", 0);
    write_file(tpath(blob), "GGUF1234", 8);
    setenv("OLLAMA_MODELS", tpath("m"), 1);
    setenv("HF_HUB_CACHE", tpath("none"), 1);
    setenv("LLAMA_CACHE", tpath("none"), 1);
    const char *sizes[] = { "-4920734272", "9223372036854775807" };
    for (int k = 0; k < 2; k++) {
        char man[512];
        snprintf(man, sizeof man, "{\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\","
                 "\"digest\":\"sha256:%064d\",\"size\":%s}]}", 0, sizes[k]);
        write_file(tpath("m/manifests/registry.ollama.ai/library/x/latest"), man, strlen(man));
        struct lm_list l;
        lm_init(&l);
        cr_assert_eq(lm_discover(tmpdir, &l), 1);
        cr_assert_str_eq(l.m[0].name, "x:latest");
        cr_assert_eq(l.m[0].size_bytes, 8.0, "size %s gave %g", sizes[k], l.m[0].size_bytes);
        lm_free(&l);
    }
}

/* ---- config.json: Python's NaN, and many keys ---- */

Test(hfconfig_text, many_nans_stay_inside_the_buffer)
{
    /* found by fuzz_hfconfig: each NaN (3 bytes) becomes null (4) in a buffer sized for the input */
    size_t n = 3000;
    char *js = malloc(n * 4 + 256);
    size_t at = (size_t)sprintf(js, "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,"
                                    "\"num_attention_heads\":2,\"vocab_size\":10,\"intermediate_size\":8,\"x\":[");
    for (size_t i = 0; i < n; i++)
        at += (size_t)sprintf(js + at, "%sNaN", i ? "," : "");
    strcpy(js + at, "]}");
    struct rt_model m;
    char err[512], warn[512];
    cr_assert_eq(hfconfig_parse(js, "nan.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(m.hidden, 64);
    free(js);
}

Test(hfconfig_text, a_hundred_thousand_keys_parse_in_linear_time)
{
    /* 18 s before: each key was found again from the object's start */
    size_t n = 100000;
    char *js = malloc(n * 24 + 256);
    size_t at = (size_t)sprintf(js, "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,"
                                    "\"num_attention_heads\":2,\"vocab_size\":10,\"intermediate_size\":8");
    for (size_t i = 0; i < n; i++)
        at += (size_t)sprintf(js + at, ",\"k%zu\":%zu", i, i);
    strcpy(js + at, "}");
    struct rt_model m;
    char err[512], warn[512];
    double t0 = now();
    cr_assert_eq(hfconfig_parse(js, "keys.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    double dt = now() - t0;
    free(js);
    if (!getenv("ROOFTOP_SLOW_TESTS"))
        cr_assert(dt < 5.0, "%.1f s", dt);
}

Test(hfconfig_text, a_fractional_expert_width_with_shared_experts_is_refused_cleanly)
{
    /* found by fuzz_hfconfig: moe_intermediate_size 20.81 left the width 0 and the shared
     * experts' width divided by it (UBSan: division by zero) */
    const char *js = "{\"model_type\":\"deepseek_v3\",\"hidden_size\":7168,\"intermediate_size\":18432,"
                     "\"num_hidden_layers\":22,\"num_attention_heads\":128,\"vocab_size\":129280,"
                     "\"n_routed_experts\":256,\"num_experts_per_tok\":8,\"n_shared_experts\":1,"
                     "\"moe_intermediate_size\":20.81,\"v_head_dim\":128}";
    struct rt_model m;
    char err[512], warn[512];
    cr_assert_eq(hfconfig_parse(js, "frac.json", &m, warn, sizeof warn, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "moe_intermediate_size"), "%s", err);
}

/* The bounds come from the figures table, serving and cost included (the hand list they
 * replace had neither): a NaN or a negative there is caught by its key. */
Test(model_sizes, sanity_bounds_cover_serving_and_cost)
{
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 4, 1024, 256, "vllm");
    rs->s.rate = 2;
    rs->s.requests = 50;
    rs->s.lifetime_years = 3;
    struct rt_result r = estimate(&rs->s);
    cr_assert(r.serving_on && r.cost_on);
    cr_assert_null(result_insane(&rs->s, &r), "%s", result_insane(&rs->s, &r));
    struct rt_result bad = r;
    bad.serving.ttft_p99_s = NAN;
    cr_assert_str_eq(result_insane(&rs->s, &bad), "serving.ttft_p99_s");
    bad = r;
    bad.cost.per_hour_usd = -1;
    cr_assert_str_eq(result_insane(&rs->s, &bad), "cost.per_hour_usd");
}
