// The signal registry: every signal an analysis can build a tree from, defined once. The CLI's help, the TUI, the demo
// and the lab experiment read their lists from here. Adding a signal: one file in this folder exporting a
// SignalDefinition, and one line in SIGNAL_DEFINITIONS below.
import { responseTable, type ResponseTable } from '../../phenotype/responses.js';
import type { TreeMethod } from '../../phylo/index.js';
import type { RunData } from '../../core/run.js';
import { TOP_LOGPROBS } from '../run-needs.js';
import { ALLELES } from './alleles.js';
import { COMBINED } from './combined.js';
import type { SignalDefinition } from './definition.js';
import { EMBED } from './embed.js';
import { HELLINGER } from './hellinger.js';
import { LOGPROBS } from './logprobs.js';
import { TRAITS_SIGNAL } from './traits.js';

/** In the order the TUI offers them. */
const SIGNAL_DEFINITIONS = {
  embed: EMBED,
  traits: TRAITS_SIGNAL,
  alleles: ALLELES,
  logprobs: LOGPROBS,
  hellinger: HELLINGER,
  combined: COMBINED,
} as const satisfies Record<string, SignalDefinition>;

export type Signal = keyof typeof SIGNAL_DEFINITIONS;

export const SIGNALS: readonly Signal[] = Object.keys(SIGNAL_DEFINITIONS) as Signal[];

export const DEFAULT_SIGNAL: Signal = 'embed';

export function isSignal(text: string): text is Signal {
  return Object.hasOwn(SIGNAL_DEFINITIONS, text);
}

export function signalDefinition(signal: Signal): SignalDefinition {
  return SIGNAL_DEFINITIONS[signal];
}

/** The method each signal builds its tree with unless told otherwise (the reasons are in each signal's file). */
export const DEFAULT_METHOD: Readonly<Record<Signal, TreeMethod>> = Object.fromEntries(
  SIGNALS.map((s) => [s, SIGNAL_DEFINITIONS[s].defaultMethod]),
) as Record<Signal, TreeMethod>;

/** The signals computed from response text, which every run has (logprobs need a run collected with them). */
export const TEXT_SIGNALS: readonly Signal[] = SIGNALS.filter((s) => !signalDefinition(s).needs.includes(TOP_LOGPROBS));

/** The signals the combined signal may average in. */
export const COMBINABLE_SIGNALS: readonly Signal[] = SIGNALS.filter((s) => signalDefinition(s).combinable);

/** The signals a run can give: those whose every need it meets, in registry order. */
export function availableSignals(data: RunData, table: ResponseTable = responseTable(data)): Signal[] {
  return SIGNALS.filter((s) => signalDefinition(s).needs.every((need) => need.metBy(data, table)));
}

export type { SignalDefinition, SignalOptions } from './definition.js';
export { combineWeightOf, DEFAULT_COMBINE_WEIGHTS, type CombineWeights } from './combined.js';
export { DEFAULT_EMBED, type EmbedOptions } from './embed.js';
