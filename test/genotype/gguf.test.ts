import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { randomNormal, seededRng } from '../../src/core/random.js';
import { readGguf, readGgufHeader } from '../../src/genotype/gguf.js';
import { openWeights } from '../../src/genotype/open.js';
import { parseOllamaName, resolveOllamaBlob } from '../../src/genotype/ollama.js';
import { TensorReader } from '../../src/genotype/tensor-reader.js';
import { encode, GGML_TYPE_ID, writeGguf, type EncodedType } from './gguf-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'phylo-gguf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Weight-like values: normal, with a few outliers and a shifted block so asymmetric (type-1) formats matter. */
function weights(n: number, seed: number): Float32Array {
  const rng = seededRng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = randomNormal(rng) * 0.02 + (i >= 256 && i < 512 ? 0.03 : 0);
  x[7] = 0.11;
  x[300] = -0.09;
  return x;
}

/** The worst error a b-bit format may make on a block, given its range: a quantization step, plus scale rounding. */
const BITS: Record<EncodedType, number> = {
  F32: 24,
  F16: 11,
  BF16: 8,
  Q8_0: 8,
  Q4_0: 4,
  Q4_1: 4,
  Q5_0: 5,
  Q5_1: 5,
  Q4_K: 4,
  Q5_K: 5,
  Q6_K: 6,
};

