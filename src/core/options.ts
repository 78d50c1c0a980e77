// Options shared by every command.
import path from 'node:path';

/** The results folder: `--results DIR`, else `PHYLO_RESULTS`, else `./results`. */
export function resultsDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.PHYLO_RESULTS ?? 'results');
}

export const RESULTS_OPTION = ['--results <dir>', 'results folder (default: $PHYLO_RESULTS or ./results)'] as const;
