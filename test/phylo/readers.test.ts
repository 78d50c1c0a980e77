// Our files as other tools read them: trees through ape (R) and DendroPy (Python), NEXUS through DendroPy. Each
// reader is found on the machine (Debian's r-cran-ape and python3-dendropy, installed by .ci/run); a test whose
// reader is missing is skipped and says so. Labels and topology must come back as we meant them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/core/random.js';
import { writeMatrixFiles } from '../../src/distance/matrix-io.js';
import {
  leafLabels,
  neighborJoining,
  parseNewick,
  patristicDistances,
  readNamedTree,
  robinsonFoulds,
  writeNewickFile,
  type Tree,
} from '../../src/phylo/index.js';
import { randomTree } from './helpers.js';

function works(cmd: string, args: readonly string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const RSCRIPT = works('Rscript', ['-e', 'library(ape)']) ? 'Rscript' : undefined;
// Debian's python3-dendropy lives in the system Python, which a pyenv `python3` on PATH may hide.
const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => works(p, ['-c', 'import dendropy']));
if (!RSCRIPT) console.warn('ape (R) not installed: the ape round-trip tests are skipped (apt-get install r-cran-ape)');
if (!PYTHON)
  console.warn('DendroPy not installed: its round-trip tests are skipped (apt-get install python3-dendropy)');

/** Model refs as they occur, with every character some reader has misread: `:`, `_`, blanks, quotes, `/`. */
const LABELS = [
  'replay:gemma-7b-it',
  'openai:gpt-4o-mini',
  'ollama:llama3.2:1b',
  'lab:base_v2',
  'Qwen/Qwen2-7B-Instruct',
  "it's a model",
  'x y',
  'claude-3-5-haiku',
  'mistral_7b',
  'gpt4_0613',
  '1234',
];

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-readers-'));
}

function sampleTrees(): { name: string; tree: Tree }[] {
  const unrooted = randomTree(seededRng(11), LABELS, 0.01, 2);
  const rootedTree = neighborJoining({
    labels: LABELS,
    values: patristicDistances(unrooted).values,
    signal: 't',
    metric: 'm',
  });
  const rooted: Tree = {
    root: {
      children: [
        rootedTree.root.children[0]!,
        { ...rootedTree.root, children: rootedTree.root.children.slice(1), length: 0.1 },
      ],
    },
    rooted: true,
  };
  return [
    { name: 'unrooted', tree: unrooted },
    { name: 'rooted', tree: rooted },
  ];
}

const R_SCRIPT = `
library(ape)
t <- read.tree(commandArgs(TRUE)[1])
cat(is.rooted(t), "\\n", sep = "")
cat(t$tip.label, sep = "\\n")
cat("\\n")
write.tree(t)
`;

/** ape's view of a Newick file: rooted?, the tip labels, and the tree as ape writes it back. */
function throughApe(file: string): { rooted: boolean; labels: string[]; newick: string } {
  const script = path.join(path.dirname(file), 'read.R');
  fs.writeFileSync(script, R_SCRIPT);
  const out = execFileSync(RSCRIPT!, [script, file], { encoding: 'utf8' }).trimEnd().split('\n');
  // write.tree prints one line; labels are one per line before the blank line.
  const newickLine = out[out.length - 1]!.replace(/^\[1\] "|"$/g, '');
  const blank = out.lastIndexOf('');
  return { rooted: out[0] === 'TRUE', labels: out.slice(1, blank), newick: newickLine };
}

const PY_SCRIPT = `
import dendropy, json, sys
t = dendropy.Tree.get(path=sys.argv[1], schema=sys.argv[2])
print(json.dumps({
  'rooted': t.is_rooted,
  'labels': [n.taxon.label for n in t.leaf_node_iter()],
  'newick': t.as_string(schema='newick', preserve_spaces=True, suppress_rooting=True).strip(),
}))
`;

function throughDendropy(file: string, schema = 'newick'): { rooted: boolean; labels: string[]; newick: string } {
  const script = path.join(path.dirname(file), 'read.py');
  fs.writeFileSync(script, PY_SCRIPT);
  return JSON.parse(execFileSync(PYTHON!, [script, file, schema], { encoding: 'utf8' }));
}

describe.skipIf(!PYTHON)('DendroPy reads our Newick as we mean it', () => {
  for (const { name, tree } of sampleTrees()) {
    it(`${name} tree, labels as they are (quoted)`, () => {
      const file = path.join(tmp(), 'tree.nwk');
      writeNewickFile(file, tree);
      const back = throughDendropy(file);
      expect(back.rooted).toBe(tree.rooted);
      expect([...back.labels].sort()).toEqual([...leafLabels(tree)].sort());
      expect(robinsonFoulds(parseNewick(back.newick), tree).rf).toBe(0);
    });

    it(`${name} tree, safe labels mapped back through labels.tsv`, () => {
      const dir = tmp();
      const file = path.join(dir, 'tree.nwk');
      writeNewickFile(file, tree, 'safe');
      const back = throughDendropy(file);
      const ids = leafLabels(parseNewick(fs.readFileSync(file, 'utf8')));
      expect([...back.labels].sort()).toEqual([...ids].sort());
      // What DendroPy wrote, read with the map beside our file, is our tree with our names.
      fs.writeFileSync(path.join(dir, 'dendropy.nwk'), `${back.newick}\n`);
      const named = readNamedTree(path.join(dir, 'dendropy.nwk'), path.join(dir, 'labels.tsv')).tree;
      expect([...leafLabels(named)].sort()).toEqual([...leafLabels(tree)].sort());
      expect(robinsonFoulds(named, tree).rf).toBe(0);
    });
  }

  it('reads the taxa and tree of our NEXUS file (its DISTANCES block skipped as an unknown block)', () => {
    const tree = sampleTrees()[0]!.tree;
    const dir = tmp();
    writeMatrixFiles(dir, { ...patristicDistances(tree), signal: 's', metric: 'm' }, { nj: tree });
    const back = throughDendropy(path.join(dir, 'matrix.nex'), 'nexus');
    expect([...back.labels].sort()).toEqual([...LABELS].sort());
    expect(robinsonFoulds(parseNewick(back.newick), tree).rf).toBe(0);
  });
});

describe.skipIf(!RSCRIPT)('ape reads our Newick as we mean it', () => {
  for (const { name, tree } of sampleTrees()) {
    it(`${name} tree, safe labels: every label verbatim, rootedness and topology kept`, () => {
      const dir = tmp();
      const file = path.join(dir, 'tree.nwk');
      writeNewickFile(file, tree, 'safe');
      const ids = leafLabels(parseNewick(fs.readFileSync(file, 'utf8')));
      const back = throughApe(file);
      expect(back.rooted).toBe(tree.rooted);
      expect([...back.labels].sort()).toEqual([...ids].sort());
      fs.writeFileSync(path.join(dir, 'ape.nwk'), `${back.newick}\n`);
      const named = readNamedTree(path.join(dir, 'ape.nwk'), path.join(dir, 'labels.tsv')).tree;
      expect(robinsonFoulds(named, tree).rf).toBe(0);
    });
  }

  it('with quoted labels ape keeps the quotes (and makes NA of a doubled quote): why --labels safe exists', () => {
    const file = path.join(tmp(), 'tree.nwk');
    writeNewickFile(file, sampleTrees()[0]!.tree);
    const back = throughApe(file);
    expect(back.labels).toContain("'replay:gemma-7b-it'");
    expect(back.labels).toContain('NA');
    expect(back.rooted).toBe(false);
  });
});
