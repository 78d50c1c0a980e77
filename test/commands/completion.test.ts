// Shell completion generated from commander's tree: every command (and alias) and option of the real program is
// completed by the bash script run in bash; a command added to the program appears without any list being edited.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { completionScript, completionTree } from '../../src/commands/completion.js';
import { tempDir } from '../collect/fakes.js';
import { runCli } from '../helpers/run-cli.js';

const dir = tempDir('phylo-completion-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What the bash script offers for a command line whose last word is being completed. */
function bashComplete(script: string, words: string[]): string[] {
  const file = path.join(dir, `bash-${Math.random().toString(36).slice(2)}.sh`);
  fs.writeFileSync(file, script);
  const array = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync(
    'bash',
    [
      '-c',
      `source '${file}'; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _phylo_completions; ` +
        `printf "%s\\n" "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('phylo completion', () => {
  const program = buildProgram();
  const bash = completionScript(program, 'bash');

  it('completes every top-level command of the real program, aliases included', () => {
    const expected = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    expect(expected).toContain('completion');
    const offered = bashComplete(bash, ['phylo', '']);
    for (const name of expected) expect(offered).toContain(name);
    expect(bashComplete(bash, ['phylo', 'ru'])).toEqual(['run', 'runs']);
  });

  it('completes subcommands and the options of the command being typed', () => {
    const lab = program.commands.find((c) => c.name() === 'lab')!;
    const labSubs = bashComplete(bash, ['phylo', 'lab', '']);
    for (const c of lab.commands) expect(labSubs).toContain(c.name());
    expect(labSubs).toContain('list');
    const run = program.commands.find((c) => c.name() === 'run')!;
    const runFlags = bashComplete(bash, ['phylo', 'run', '--']);
    for (const o of run.options) if (o.long) expect(runFlags).toContain(o.long);
    expect(runFlags).toContain('--help');
    // options are those of the command reached, skipping flags and values typed before
    expect(bashComplete(bash, ['phylo', 'lab', '--zoo', 'z', 'models', '--'])).toEqual(
      completionTree(program)
        .find((n) => n.path.join(' ') === 'lab models')!
        .options.filter((o) => o.startsWith('--'))
        .slice()
        .sort(),
    );
  });

  it('follows the tree it is given: a new command and its choices appear without editing a list', () => {
    const p = new Command('phylo');
    p.command('brand-new')
      .description("a new command: with a colon and a 'quote'")
      .addOption(new Option('--shape <s>').choices(['round', 'square']));
    const script = completionScript(p, 'bash');
    expect(bashComplete(script, ['phylo', 'br'])).toEqual(['brand-new']);
    expect(bashComplete(script, ['phylo', 'brand-new', '--shape', ''])).toEqual(['round', 'square']);
    const zsh = completionScript(p, 'zsh');
    expect(zsh).toContain("'brand-new:a new command\\: with a colon and a '\\''quote'\\'''");
    expect(zsh).toContain("'phylo brand-new --shape') reply=(round square)");
  });

  it('zsh script names every command path and registers with compdef', () => {
    const zsh = completionScript(program, 'zsh');
    expect(zsh.startsWith('#compdef phylo\n')).toBe(true);
    for (const node of completionTree(program)) expect(zsh).toContain(`'${['phylo', ...node.path].join(' ')}')`);
    const check = spawnSync('bash', ['-n'], { input: bash, encoding: 'utf8' });
    expect(check.status).toBe(0);
  });

  it('through the CLI: prints the script, refuses an unknown shell with exit 2', async () => {
    const ok = await runCli(['completion', 'bash']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('complete -o default -o bashdefault -F _phylo_completions phylo');
    const bad = await runCli(['completion', 'fish']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/shell "fish": use one of bash, zsh/);
  });
});

const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;

describe.skipIf(!hasZsh)('zsh script in zsh (compsys builtins stubbed to print what they are given)', () => {
  const script = completionScript(buildProgram(), 'zsh');
  const file = path.join(dir, '_phylo');
  fs.writeFileSync(file, script);
  const complete = (words: string[]): string[] => {
    const stubs =
      `compdef() { :; }; compadd() { shift; print -l -- \${(P)1}; }; _describe() { print -l -- \${(P)2}; }; ` +
      '_files() { print FILES; };';
    const array = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync('zsh', ['-c', `${stubs} source '${file}'; words=(${array}); CURRENT=${words.length}; _phylo`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('parses, offers subcommands with descriptions, options, and files after a leaf command', () => {
    expect(spawnSync('zsh', ['-n', file]).status).toBe(0);
    const lab = complete(['phylo', 'lab', '']);
    expect(lab).toContain('list:list the models of a zoo with their lineage and held-out bits per byte');
    expect(complete(['phylo', 'run', '--'])).toContain('--dry-run');
    expect(complete(['phylo', 'completion', ''])).toEqual(['FILES']);
  });
});

describe('phylo lab list', () => {
  it('is the same command as lab models', async () => {
    const list = await runCli(['lab', 'list', '--json']);
    const models = await runCli(['lab', 'models', '--json']);
    expect(list.code).toBe(0);
    expect(list.out.length).toBeGreaterThan(2);
    expect(list.out).toBe(models.out);
  });
});
