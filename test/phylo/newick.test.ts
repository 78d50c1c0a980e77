import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { randomInt, seededRng } from '../../src/core/random.js';
import { leafLabels, parseNewick, patristicDistances, robinsonFoulds, writeNewick } from '../../src/phylo/index.js';
import { maxDifference, randomTree } from './helpers.js';

describe('parseNewick', () => {
  it('reads labels, lengths, support and rootedness', () => {
    const t = parseNewick('((a:1,b:2.5)0.9:0.25,(c:1e-3,d:4)87:1,e:3);');
    expect(t.rooted).toBe(false);
    expect(leafLabels(t)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const [ab, cd, e] = t.root.children;
    expect(ab!.length).toBe(0.25);
    expect(ab!.children[1]!.length).toBe(2.5);
    expect(cd!.children[0]!.length).toBe(0.001);
    expect(e!.name).toBe('e');
    // One label above 1 means percentages: all are scaled to proportions.
    expect(ab!.support).toBeCloseTo(0.009, 12);
    expect(cd!.support).toBeCloseTo(0.87, 12);
  });

  it('keeps proportions as they are and reads a degree-2 root as rooted', () => {
    const t = parseNewick('((a,b)0.75,(c,d)1);');
    expect(t.rooted).toBe(true);
    expect(t.root.children.map((c) => c.support)).toEqual([0.75, 1]);
  });

  it('skips comments and whitespace anywhere, honours [&U]', () => {
    const t = parseNewick(" [&U] ( ( a [x] : 1 ,\n\tb:2 ) [note] , 'c d' : 3 [y] ) ; ");
    expect(t.rooted).toBe(false);
    expect(leafLabels(t)).toEqual(['a', 'b', 'c d']);
    expect(t.root.children[1]!.length).toBe(3);
  });

  it('reads quoted labels with reserved characters and doubled quotes', () => {
    const t = parseNewick("('openai:gpt-4o-mini':1,'it''s (x), [y]; z':2,plain_name:3);");
    expect(leafLabels(t)).toEqual(['openai:gpt-4o-mini', "it's (x), [y]; z", 'plain_name']);
  });

  it('keeps a quoted numeric internal label as a name, not support', () => {
    const t = parseNewick("((a,b)'95',c,d);");
    expect(t.root.children[0]!.name).toBe('95');
    expect(t.root.children[0]!.support).toBeUndefined();
  });

  it.each([
    ['((a,b),c', 'unexpected end of text'],
    ['((a,b),c)', 'missing ";"'],
    ['((a,b),c));', 'unexpected'],
    ["('a,b);", 'unclosed quoted label'],
    ['(a:x,b);', 'bad branch length'],
    ['(a,b); (c,d);', 'text after the end'],
    ['', 'empty input'],
    ['(a,b)[unclosed;', 'unclosed [comment]'],
  ])('rejects %j with an InputError naming the position', (text, what) => {
    expect(() => parseNewick(text, 'tree.nwk')).toThrow(InputError);
    expect(() => parseNewick(text, 'tree.nwk')).toThrow(what);
    expect(() => parseNewick(text, 'tree.nwk')).toThrow(/tree\.nwk: .* at position \d+/);
  });
});

describe('writeNewick', () => {
  it('quotes labels Newick would misread and writes support as the internal label', () => {
    const text = writeNewick({
      rooted: false,
      root: {
        children: [
          { name: 'openai:gpt-4o-mini', length: 0.1, children: [] },
          { name: "bob's model", length: 0.2, children: [] },
          {
            support: 0.5,
            length: 0.3,
            children: [
              { name: 'x y', children: [] },
              { name: 'z', children: [] },
            ],
          },
        ],
      },
    });
    expect(text).toBe("[&U] ('openai:gpt-4o-mini':0.1,'bob''s model':0.2,('x y',z)0.5:0.3);");
  });

  it('always says rooted or unrooted, and quotes labels holding _ (an unquoted _ is a blank to the standard)', () => {
    const leaf = (name: string) => ({ name, children: [] });
    const unrooted = { rooted: false, root: { children: [leaf('a_b'), leaf('c'), leaf('d')] } };
    expect(writeNewick(unrooted)).toBe("[&U] ('a_b',c,d);");
    const rootedPair = { rooted: true, root: { children: [leaf('a'), { children: [leaf('b'), leaf('c')] }] } };
    expect(writeNewick(rootedPair)).toBe('[&R] (a,(b,c));');
    // An unrooted tree stored with a degree-2 root is marked too, so readers do not take it for rooted.
    const unrootedPair = { ...rootedPair, rooted: false };
    expect(writeNewick(unrootedPair)).toBe('[&U] (a,(b,c));');
    expect(parseNewick(writeNewick(unrootedPair)).rooted).toBe(false);
    expect(leafLabels(parseNewick(writeNewick(unrooted)))).toEqual(['a_b', 'c', 'd']);
  });

  it('accepts a leading byte-order mark', () => {
    expect(leafLabels(parseNewick('\uFEFF(a,b,(c,d));'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('round-trips random awkward labels, lengths and support exactly', () => {
    const rng = seededRng(7);
    const alphabet = [
      'a',
      'Z',
      '0',
      '_',
      ' ',
      "'",
      '(',
      ')',
      '[',
      ']',
      ':',
      ';',
      ',',
      '\t',
      '\n',
      'é',
      '→',
      '-',
      '.',
      '"',
      '/',
      '&',
    ];
    for (let trial = 0; trial < 60; trial++) {
      const n = 3 + randomInt(rng, 15);
      const labels = new Set<string>();
      while (labels.size < n) {
        let l = '';
        const len = 1 + randomInt(rng, 12);
        for (let k = 0; k < len; k++) l += alphabet[randomInt(rng, alphabet.length)]!;
        labels.add(l);
      }
      const tree = randomTree(rng, [...labels], 1e-9, 1e3);
      const withSupport = {
        ...tree,
        root: {
          ...tree.root,
          children: tree.root.children.map((c) => (c.children.length ? { ...c, support: rng() } : c)),
        },
      };
      const text = writeNewick(withSupport);
      const back = parseNewick(text);
      expect(leafLabels(back)).toEqual(leafLabels(withSupport));
      expect(writeNewick(back)).toBe(text);
      expect(robinsonFoulds(back, withSupport).rf).toBe(0);
      expect(maxDifference(patristicDistances(back), patristicDistances(withSupport))).toBe(0);
      withSupport.root.children.forEach((c, i) => {
        expect(back.root.children[i]!.support).toBe(c.support);
      });
    }
  });

  it('marks a rooted tree whose root has three children', () => {
    const text = writeNewick({
      rooted: true,
      root: {
        children: [
          { name: 'a', children: [] },
          { name: 'b', children: [] },
          { name: 'c', children: [] },
        ],
      },
    });
    expect(text).toBe('[&R] (a,b,c);');
    expect(parseNewick(text).rooted).toBe(true);
  });
});

describe('size limits', () => {
  it('refuses trees past the leaf and internal-node limits with one line, before building them', async () => {
    const { MAX_TREE_LEAVES, MAX_TREE_INTERNAL_NODES } = await import('../../src/phylo/limits.js');
    const wide = `(${Array.from({ length: MAX_TREE_LEAVES + 1 }, (_, i) => `a${i}`).join(',')});`;
    expect(() => parseNewick(wide, 'wide.nwk')).toThrow(InputError);
    expect(() => parseNewick(wide, 'wide.nwk')).toThrow(/wide\.nwk: more than 5000 leaves \(the limit\)/);
    const deep = `${'('.repeat(MAX_TREE_INTERNAL_NODES + 1)}a${')'.repeat(MAX_TREE_INTERNAL_NODES + 1)};`;
    expect(() => parseNewick(deep, 'deep.nwk')).toThrow(/deep\.nwk: more than 5000 internal nodes/);
    // At the limit a caterpillar still reads.
    const atLimit = `${'('.repeat(MAX_TREE_INTERNAL_NODES)}a${')'.repeat(MAX_TREE_INTERNAL_NODES)};`;
    expect(leafLabels(parseNewick(atLimit))).toEqual(['a']);
  });
});

describe('deep trees', () => {
  it('a 5,000-taxon caterpillar survives every tree function without overflowing the stack', async () => {
    const { bootstrapSupport, ladderize, majorityRuleConsensus, midpointRoot, renderTree, splitsOf, keepTips } =
      await import('../../src/phylo/index.js');
    let text = 'a0:1';
    for (let i = 1; i < 5000; i++) text = `(${text},a${i}:1):1`;
    const t = parseNewick(`${text};`);
    expect(leafLabels(t)).toHaveLength(5000);
    expect(writeNewick(parseNewick(writeNewick(t)))).toBe(writeNewick(t));
    expect(splitsOf(t)).toHaveLength(4997);
    const supported = bootstrapSupport(t, [t]);
    expect(robinsonFoulds(supported, t).rf).toBe(0);
    expect(robinsonFoulds(majorityRuleConsensus([t, t]), t).rf).toBe(0);
    const drawn = renderTree(ladderize(midpointRoot(t)), { width: 60 }).split('\n');
    expect(drawn.length).toBeGreaterThanOrEqual(5000);
    expect(leafLabels(keepTips(t, ['a0', 'a2500', 'a4999']))).toHaveLength(3);
  });
});
