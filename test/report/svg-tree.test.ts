// The phylogram: leaves in the ladderized order of the drawn tree, one support value per supported internal branch,
// horizontal extent proportional to branch length, a round scale bar, tips coloured by group with a legend, and every
// label escaped.
import { describe, expect, it } from 'vitest';
import { ladderize, leafLabels, parseNewick } from '../../src/phylo/index.js';
import { modelGroups, providerOf, UNLABELLED } from '../../src/report/groups.js';
import { phylogramSvg, scaleBarLength } from '../../src/report/svg-tree.js';

const tree = (text: string) => parseNewick(text, 'test');

describe('phylogramSvg', () => {
  const rooted = {
    ...tree("(('openai:a':0.1,'openai:b':0.2)0.9:0.3,('anthropic:c':0.4,'ollama:d':0.1)0.55:0.2);"),
    rooted: true,
  };
  const groups = modelGroups(['openai:a', 'openai:b', 'anthropic:c', 'ollama:d']);

  it('lays out one row per leaf, ladderized, with support on internal branches', () => {
    const p = phylogramSvg(rooted, { title: 'test tree', groups });
    expect(p.rooting).toBe('rooted by the method');
    expect(p.leaves).toEqual(leafLabels(ladderize(rooted)));
    expect([...p.leaves].sort()).toEqual(['anthropic:c', 'ollama:d', 'openai:a', 'openai:b']);
    expect(p.supported).toBe(2);
    expect([...p.svg.matchAll(/<text class="support"[^>]*>(\d+)<\/text>/g)].map((m) => m[1]).sort()).toEqual([
      '55',
      '90',
    ]);
    expect(p.svg.match(/<text class="tip-label"/g)).toHaveLength(4);
  });

  it('draws branch lengths to scale: the deepest tip ends at the full tree width', () => {
    const p = phylogramSvg(rooted, { title: 't', groups, treeWidth: 600 });
    // Depths: a 0.4, b 0.5, c 0.6, d 0.3; the deepest (c) sits at LEFT + 600, a at LEFT + 600 * 0.4 / 0.6.
    const circle = (label: string) => {
      const i = p.svg.indexOf(`${label} (`);
      return Number(/cx="([\d.]+)"/.exec(p.svg.slice(i))![1]);
    };
    expect(circle('anthropic:c')).toBeCloseTo(14 + 600, 1);
    expect(circle('openai:a')).toBeCloseTo(14 + 400, 1);
    expect(circle('ollama:d')).toBeCloseTo(14 + 300, 1);
  });

  it('colours tips by group and lists every group in the legend', () => {
    const p = phylogramSvg(rooted, { title: 't', groups });
    const colourOf = (label: string) => new RegExp(`fill="(#[0-9a-f]{6})">${label}</text>`).exec(p.svg)![1];
    expect(colourOf('openai:a')).toBe(colourOf('openai:b'));
    expect(colourOf('openai:a')).not.toBe(colourOf('anthropic:c'));
    for (const g of ['anthropic', 'ollama', 'openai']) expect(p.svg).toContain(`>${g}</text>`);
  });

  it('roots an unrooted tree at its midpoint for display and says so', () => {
    const p = phylogramSvg(tree('(a:1,b:1,(c:1,d:5):1);'), { title: 't', groups: modelGroups(['a', 'b', 'c', 'd']) });
    expect(p.rooting).toBe('midpoint-rooted for display');
    expect(p.leaves).toHaveLength(4);
    expect(p.supported).toBe(0);
  });

  it('escapes labels and the title', () => {
    const evil = "x<script>alert('1')</script>";
    const t = tree(`('${evil.replace(/'/g, "''")}':1,b:1,c:1);`);
    const p = phylogramSvg(t, { title: '<b>title</b>', groups: modelGroups([evil, 'b', 'c']) });
    expect(p.svg).not.toContain('<script');
    expect(p.svg).toContain('x&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;</text>');
    expect(p.svg).toContain('<title>&lt;b&gt;title&lt;/b&gt;</title>');
  });
});

describe('scaleBarLength', () => {
  it('is a round number near a fifth of the extent', () => {
    expect(scaleBarLength(1)).toBe(0.2);
    expect(scaleBarLength(0.93)).toBe(0.2);
    expect(scaleBarLength(0.37)).toBeCloseTo(0.1, 12);
    expect(scaleBarLength(42)).toBe(10);
    expect(scaleBarLength(0)).toBe(0);
  });
});

describe('model groups', () => {
  it('takes the provider from the model ref, looking through replay: to an imported provider', () => {
    expect(providerOf('openai:gpt-4o')).toBe('openai');
    expect(providerOf('replay:anthropic:claude-3')).toBe('anthropic');
    expect(providerOf('replay:gpt4_0613')).toBe('replay');
    expect(providerOf('bare')).toBe(UNLABELLED);
  });

  it('uses families from a labels file when given, matching bare names to refs, unlabelled last', () => {
    const g = modelGroups(
      ['replay:a', 'replay:b', 'replay:c'],
      new Map([
        ['a', 'fam-x'],
        ['replay:b', 'fam-y'],
      ]),
    );
    expect(g.by).toBe('family');
    expect([...g.of]).toEqual([
      ['replay:a', 'fam-x'],
      ['replay:b', 'fam-y'],
      ['replay:c', UNLABELLED],
    ]);
    expect(g.legend.map((l) => l.group)).toEqual(['fam-x', 'fam-y', UNLABELLED]);
    expect(new Set(g.legend.map((l) => l.colour)).size).toBe(3);
  });
});
