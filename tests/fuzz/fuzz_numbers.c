/* fuzz_numbers.c - the numeric option parsers: parse_tokens gives a whole
 * number >= 0, parse_real a finite number, and parse_int reads back. */
#include <math.h>
#include "fuzz.h"
#include "base/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64)
        return 0;
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    int64_t v;
    double d;
    if (parse_tokens(text, &v) && v < 0)
        abort();
    if (parse_int(text, &v)) {
        char back[32];
        int64_t w;
        snprintf(back, sizeof back, "%lld", (long long)v);
        if (!parse_int(back, &w) || w != v)
            abort();
    }
    if (parse_real(text, &d) && !isfinite(d))
        abort();
    free(text);
    return 0;
}
