// `phylo run --adaptive --budget N` as two phases of the one collector (launch.ts): a pilot asks every candidate
// probe `pilotSamples` times per model; its answers score each probe by an F-ratio (src/analysis/probe-selection.ts);
// the scores and the choice are stored with the run (src/store/probe-scores.ts); a follow-up brings the best probes
// to `samples` samples. Resumable at any point: a resume before the pilot is scored finishes the pilot (only what is
// missing) and scores it; a resume after reads the stored choice back and finishes the follow-up, never a second pilot.
import { pilotDivergenceFor, scorePilot, selectProbes } from '../analysis/probe-selection.js';
import type { RunEvent, RunListener } from '../core/events.js';
import { InputError } from '../core/errors.js';
import type { RunName, RunSpec } from '../core/types.js';
import type { AdaptivePlanRecord, StoredProbeScore } from '../store/probe-scores.js';
import type { SqliteStore } from '../store/sqlite.js';
import { type AdaptiveSettings, adaptivePlan, phaseSuite, resumeConflict } from './adaptive-plan.js';
import type { Collection, CollectResult } from './collection.js';
import { type LaunchedRun, type LaunchRequest, launchCollection } from './launch.js';
import { planRun } from './plan.js';

/** What an adaptive run tells its caller between phases (the CLI says it on stderr). */
export type AdaptivePhaseEvent =
  | { readonly type: 'pilot'; readonly plan: AdaptivePlanRecord }
  | {
      readonly type: 'chosen';
      readonly plan: AdaptivePlanRecord;
      readonly scores: readonly StoredProbeScore[];
      /** True when the choice was read back from the store (a resumed run), not made now. */
      readonly stored: boolean;
    }
  /** The pilot ended with samples still missing (failed after every attempt): nothing is chosen until they are in. */
  | { readonly type: 'pilot-incomplete'; readonly missing: number };

export interface AdaptiveRequest extends Omit<LaunchRequest, 'samples' | 'phase'> {
  readonly adaptive: AdaptiveSettings;
  readonly onPhase?: (event: AdaptivePhaseEvent) => void;
}

export interface AdaptiveLaunch extends LaunchedRun {
  /** The plan as stored (the choice's fields set once the pilot is scored). */
  plan(): AdaptivePlanRecord;
}

/** Score a complete pilot, choose the follow-up's probes, and store both (one transaction). */
function scoreAndChoose(store: SqliteStore, name: RunName, plan: AdaptivePlanRecord): AdaptivePlanRecord {
  const data = store.loadRun(name);
  const candidates = data.run.suite.probes.map((p) => String(p.id));
  const divergence = pilotDivergenceFor(data.samples, plan.pilotSamples);
  const scores = scorePilot(data.samples, candidates, data.run.models, plan.pilotSamples, divergence);
  const chosen = new Set(selectProbes(scores, plan.selected));
  const stored = scores.map(
    ({ id, between, within, f }): StoredProbeScore => ({
      probe: id,
      between,
      ...(within !== undefined ? { within } : {}),
      f,
      chosen: chosen.has(id),
    }),
  );
  const scored: AdaptivePlanRecord = { ...plan, divergence, chosen: chosen.size };
  store.probeScores().recordPilot(name, scored, stored);
  return scored;
}

const chosenOf = (scores: readonly StoredProbeScore[]): Set<string> =>
  new Set(scores.filter((s) => s.chosen).map((s) => s.probe));

function sum(a: CollectResult, b: CollectResult): CollectResult {
  const errorsByKind = { ...a.errorsByKind };
  for (const [k, n] of Object.entries(b.errorsByKind) as [keyof typeof errorsByKind, number][])
    errorsByKind[k] = (errorsByKind[k] ?? 0) + n;
  return {
    run: b.run,
    planned: a.planned + b.planned,
    requested: a.requested + b.requested,
    cached: a.cached + b.cached,
    ok: a.ok + b.ok,
    errors: a.errors + b.errors,
    errorsByKind,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costUsd: a.costUsd + b.costUsd,
    cancelled: b.cancelled,
  };
}

/**
 * Start (or resume) an adaptive run; the returned collection runs both phases: `done` settles when the follow-up
 * is stored, or earlier when the run is cancelled or the pilot is incomplete. Cancel, pause and listeners apply to
 * whichever phase is running.
 */
