// Hard limits of a collection, checked before anything is allocated or requested: a typo such as
// `--samples 1000000000` used to allocate 4.9 GB of plan before the first request. Stated in `phylo run --help`.

/** The most samples per probe (`--samples`, a suite's or a probe's `samples`). */
export const MAX_SAMPLES_PER_PROBE = 10_000;
/** The most samples in one run (models x probes x samples): the plan holds one small object per sample. */
export const MAX_RUN_SAMPLES = 2_000_000;
/** The longest Retry-After wait `--max-retry-wait` may allow: a day. */
export const MAX_RETRY_WAIT_S = 86_400;
