/* lengths.c - request lengths from a distribution (lengths.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/lengths.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double rt_uniform01(uint64_t *state) { return (double)(splitmix64(state) >> 11) * 0x1.0p-53; }

bool rt_dist_parse(const char *text, struct rt_dist *d)
{
    char *end;
    if (strcmp(text, "fixed") == 0) {
        *d = (struct rt_dist){ RT_DIST_FIXED, 0 };
        return true;
    }
    if (strncmp(text, "uniform:", 8) == 0) {
        double r = strtod(text + 8, &end);
        if (end == text + 8 || *end || !(r >= 0 && r <= 1))
            return false;
        *d = (struct rt_dist){ RT_DIST_UNIFORM, r };
        return true;
    }
    if (strncmp(text, "lognormal:", 10) == 0) {
        double s = strtod(text + 10, &end);
        if (end == text + 10 || *end || !(s > 0 && s <= 4))
            return false;
        *d = (struct rt_dist){ RT_DIST_LOGNORMAL, s };
        return true;
    }
    return false;
}

void rt_dist_format(const struct rt_dist *d, char *buf, size_t n)
{
    if (d->kind == RT_DIST_UNIFORM)
        snprintf(buf, n, "uniform:%g", d->param);
    else if (d->kind == RT_DIST_LOGNORMAL)
        snprintf(buf, n, "lognormal:%g", d->param);
    else
        snprintf(buf, n, "fixed");
}

/* A standard normal variate (Box-Muller). */
static double normal(uint64_t *state)
{
    double u = rt_uniform01(state), v = rt_uniform01(state);
    return sqrt(-2.0 * log1p(-u)) * cos(6.283185307179586 * v);
}

void rt_dist_sample(const struct rt_dist *d, double mean, int64_t min, int64_t n, uint64_t *state, int64_t *out)
{
    double s = d->param, mu = log(mean > 0 ? mean : 1) - 0.5 * s * s; /* E[exp(mu + s z)] = mean */
    if (d->kind == RT_DIST_FIXED || (d->kind == RT_DIST_LOGNORMAL && !(mean > 0))) { /* no draws: every one the same */
        double x = mean < 4e15 ? mean : 4e15;
        int64_t k = (int64_t)floor(x + 0.5);
        for (int64_t i = 0; i < n; i++)
            out[i] = k < min ? min : k;
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        double x = mean;
        if (d->kind == RT_DIST_UNIFORM)
            x = mean * (1 - s + 2 * s * rt_uniform01(state));
        else if (d->kind == RT_DIST_LOGNORMAL && mean > 0)
            x = exp(mu + s * normal(state));
        if (!(x < 4e15))
            x = 4e15;
        int64_t k = (int64_t)floor(x + 0.5);
        out[i] = k < min ? min : k;
    }
}
