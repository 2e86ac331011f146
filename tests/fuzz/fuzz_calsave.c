/* fuzz_calsave.c - the calibrated profiles' writer: a profile filled from the
 * input (any double: NaN, infinities, subnormals, 1e308; any name; ids valid
 * or not) is clamped, written, read back by the catalog and compared: equal,
 * or refused before anything is written (tests/roundtrip.h). */
#include "fuzz.h"
#include "../roundtrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bytes b = { data, size };
    struct rt_engine e;
    engine_from_bytes(&b, &e);
    char why[512];
    const char *bad = check_engine_roundtrip(&e, why, sizeof why);
    if (bad) {
        fprintf(stderr, "calibrated profile: %s\n", bad);
        abort();
    }
    return 0;
}
