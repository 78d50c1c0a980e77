// Analyse one or more stored runs through the backend, for the results and compare routes; a new list starts over.
import { useEffect, useState } from 'react';
import type { ResultsData, TuiBackend } from '../backend.js';
import { oneLine } from '../../core/sanitize.js';

export type AnalysisState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly data: readonly ResultsData[] }
  | { readonly kind: 'failed'; readonly message: string };

export function useAnalysis(backend: TuiBackend, runs: readonly string[]): AnalysisState {
  const [state, setState] = useState<AnalysisState>({ kind: 'loading' });
  // The list as a value: a caller passing a fresh array with the same runs does not analyse again.
  const names = runs.join('\n');
  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    Promise.all(names.split('\n').map((r) => backend.analyse(r))).then(
      (data) => live && setState({ kind: 'ready', data }),
      (err: unknown) =>
        live && setState({ kind: 'failed', message: oneLine(err instanceof Error ? err.message : String(err)) }),
    );
    return () => {
      live = false;
    };
  }, [backend, names]);
  return state;
}
