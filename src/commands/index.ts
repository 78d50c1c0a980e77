// Every subcommand group registers itself here; one file per group in this folder.
import type { Command } from 'commander';
import { register as registerModels } from './models.js';
import { register as registerSuites } from './suites.js';
import { register as registerRun } from './run.js';
import { register as registerRuns } from './runs.js';
import { register as registerShow } from './show.js';
import { register as registerImport } from './import.js';
import { register as registerExport } from './export.js';
import { register as registerLab } from './lab.js';
import { register as registerDemo } from './demo.js';
import { register as registerGenotype } from './genotype.js';
import { register as registerTree } from './tree.js';
import { register as registerCompare } from './compare.js';
import { register as registerScore } from './score.js';
import { register as registerTui } from './tui.js';
import { register as registerPredict } from './predict.js';
import { register as registerReport } from './report.js';
import { register as registerAudit } from './audit.js';
import { register as registerCompletion } from './completion.js';

export type RegisterCommands = (program: Command) => void;

export const commandModules: RegisterCommands[] = [
  // (each command file adds its register function here)
  registerModels,
  registerSuites,
  registerRun,
  registerRuns,
  registerShow,
  registerImport,
  registerExport,
  registerLab,
  registerDemo,
  registerGenotype,
  registerTree,
  registerCompare,
  registerScore,
  registerTui,
  registerPredict,
  registerReport,
  registerAudit,
  registerCompletion,
];
