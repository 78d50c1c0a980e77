// The layout rules of ../shared/DESIGN.md, checked on the source: pure stages stay pure, providers are handed in, the
// terminal UI reaches the math only through analysis and audit, and files stay small enough to read.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const FILES = sourceFiles(SRC);

/** The top-level folders of src/ that a file imports (relative imports only; packages are not layers). */
function importedFolders(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = path.relative(SRC, path.resolve(path.dirname(file), m[1]!));
    if (!target.startsWith('..')) out.add(target.split(path.sep)[0]!);
  }
  for (const m of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const target = path.relative(SRC, path.resolve(path.dirname(file), m[1]!));
    if (!target.startsWith('..')) out.add(target.split(path.sep)[0]!);
  }
  return out;
}

function violations(from: readonly string[], forbidden: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of FILES) {
    const folder = path.relative(SRC, file).split(path.sep)[0]!;
    if (!from.includes(folder)) continue;
    for (const target of importedFolders(file))
      if (forbidden.includes(target)) out.push(`${path.relative(SRC, file)} imports src/${target}/`);
  }
  return out;
}

describe('layers', () => {
  it('the pure stages (phenotype, distance, phylo) import nothing from collection, providers, store, commands or TUI', () => {
    expect(
      violations(['phenotype', 'distance', 'phylo'], ['collect', 'providers', 'store', 'commands', 'tui']),
    ).toEqual([]);
  });

  it('providers are handed in: src/providers imports nothing from the lab or the store', () => {
    expect(violations(['providers'], ['lab', 'store'])).toEqual([]);
  });

  it('the TUI reaches phenotype and distances only through analysis and audit', () => {
    expect(violations(['tui'], ['phenotype', 'distance'])).toEqual([]);
  });

  it('the analysis, audit and report stages do not reach into commands or the TUI', () => {
    expect(violations(['analysis', 'audit', 'report'], ['commands', 'tui'])).toEqual([]);
  });
});

describe('size', () => {
  it('no source file is over 400 lines', () => {
    const long = FILES.map((f) => ({ f: path.relative(SRC, f), n: fs.readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ n }) => n > 401)
      .map(({ f, n }) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });

  it('no source line is over 120 characters', () => {
    const wide: string[] = [];
    for (const f of FILES)
      fs.readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if ([...line].length > 120) wide.push(`${path.relative(SRC, f)}:${i + 1}`);
        });
    expect(wide).toEqual([]);
  });
});
