/* builtin.h - the built-in catalog as C data, generated at build time by
 * catgen from the presets (see catgen.c). */
#ifndef ROOFTOP_BUILTIN_H
#define ROOFTOP_BUILTIN_H

#include <stddef.h>
#include "catalog/catalog.h"

struct builtin_tables {
    const struct rt_model *models;
    size_t n_models;
    const struct rt_device *devices;
    size_t n_devices;
    const struct rt_format *formats;
    size_t n_formats;
    const struct rt_engine *engines;
    size_t n_engines;
    const struct rt_api *apis;
    size_t n_apis;
    int revision[CAT_KIND_N];
    size_t model_size, device_size, format_size, engine_size, api_size; /* sizeof when generated */
};

extern const struct builtin_tables builtin_tables;

#endif
