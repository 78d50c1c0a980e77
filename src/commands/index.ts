// Every subcommand group registers itself here; one file per group in this folder.
import type { Command } from 'commander';
import { register as registerSuites } from './suites.js';

export type RegisterCommands = (program: Command) => void;

export const commandModules: RegisterCommands[] = [
  // (each command file adds its register function here)
  registerSuites,
];