export function launchAdaptive(request: AdaptiveRequest): AdaptiveLaunch {
  const { name, adaptive } = request;
  const wanted = adaptivePlan(adaptive, request.suite.probes.length);
  let store: SqliteStore | undefined;
  let plan = wanted;
  let scores: StoredProbeScore[] = [];
  // Opened once, after every provider resolved (launch.ts): a resume must be the same adaptive experiment.
  const open = (): SqliteStore => {
    if (store) return store;
    const opened = request.store();
    store = opened;
    if (opened.hasRun(name)) {
      const stored = opened.probeScores().plan(name);
      const conflict = resumeConflict(name, stored, wanted);
      if (conflict) throw new InputError(conflict);
      plan = stored!;
      scores = opened.probeScores().scores(name);
    }
    return opened;
  };
  /** Listeners added with `on`: they follow both phases, as the request's own do. */
  const extra = new Set<RunListener>();
  let pilotPhase = true;
  let launches = 0;
  // Each phase opens and closes like a session of its own: its start and end carry the phase's name, so progress
  // counts each from zero (a tracker keeps counting across two starts of one run name).
  const relay: RunListener = (e) => {
    const event: RunEvent =
      e.type === 'run-start' || e.type === 'run-end'
        ? { ...e, run: `${e.run} ${pilotPhase ? 'pilot' : 'follow-up'}` }
        : e;
    for (const l of [...(request.listeners ?? []), ...extra]) {
      try {
        l(event);
      } catch {
        // A broken view must not stop the collection.
      }
    }
  };
  // The phase is decided inside the launch, once `open` has read the store: no choice stored yet, the pilot; one, the
  // follow-up it chose.
  const launchPhase = (): LaunchedRun =>
    launchCollection({
      ...request,
      store: open,
      samples: adaptive.samples,
      listeners: [relay],
      phase: (spec: RunSpec): RunSpec => {
        const s = store!;
        // The run row exists now (prepareRun): record the plan, with the run's seed, before anything is collected.
        if (plan.seed === undefined && spec.sampling?.seed !== undefined) plan = { ...plan, seed: spec.sampling.seed };
        if (s.probeScores().plan(name) === undefined) s.probeScores().setPlan(name, plan);
        pilotPhase = plan.divergence === undefined;
        if (launches++ === 0)
          request.onPhase?.(pilotPhase ? { type: 'pilot', plan } : { type: 'chosen', plan, scores, stored: true });
        return { ...spec, suite: phaseSuite(spec.suite, plan, pilotPhase ? undefined : chosenOf(scores)) };
      },
    });

  const first = launchPhase();
  const s = first.store;
  let current: Collection = first.collection;
  let cancelled = false;
  let paused = false;

  const followUp = async (pilot: CollectResult): Promise<CollectResult> => {
    if (!pilotPhase || pilot.cancelled || cancelled) return pilot;
    const pilotSpec = { ...first.prepared.spec, suite: phaseSuite(first.prepared.spec.suite, plan) };
    const missing = planRun(pilotSpec, s.sampleStates(name), { retryAllErrors: request.retryAllErrors }).length;
    if (missing > 0) {
      request.onPhase?.({ type: 'pilot-incomplete', missing });
      return pilot;
    }
    plan = scoreAndChoose(s, name, plan);
    scores = s.probeScores().scores(name);
    request.onPhase?.({ type: 'chosen', plan, scores, stored: false });
    if (cancelled) return pilot;
    const second = launchPhase();
    current = second.collection;
    if (paused) current.pause();
    return sum(pilot, await second.collection.done);
  };

  const collection: Collection = {
    done: first.collection.done.then(followUp),
    pause() {
      paused = true;
      current.pause();
    },
    resume() {
      paused = false;
      current.resume();
    },
    cancel() {
      cancelled = true;
      current.cancel();
    },
    get paused() {
      return current.paused;
    },
    get cancelled() {
      return cancelled || current.cancelled;
    },
    on(listener) {
      extra.add(listener);
      return () => extra.delete(listener);
    },
  };
  return { store: s, prepared: first.prepared, collection, plan: () => plan };
}
