import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neighborJoining, parseNewick, patristicDistances, preorder, robinsonFoulds } from '../../src/phylo/index.js';
import { canonicalName } from '../../src/genotype/align.js';
import { genotypeMatrix, layerDistances, layerImportance, matchLabels } from '../../src/genotype/analysis.js';
import { compareModels, uniqueLabels } from '../../src/genotype/compare.js';
import { pearson, ranks, spearman } from '../../src/distance/correlation.js';
import { accumulatePair, emptyStats, metricValue } from '../../src/genotype/metrics.js';
import { writeSafetensors } from '../../src/genotype/safetensors-write.js';
import { referenceDistances } from '../../src/genotype/reference.js';
import { genotypeTree } from '../../src/genotype/tree.js';
import { randomNormal, seededRng } from '../../src/core/random.js';
import { encode, GGML_TYPE_ID, writeGguf } from './gguf-fixtures.js';
import { writeZoo, type Zoo } from './lineage.js';

let dir: string;
let zoo: Zoo;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'phylo-cmp-'));
  zoo = await writeZoo(path.join(dir, 'zoo'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('layer alignment', () => {
  it('maps GGUF, Hugging Face llama-style and GPT-2 names onto one canonical scheme', () => {
    const same = [
      ['blk.3.attn_q.weight', 'model.layers.3.self_attn.q_proj.weight'],
      ['blk.0.ffn_gate.weight', 'model.layers.0.mlp.gate_proj.weight'],
      [
        'blk.2.attn_norm.weight',
        'model.layers.2.input_layernorm.weight',
        'h.2.ln_1.weight',
        'transformer.h.2.ln_1.weight',
      ],
      ['blk.2.ffn_norm.weight', 'model.layers.2.post_attention_layernorm.weight', 'h.2.ln_2.weight'],
      ['blk.1.attn_qkv.weight', 'h.1.attn.c_attn.weight'],
      ['blk.1.attn_output.bias', 'h.1.attn.c_proj.bias', 'model.layers.1.self_attn.o_proj.bias'],
      ['blk.5.ffn_up.weight', 'h.5.mlp.c_fc.weight', 'model.layers.5.mlp.up_proj.weight'],
      ['blk.5.ffn_down.weight', 'h.5.mlp.c_proj.weight', 'model.layers.5.mlp.down_proj.weight'],
      ['token_embd.weight', 'model.embed_tokens.weight', 'wte.weight', 'transformer.wte.weight'],
      ['position_embd.weight', 'wpe.weight'],
      ['output_norm.weight', 'model.norm.weight', 'ln_f.weight'],
      ['output.weight', 'lm_head.weight'],
    ];
    for (const group of same) {
      const canon = group.map((n) => canonicalName(n).canonical);
      expect(new Set(canon).size, group.join(' / ')).toBe(1);
      expect(canon[0]).toBe(group[0]);
    }
    expect(canonicalName('h.4.mlp.c_fc.weight')).toMatchObject({
      layer: 'blk.4',
      block: 4,
      role: 'ffn_up',
      param: 'weight',
      known: true,
    });
    expect(canonicalName('lm_head.weight').layer).toBe('output');
    const odd = canonicalName('h.3.attn.masked_bias');
    expect(odd).toMatchObject({ canonical: 'h.3.attn.masked_bias', layer: 'blk.3', known: false });
  });
});

describe('metrics', () => {
  it('L1, L2, cosine and fraction changed from the streamed sums equal their definitions', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([1, 2.5, 1, 4]);
    const s = emptyStats();
    accumulatePair(a.subarray(0, 2), b.subarray(0, 2), 2, 0.1, s);
    accumulatePair(a.subarray(2), b.subarray(2), 2, 0.1, s); // two windows add up
    expect([s.normA2, s.normB2]).toEqual([30, 1 + 6.25 + 1 + 16]);
    expect(metricValue(s, 'l1')).toBeCloseTo(0.5 + 2, 12);
    expect(metricValue(s, 'l2')).toBeCloseTo(Math.sqrt(0.25 + 4), 12);
    const cos = (1 * 1 + 2 * 2.5 + 3 * 1 + 4 * 4) / Math.sqrt(30 * (1 + 6.25 + 1 + 16));
    expect(metricValue(s, 'cosine')).toBeCloseTo(1 - cos, 12);
    expect(metricValue(s, 'changed')).toBe(0.5);
    expect(metricValue(s, 'l2', 30)).toBeCloseTo(Math.sqrt(4.25) / Math.sqrt(30), 12);
    const same = emptyStats();
    accumulatePair(a, a, 4, 0, same);
    expect([metricValue(same, 'l2'), metricValue(same, 'cosine'), metricValue(same, 'changed')]).toEqual([0, 0, 0]);
  });

  it('Pearson and Spearman on known samples', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(Number.isNaN(pearson([1, 1, 1], [1, 2, 3]))).toBe(true);
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    // Monotone but not linear: Spearman 1, Pearson below 1.
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 100])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [1, 4, 9, 100])).toBeLessThan(0.95);
  });
});

