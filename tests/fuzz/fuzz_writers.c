/* fuzz_writers.c - sessions and the dashboard's preferences: filled from the
 * input as the command line and the dashboard fill them, written, read back
 * and compared: equal, or refused before anything is written
 * (tests/roundtrip.h).  The first byte picks the file. */
#include "fuzz.h"
#include "../roundtrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct bytes b = { data + 1, size - 1 };
    char why[512];
    const char *bad = data[0] & 1 ? check_prefs_roundtrip(&b, why, sizeof why)
                                  : check_session_roundtrip(&b, why, sizeof why);
    if (bad) {
        fprintf(stderr, "%s: %s\n", data[0] & 1 ? "prefs" : "session", bad);
        abort();
    }
    return 0;
}
