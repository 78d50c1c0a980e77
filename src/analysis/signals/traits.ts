// The traits signal: each model's mean of every continuous or binary trait of its answers (length, lists, hedging...),
// compared by standardized Euclidean distance.
import { standardizedEuclidean } from '../../distance/std-euclidean.js';
import type { ResponseTable } from '../../phenotype/responses.js';
import { traitProfile, weightedTraitMeans, type TraitProfile } from '../../phenotype/trait-profile.js';
import { TRAITS } from '../../phenotype/traits.js';
import type { SignalInfo, SignalModel } from '../signal-model.js';
import type { SignalDefinition } from './definition.js';

/** The traits with a distance (continuous and binary; categorical codes are characters only) that apply somewhere. */
export function distanceTraitColumns(profile: TraitProfile, models: number): number[] {
  const T = profile.traits.length;
  const columns: number[] = [];
  for (let t = 0; t < T; t++) {
    if (TRAITS[t]!.kind === 'categorical') continue;
    let applies = false;
    for (let m = 0; m < models && !applies; m++) applies = !Number.isNaN(profile.mean[m * T + t]!);
    if (applies) columns.push(t);
  }
  return columns;
}

function traitsSignal(table: ResponseTable, profile: TraitProfile = traitProfile(table)): SignalModel {
  const t0 = performance.now();
  const columns = distanceTraitColumns(profile, table.models.length);
  const info: SignalInfo = {
    signal: 'traits',
    metric: 'std-euclidean',
    probes: table.probes.length,
    seconds: (performance.now() - t0) / 1000,
    note: `${columns.length} traits: ${columns.map((t) => TRAITS[t]!.name).join(', ')}`,
  };
  const full = standardizedEuclidean(table.models, weightedTraitMeans(profile, columns), columns.length);
  return {
    info,
    matrix: (w) =>
      w ? standardizedEuclidean(table.models, weightedTraitMeans(profile, columns, w), columns.length) : full,
  };
}

/** Distance-like: neighbor joining. */
export const TRAITS_SIGNAL: SignalDefinition = {
  description: 'how the answers look: mean traits per model (length, lists, hedging...), standardized Euclidean',
  needs: [],
  defaultMethod: 'nj',
  combinable: true,
  build: (c) => traitsSignal(c.table, c.traitProfile()),
};