describe('compareModels on a zoo of known lineage', () => {
  it('the genotype tree recovers the lineage exactly and the perturbed layers rank first', async () => {
    const names = ['base', 'a1', 'a2', 'b1', 'b2'];
    const cmp = await compareModels(
      names.map((n) => zoo.paths[n]!),
      { windowElements: 256 },
    );
    expect(cmp.models.map((m) => m.label)).toEqual(names);
    expect(cmp.models.map((m) => m.format)).toEqual([
      'safetensors',
      'safetensors',
      'safetensors',
      'safetensors',
      'gguf',
    ]);
    // Every tensor aligned across the safetensors (GPT-2 names) and the GGUF (GGUF names) models.
    expect(cmp.missing).toEqual([]);
    expect(cmp.shapeMismatch).toEqual([]);
    expect(cmp.tensors.length).toBe(3 + 4 * 7);
    expect(cmp.pairs.length).toBe(10 * cmp.tensors.length);

    const truth = parseNewick(zoo.newick);
    for (const metric of ['l2', 'l1', 'cosine'] as const) {
      const m = genotypeMatrix(cmp, { metric });
      expect(m.signal).toBe('genotype');
      const tree = neighborJoining(m);
      expect(robinsonFoulds(tree, truth).rf, metric).toBe(0);
    }

    // Unperturbed layers are identical in every model: distance 0 exactly.
    const layers = layerDistances(cmp);
    for (const l of layers) {
      if (zoo.perturbedLayers.includes(l.layer)) expect(l.mean, l.layer).toBeGreaterThan(0);
      else expect(l.max, l.layer).toBe(0);
    }

    const reference = patristicDistances(truth);
    const ranked = layerImportance(cmp, { reference });
    expect(
      ranked
        .slice(0, 2)
        .map((r) => r.layer)
        .sort(),
    ).toEqual([...zoo.perturbedLayers].sort());
    expect(ranked[0]!.pearson).toBeGreaterThan(0.5);
    expect(ranked[0]!.spearman).toBeGreaterThan(0.5);
    expect(ranked.map((r) => r.rank)).toEqual(ranked.map((_, i) => i + 1));
    // A truth tree that names the base as the root ancestor (as a lab zoo's truth.nwk does) ranks the same way.
    const ancestral = referenceDistances(parseNewick('((a1:1,a2:1)a:1,(b1:1,b2:1)b:1)base;'));
    expect(ancestral.labels).toContain('base');
    const rankedByAncestors = layerImportance(cmp, { reference: ancestral });
    expect(rankedByAncestors.map((r) => [r.layer, r.pearson])).toEqual(ranked.map((r) => [r.layer, r.pearson]));
    // Without a reference, the layers that separate the models most are the perturbed ones too.
    const bySeparation = layerImportance(cmp);
    expect(
      bySeparation
        .slice(0, 2)
        .map((r) => r.layer)
        .sort(),
    ).toEqual([...zoo.perturbedLayers].sort());

    // Choosing layers: block 2 alone separates the grandchildren but not the base from its children's lineage.
    const block2 = genotypeMatrix(cmp, { layers: /^blk\.2\./ });
    const i = (l: string) => names.indexOf(l);
    expect(block2.values[i('a1') * 5 + i('a2')]).toBeGreaterThan(0);
    const block0 = genotypeMatrix(cmp, { layers: /^blk\.0\./ });
    expect(Math.max(...block0.values)).toBe(0);

    // L2 relative to the parent's norm: the same ordering, scaled by one number.
    const abs = genotypeMatrix(cmp, { metric: 'l2' });
    const rel = genotypeMatrix(cmp, { metric: 'l2', parent: 'base' });
    expect(rel.metric).toBe('l2-rel');
    const ratio = rel.values[1]! / abs.values[1]!;
    for (let k = 0; k < 25; k++) expect(rel.values[k]).toBeCloseTo(abs.values[k]! * ratio, 12);
    expect(ratio).toBeGreaterThan(0);
  });

  it('genotype trees by every distance method, with bootstrap support over tensors', async () => {
    const names = ['base', 'a1', 'a2', 'b1', 'b2'];
    const cmp = await compareModels(names.map((n) => zoo.paths[n]!));
    const truth = parseNewick(zoo.newick);
    for (const method of ['nj', 'bionj', 'bme'] as const) {
      expect(robinsonFoulds(genotypeTree(cmp, { method }), truth).rf, method).toBe(0);
    }
    const supported = genotypeTree(cmp, { replicates: 60, seed: 3 });
    expect(robinsonFoulds(supported, truth).rf).toBe(0);
    const internal = preorder(supported.root).filter((node) => node.children.length > 0 && node !== supported.root);
    expect(internal.length).toBe(2);
    // Both lineage splits are carried by many tensors (blocks 1 and 2), so nearly every replicate recovers them.
    for (const node of internal) expect(node.support).toBeGreaterThanOrEqual(0.9);
    // The same seed gives the same support values.
    expect(genotypeTree(cmp, { replicates: 60, seed: 3 })).toEqual(supported);
  });

  it('a quantized GGUF is close to the float Hugging Face model it came from, across naming conventions', async () => {
    const rng = seededRng(42);
    const make = () => Float32Array.from({ length: 64 * 32 }, () => 0.02 * randomNormal(rng));
    const hfNames = [
      'model.embed_tokens.weight',
      'model.layers.0.self_attn.q_proj.weight',
      'model.layers.0.mlp.down_proj.weight',
      'lm_head.weight',
    ];
    const ggufNames = ['token_embd.weight', 'blk.0.attn_q.weight', 'blk.0.ffn_down.weight', 'output.weight'];
    const original = hfNames.map(make);
    const unrelated = hfNames.map(make);
    const hf = path.join(dir, 'hf-model');
    const other = path.join(dir, 'other-model');
    await mkdir(hf);
    await mkdir(other);
    await writeSafetensors(
      path.join(hf, 'model.safetensors'),
      hfNames.map((name, i) => ({ name, dtype: 'BF16' as const, shape: [64, 32], data: original[i]! })),
    );
    await writeSafetensors(
      path.join(other, 'model.safetensors'),
      hfNames.map((name, i) => ({ name, dtype: 'F32' as const, shape: [64, 32], data: unrelated[i]! })),
    );
    const q = path.join(dir, 'hf-model-q8_0.gguf');
    await writeGguf(q, {
      tensors: ggufNames.map((name, i) => ({
        name,
        dims: [32, 64],
        type: GGML_TYPE_ID.Q8_0,
        data: encode('Q8_0', original[i]!).bytes,
      })),
    });
    const cmp = await compareModels([hf, q, other]);
    expect(cmp.tensors.map((t) => t.canonical)).toEqual([
      'token_embd.weight',
      'blk.0.attn_q.weight',
      'blk.0.ffn_down.weight',
      'output.weight',
    ]);
    const rel = genotypeMatrix(cmp, { parent: 'hf-model' });
    // Quantization noise: well under 1% of the weight norm; an unrelated model: about sqrt(2) times the norm.
    expect(rel.values[0 * 3 + 1]).toBeLessThan(0.01);
    expect(rel.values[0 * 3 + 2]).toBeGreaterThan(1.2);
    expect(genotypeMatrix(cmp, { metric: 'cosine' }).values[1]).toBeLessThan(1e-4);
  });

  it("undoes llama.cpp's rotary row permutation of attn_q / attn_k, so a llama GGUF matches its HF original", async () => {
    const rng = seededRng(5);
    const dim = 64,
      heads = 4,
      kvHeads = 2,
      hd = 16;
    const q = Float32Array.from({ length: heads * hd * dim }, () => randomNormal(rng));
    const k = Float32Array.from({ length: kvHeads * hd * dim }, () => randomNormal(rng));
    // convert_hf_to_gguf.py: w.reshape(n_head, 2, hd/2, dim).swapaxes(1, 2): GGUF row (h, i, s) = HF row (h, s, i).
    const permute = (w: Float32Array, n: number): Float32Array => {
      const out = new Float32Array(w.length);
      for (let h = 0; h < n; h++)
        for (let i = 0; i < hd / 2; i++)
          for (let s = 0; s < 2; s++) {
            out.set(
              w.subarray((h * hd + s * (hd / 2) + i) * dim, (h * hd + s * (hd / 2) + i + 1) * dim),
              (h * hd + 2 * i + s) * dim,
            );
          }
      return out;
    };
    const hf = path.join(dir, 'llama-hf');
    await mkdir(hf);
    await writeSafetensors(path.join(hf, 'model.safetensors'), [
      { name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'F32', shape: [heads * hd, dim], data: q },
      { name: 'model.layers.0.self_attn.k_proj.weight', dtype: 'F32', shape: [kvHeads * hd, dim], data: k },
    ]);
    const tensors = [
      {
        name: 'blk.0.attn_q.weight',
        dims: [dim, heads * hd],
        type: GGML_TYPE_ID.F32,
        data: new Uint8Array(permute(q, heads).buffer),
      },
      {
        name: 'blk.0.attn_k.weight',
        dims: [dim, kvHeads * hd],
        type: GGML_TYPE_ID.F32,
        data: new Uint8Array(permute(k, kvHeads).buffer),
      },
    ];
    const llama = path.join(dir, 'llama.gguf');
    await writeGguf(llama, {
      metadata: [
        ['general.architecture', 'string', 'llama'],
        ['llama.attention.head_count', 'u32', heads],
        ['llama.attention.head_count_kv', 'u32', kvHeads],
      ],
      tensors,
    });
    const plain = path.join(dir, 'not-llama.gguf');
    await writeGguf(plain, { metadata: [['general.architecture', 'string', 'qwen2']], tensors });
    // Windows smaller than a head still read whole heads.
    const cmp = await compareModels([hf, llama, plain], { windowElements: 256 });
    const l2 = layerDistances(cmp)[0]!.matrix;
    expect(l2.values[0 * 3 + 1]).toBe(0);
    expect(l2.values[0 * 3 + 2]).toBeGreaterThan(1);
  });

  it('window size does not change the sums', async () => {
    const models = [zoo.paths.a1!, zoo.paths.b2!];
    const small = await compareModels(models, { windowElements: 256 });
    const large = await compareModels(models, { windowElements: 1 << 20 });
    small.pairs.forEach((r, k) => {
      expect(r.sumSq).toBeCloseTo(large.pairs[k]!.sumSq, 12);
      expect(r.dot).toBeCloseTo(large.pairs[k]!.dot, 12);
      expect(r.changed).toBe(large.pairs[k]!.changed);
    });
  });

  it('tensors in one model only, or of another shape, are reported and not compared', async () => {
    const x = new Float32Array(16).fill(0.5);
    const p = path.join(dir, 'p.safetensors');
    const q = path.join(dir, 'q.safetensors');
    await writeSafetensors(p, [
      { name: 'h.0.ln_1.weight', dtype: 'F32', shape: [16], data: x },
      { name: 'h.0.attn.c_proj.weight', dtype: 'F32', shape: [4, 4], data: x },
      { name: 'lm_head.weight', dtype: 'F16', shape: [2, 8], data: x },
    ]);
    await writeSafetensors(q, [
      { name: 'model.layers.0.input_layernorm.weight', dtype: 'BF16', shape: [16], data: x },
      { name: 'model.layers.0.self_attn.o_proj.weight', dtype: 'F32', shape: [2, 8], data: x },
    ]);
    const cmp = await compareModels([p, q]);
    expect(cmp.tensors.map((t) => t.canonical)).toEqual(['blk.0.attn_norm.weight']);
    expect(cmp.tensors[0]!.dtypes).toEqual(['F32', 'BF16']);
    expect(cmp.missing).toEqual([{ canonical: 'output.weight', presentIn: ['p'], absentFrom: ['q'] }]);
    expect(cmp.shapeMismatch).toEqual([{ canonical: 'blk.0.attn_output.weight', shapes: { p: [4, 4], q: [2, 8] } }]);
    expect(genotypeMatrix(cmp).values[1]).toBe(0);
    expect(cmp.norms2).toEqual([[4], [4]]);
    await expect(compareModels([p])).rejects.toThrow(/at least two models/);
    expect(() => genotypeMatrix(cmp, { layers: /^nothing/ })).toThrow(
      /no tensor shared by all models matches --layers/,
    );
  });

  it('labels are unique and match reference leaves with or without a provider prefix', () => {
    expect(
      uniqueLabels(['/x/a/model.safetensors', '/y/a/model.safetensors', '/z/b.gguf', 'ollama:qwen3:0.6b']),
    ).toEqual(['x/a', 'y/a', 'b', 'ollama:qwen3:0.6b']);
    expect(matchLabels(['child-a', 'base'], ['lab:base', 'lab:child-a'])).toEqual([1, 0]);
    expect(() => matchLabels(['ghost'], ['lab:base'])).toThrow(/no leaf for model ghost/);
  });
});