describe('GGUF reader', () => {
  const types = Object.keys(GGML_TYPE_ID) as EncodedType[];

  it.each([2, 3])('reads metadata and tensor infos of a version %i file', async (version) => {
    const file = path.join(dir, `v${version}.gguf`);
    const x = weights(64, 1);
    await writeGguf(file, {
      version,
      metadata: [
        ['general.architecture', 'string', 'llama'],
        ['llama.block_count', 'u32', 2],
        ['general.file_type', 'u64', 7],
        ['tokenizer.ggml.tokens', 'string[]', Array.from({ length: 100 }, (_, i) => `t${i}`)],
        ['tokenizer.ggml.token_type', 'i32[]', [1, 2, 3]],
      ],
      tensors: [{ name: 'blk.0.attn_q.weight', dims: [16, 4], type: GGML_TYPE_ID.F32, data: encode('F32', x).bytes }],
    });
    const h = await readGgufHeader(file);
    expect(h.version).toBe(version);
    expect(h.metadata['general.architecture']).toBe('llama');
    expect(h.metadata['llama.block_count']).toBe(2);
    expect(h.metadata['general.file_type']).toBe(7);
    expect(h.metadata['tokenizer.ggml.tokens']).toEqual({ arrayOf: 'string', length: 100 });
    expect(h.metadata['tokenizer.ggml.token_type']).toEqual([1, 2, 3]);
    // dims are innermost first in GGUF; the reader reports row-major [rows, cols].
    expect(h.tensors[0]).toMatchObject({
      name: 'blk.0.attn_q.weight',
      dtype: 'F32',
      shape: [4, 16],
      elements: 64,
      bytes: 256,
    });
    const reader = new TensorReader();
    try {
      expect(Array.from(await reader.readTensor(h.tensors[0]!))).toEqual(Array.from(x));
    } finally {
      await reader.close();
    }
  });

  it('dequantizes every supported type: bit-exact to the codes written, within the format precision of the input', async () => {
    const n = 1024; // 4 super-blocks, 32 small blocks
    const file = path.join(dir, 'quants.gguf');
    const encoded = types.map((type, i) => ({ type, x: weights(n, 10 + i), ...encode(type, weights(n, 10 + i)) }));
    await writeGguf(file, {
      alignment: 64,
      tensors: encoded.map((e) => ({
        name: `blk.0.${e.type.toLowerCase()}.weight`,
        dims: [256, n / 256],
        type: GGML_TYPE_ID[e.type],
        data: e.bytes,
      })),
    });
    const set = await readGguf(file);
    expect(set.tensors.map((t) => t.dtype)).toEqual(types);
    const reader = new TensorReader();
    try {
      for (const e of encoded) {
        const t = set.tensors.find((tt) => tt.dtype === e.type)!;
        const back = await reader.readTensor(t);
        // The decoder reproduces exactly the values the codes stand for (any bit-layout slip would be far off).
        let layoutError = 0;
        for (let i = 0; i < n; i++) layoutError = Math.max(layoutError, Math.abs(back[i]! - e.decoded[i]!));
        expect(layoutError, `${e.type} layout`).toBeLessThanOrEqual(1e-7);
        // And those values are the input within the format's precision: about half a step of a b-bit grid on the
        // block's range (twice that for scale quantization and clamping at the extremes).
        const amax = Math.max(...Array.from(e.x, Math.abs));
        const step = (2 * amax) / 2 ** BITS[e.type];
        let worst = 0;
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(back[i]! - e.x[i]!));
        expect(worst, `${e.type} precision`).toBeLessThanOrEqual(e.type === 'F32' ? 0 : step);
        if (e.type !== 'F32') expect(worst, `${e.type} is lossy`).toBeGreaterThan(0);
      }
      // Windows on block boundaries decode the same values as the whole tensor.
      const q4k = set.tensors.find((t) => t.dtype === 'Q4_K')!;
      const whole = await reader.readTensor(q4k);
      const w = new Float32Array(512);
      await reader.readWindow(q4k, 256, 512, w);
      expect(Array.from(w)).toEqual(Array.from(whole.subarray(256, 768)));
    } finally {
      await reader.close();
    }
  });

  it('an unknown tensor type opens (for --inspect) but reading it is an error naming tensor and type', async () => {
    const file = path.join(dir, 'unknown-type.gguf');
    await writeGguf(file, {
      tensors: [{ name: 'blk.0.ffn_up.weight', dims: [32, 1], type: 99, data: new Uint8Array(32) }],
    });
    const set = await readGguf(file);
    expect(set.tensors[0]!.dtype).toBe('GGML_TYPE_99');
    const reader = new TensorReader();
    try {
      await expect(reader.readTensor(set.tensors[0]!)).rejects.toThrow(
        /unknown-type\.gguf: tensor blk\.0\.ffn_up\.weight has dtype GGML_TYPE_99/,
      );
    } finally {
      await reader.close();
    }
    // A known type llm-phylo does not dequantize is named too.
    const iq = path.join(dir, 'iq.gguf');
    await writeGguf(iq, {
      tensors: [{ name: 'blk.0.ffn_down.weight', dims: [256, 1], type: 23, data: new Uint8Array(136) }],
    });
    const r2 = new TensorReader();
    try {
      await expect(r2.readTensor((await readGguf(iq)).tensors[0]!)).rejects.toThrow(
        /tensor blk\.0\.ffn_down\.weight has dtype IQ4_XS/,
      );
    } finally {
      await r2.close();
    }
  });

  it('bad files: wrong magic, unsupported version, truncated data, misaligned offsets', async () => {
    const tensors = [
      { name: 'token_embd.weight', dims: [32, 2], type: GGML_TYPE_ID.Q8_0, data: encode('Q8_0', weights(64, 3)).bytes },
    ];
    const magic = path.join(dir, 'magic.gguf');
    await writeGguf(magic, { magic: 'GGML', tensors });
    const err = await readGgufHeader(magic).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/magic\.gguf: .*wrong magic "GGML"/);
    const v1 = path.join(dir, 'v1.gguf');
    await writeGguf(v1, { version: 1, tensors });
    await expect(readGgufHeader(v1)).rejects.toThrow(/v1\.gguf: .*GGUF version 1 is not supported/);
    const v9 = path.join(dir, 'v9.gguf');
    await writeGguf(v9, { version: 9, tensors });
    await expect(readGgufHeader(v9)).rejects.toThrow(/v9\.gguf: .*GGUF version 9 is not supported \(only 2 and 3\)/);
    const good = path.join(dir, 'good.gguf');
    await writeGguf(good, { tensors });
    const bytes = await readFile(good);
    const cut = path.join(dir, 'cut.gguf');
    await writeFile(cut, bytes.subarray(0, bytes.length - 40));
    await expect(readGgufHeader(cut)).rejects.toThrow(
      /cut\.gguf: .*tensor token_embd\.weight: data \[0, 68\) runs past the end of the data section/,
    );
    const headerOnly = path.join(dir, 'header-only.gguf');
    await writeFile(headerOnly, bytes.subarray(0, 40));
    await expect(readGgufHeader(headerOnly)).rejects.toThrow(
      /header-only\.gguf: GGUF header runs past the end of the file/,
    );
  });

  it('reads an Ollama model through its manifest in a models folder, with no server', async () => {
    const models = path.join(dir, 'ollama-models');
    const hex = 'ab'.repeat(32);
    await mkdir(path.join(models, 'blobs'), { recursive: true });
    await mkdir(path.join(models, 'manifests', 'registry.ollama.ai', 'library', 'tiny'), { recursive: true });
    const x = weights(64, 5);
    await writeGguf(path.join(models, 'blobs', `sha256-${hex}`), {
      tensors: [{ name: 'output.weight', dims: [32, 2], type: GGML_TYPE_ID.F16, data: encode('F16', x).bytes }],
    });
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        digest: `sha256:${'cd'.repeat(32)}`,
        size: 10,
      },
      layers: [
        { mediaType: 'application/vnd.ollama.image.template', digest: `sha256:${'ef'.repeat(32)}`, size: 5 },
        { mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${hex}`, size: 100 },
      ],
    };
    await writeFile(
      path.join(models, 'manifests', 'registry.ollama.ai', 'library', 'tiny', '1b'),
      JSON.stringify(manifest),
    );
    const env = { OLLAMA_MODELS: models };
    const blob = await resolveOllamaBlob('tiny:1b', { env });
    expect(blob.blob).toBe(path.join(models, 'blobs', `sha256-${hex}`));
    const set = await openWeights('ollama:tiny:1b', { env });
    expect(set.source).toBe('ollama:tiny:1b');
    expect(set.format).toBe('gguf');
    expect(set.tensors.map((t) => t.name)).toEqual(['output.weight']);
    await expect(openWeights('ollama:tiny', { env })).rejects.toThrow(
      /ollama:tiny: no manifest at .*tiny[\\/]latest; pull it with `ollama pull tiny`/,
    );
    await expect(openWeights('ollama:../../etc', { env })).rejects.toThrow(/not an Ollama model name/);
    expect(parseOllamaName('me/tiny')).toEqual({
      host: 'registry.ollama.ai',
      namespace: 'me',
      model: 'tiny',
      tag: 'latest',
    });
    expect(parseOllamaName('hf.co/org/repo:Q4_K_M')).toEqual({
      host: 'hf.co',
      namespace: 'org',
      model: 'repo',
      tag: 'Q4_K_M',
    });
  });
});
