// Create a run, or check that re-running an existing name resumes the same experiment: same suite, same models,
// same sampling. Anything else would mix two experiments under one name.
import { InputError } from '../core/errors.js';
import type { RunSpec, Suite } from '../core/types.js';
import type { RunRecord } from '../core/run.js';
import { canonicalJson } from '../store/cache-key.js';
import type { SqliteStore } from '../store/sqlite.js';

export interface PreparedRun {
  readonly spec: RunSpec;
  readonly record: RunRecord;
  readonly resumed: boolean;
}

/** What makes two suites the same experiment (not where the file was loaded from). */
function suiteIdentity(suite: Suite): string {
  const { file: _file, ...rest } = suite;
  return canonicalJson(rest);
}

/**
 * Create `spec.name`, or resume it. On resume the stored suite, models and sampling must match; the default
 * sample count may grow (more samples of the same experiment).
 */
export function prepareRun(store: SqliteStore, spec: RunSpec, origin = 'run'): PreparedRun {
  if (!store.hasRun(spec.name)) {
    const record = store.createRun({
      name: spec.name,
      suite: spec.suite,
      models: spec.models,
      samples: spec.samples,
      sampling: spec.sampling,
      origin,
    });
    return { spec, record, resumed: false };
  }
  const stored = store.getRun(spec.name);
  const fix = `use another --name, or the same suite and models to resume`;
  if (suiteIdentity(stored.suite) !== suiteIdentity(spec.suite)) {
    throw new InputError(
      `run "${spec.name}" exists with suite ${stored.suite.name}@${stored.suite.version} and different probes; ${fix}`,
    );
  }
  const a = [...stored.models].sort().join(',');
  const b = [...spec.models].sort().join(',');
  if (a !== b) throw new InputError(`run "${spec.name}" exists with models ${stored.models.join(',')}; ${fix}`);
  if (canonicalJson(stored.sampling ?? {}) !== canonicalJson(spec.sampling ?? {})) {
    throw new InputError(
      `run "${spec.name}" exists with sampling ${canonicalJson(stored.sampling ?? {})}, ` +
        `not ${canonicalJson(spec.sampling ?? {})}; ${fix}`,
    );
  }
  if (spec.samples !== stored.samples) store.setSamples(spec.name, spec.samples);
  return { spec: { ...spec, models: stored.models }, record: store.getRun(spec.name), resumed: true };
}
