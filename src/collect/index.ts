// Collection: plan what a run still needs, serve it from the cache or the providers, store it.
//
//   const store = openStore(resultsDir);
//   const { spec } = prepareRun(store, { name, suite, models, samples: 3 });   // create, or check a resume
//   const collection = startCollection({ store, spec, providerFor: (m) => providers.get(parseModelRef(m).prefix)! });
//   collection.on((event) => view.apply(event));                                 // RunEvents: progress, retries
//   process.on('SIGINT', () => collection.cancel());                            // answered samples are already stored
//   const result = await collection.done;                             // { ok, errors, cached, cancelled, ... }
export { classify } from './classify.js';
export { type Collection, type CollectOptions, type CollectResult, startCollection } from './collection.js';
export { collect } from './collector.js';
export { type LaunchedRun, type LaunchRequest, launchCollection } from './launch.js';
export { embedTexts, type EmbedTextsOptions, type EmbedTextsResult } from './embeddings.js';
export { planRun, plannedTotal, resolveSampling, samplesOfProbe, PERMANENT_FAILURES, type PlanItem } from './plan.js';
export { prepareRun, type PreparedRun } from './prepare.js';
export { AdaptiveLimit } from './adaptive-limit.js';
export { fullJitterDelay, retryDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { systemClock, type Clock } from './clock.js';
export { redact, secretsFromEnv } from './redact.js';
