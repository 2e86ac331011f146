/* fuzz_launch.c - the launch lines (llama.cpp, vLLM, SGLang, TensorRT-LLM) for
 * a model path from the input (any bytes) and counts from it.  The line must
 * be one shell command whose words hold the path exactly (no byte of it
 * outside single quotes where the shell would act on it), and once escaped for
 * a terminal it has no control character and is valid UTF-8, as its JSON form is. */
#include "fuzz.h"
#include "machine/launch.h"
#include "base/text.h"

/* Split a POSIX shell line into words (plain, '...', and \x outside quotes);
 * false if a character the shell acts on stands outside quotes. */
static bool has_word(const char *line, const char *want)
{
    static char w[8192];
    bool found = false;
    const char *p = line;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t k = 0;
        while (*p && *p != ' ') {
            if (*p == '\'') {
                const char *q = strchr(p + 1, '\'');
                if (!q)
                    abort(); /* an unclosed quote */
                memcpy(w + k, p + 1, (size_t)(q - p - 1));
                k += (size_t)(q - p - 1);
                p = q + 1;
            } else if (*p == '\\' && p[1]) {
                w[k++] = p[1];
                p += 2;
            } else if (strchr(";&|<>()$`\"\n\t*?[#~", *p) && !(*p == '#' && k > 0) && !(*p == '~' && k > 0)) {
                abort(); /* the shell would act on it */
            } else {
                w[k++] = *p++;
            }
        }
        w[k] = 0;
        found |= strcmp(w, want) == 0;
    }
    return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const engines[] = { "llama.cpp", "vllm", "sglang", "trtllm" };
    if (size < 4)
        return 0;
    struct rt_resolved rs = *fuzz_base();
    rs.s.engine = catalog_engine(fuzz_catalog(), engines[data[0] % 4]);
    rs.s.batch = 1 + data[1];
    rs.s.prompt = (int64_t)data[2] << (data[3] % 16);
    rs.s.devices = rs.s.tp = 1 + (data[3] >> 6);
    rs.engine = *rs.s.engine;
    rs.s.engine = &rs.engine;
    char path[3000];
    size_t n = size - 4 < 2900 ? size - 4 : 2900;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (data[4 + i])
            path[k++] = (char)data[4 + i];
    memcpy(path + k, ".gguf", 6);
    static char line[4096], note[512], esc[4 * 4096 + 1];
    if (launch_line(&rs, path, line, sizeof line, note, sizeof note) != RT_OK)
        return 0;
    if (strlen(line) + 1 < sizeof line && !has_word(line, path)) {
        fprintf(stderr, "the path is not one word of: %s\n", line);
        abort();
    }
    if (!text_is_clean(text_escape(esc, sizeof esc, line, true)) || !text_is_utf8(text_escape(esc, sizeof esc, line, false)))
        abort();
    return 0;
}
