// Accessors for the GSL globals Swift cannot import safely (mutable C globals are not
// concurrency-safe in Swift 6), plus the headers ICCSim uses.
#ifndef ICCSIM_CGSL_SHIM_H
#define ICCSIM_CGSL_SHIM_H
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_errno.h>

/// The Mersenne Twister generator type (gsl_rng_mt19937), ICCSim's default per-stream generator.
static inline const gsl_rng_type *iccsim_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }

/// Turns off GSL's abort-on-error handler: ICCSim validates parameters before calling GSL.
static inline void iccsim_gsl_disable_abort(void) { gsl_set_error_handler_off(); }
#endif
