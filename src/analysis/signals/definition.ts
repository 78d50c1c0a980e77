// The shape of one entry of the signal registry (./index.ts): how to build the signal from a run, what it needs from
// the run, the tree method it is best read with, and a line saying what it is.
import type { LogprobMetric } from '../../distance/logprob-jensen-shannon.js';
import type { ResponseTable } from '../../phenotype/responses.js';
import type { TraitProfile } from '../../phenotype/trait-profile.js';
import type { TreeMethod } from '../../phylo/index.js';
import type { RunData } from '../../core/run.js';
import type { RunNeed } from '../run-needs.js';
import type { SignalModel } from '../signal-model.js';
import type { AlleleMetric } from './alleles.js';
import type { CombineWeights } from './combined.js';
import type { EmbedOptions } from './embed.js';

/** The settings of the signals that have any (each is read by its own signal only). */
export interface SignalOptions {
  readonly embed?: EmbedOptions;
  readonly alleleMetric?: AlleleMetric;
  readonly logprobMetric?: LogprobMetric;
  readonly combineWeights?: CombineWeights;
}

/** What a builder may read: the run, its response table, the options, and the run's other signals (memoized). */
export interface SignalContext {
  readonly data: RunData;
  readonly table: ResponseTable;
  readonly options: SignalOptions;
  /** The available signals that join a combination, in registry order. */
  readonly combinable: readonly string[];
  /** Another signal's model on the same run, computed once per analysed run. */
  model(signal: string): SignalModel;
  /** The run's trait profile, computed once per analysed run (the traits signal and the trait table share it). */
  traitProfile(): TraitProfile;
}

export interface SignalDefinition {
  /** One line for help texts and reports. */
  readonly description: string;
  /** What the run must have beyond answered probes; the signal is available when every need is met. */
  readonly needs: readonly RunNeed[];
  readonly defaultMethod: TreeMethod;
  /** Whether the `combined` signal averages it in (when available and weighted above 0). */
  readonly combinable: boolean;
  build(context: SignalContext): SignalModel;
}
