#!/usr/bin/env node
// The `phylo` command: one subcommand per stage (src/commands/*), the TUI when started bare in a terminal.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import './core/epipe.js';
import { InputError, EXIT_BAD_INPUT } from './core/errors.js';
import { oneLine } from './core/sanitize.js';
import { commandModules } from './commands/index.js';
import { launchApp } from './commands/tui.js';

export function buildProgram(): Command {
  const program = new Command('phylo')
    .description('Audit foundation models like a biologist: phenotype and genotype phylogenies of LLMs')
    .version('0.1.0')
    .showHelpAfterError('(run phylo --help for usage)')
    .exitOverride();
  for (const register of commandModules) register(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    if (argv.length === 0) {
      // Bare `phylo`: the interactive app in a terminal, the help anywhere else (pipes, CI, scripts).
      if (process.stdout.isTTY && process.stdin.isTTY) {
        await launchApp();
      } else program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit through here with code 0; usage errors are bad input.
      return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (err instanceof InputError) {
      process.stderr.write(`phylo: ${oneLine(err.message)}\n`);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
}

/** Run as a program (node dist/cli.js, or the `phylo` bin, a symlink), not imported by a test or the TUI. */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return fs.realpathSync(script) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `phylo: internal error: ${oneLine(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`,
      );
      process.exitCode = 1;
    },
  );
}
