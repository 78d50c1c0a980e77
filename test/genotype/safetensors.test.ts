import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../../src/genotype/half.js';
import { readSafetensors, readSafetensorsHeader, readShardedSafetensors } from '../../src/genotype/safetensors.js';
import { writeSafetensors } from '../../src/genotype/safetensors-write.js';
import { TensorReader } from '../../src/genotype/tensor-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'phylo-st-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ramp(n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.fround(Math.sin(i * 0.37 + 1) * scale);
  return a;
}

/** A safetensors file from raw parts, for malformed-file tests. */
async function rawFile(name: string, header: unknown, dataBytes: number, lengthOverride?: bigint): Promise<string> {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(lengthOverride ?? BigInt(json.length));
  const file = path.join(dir, name);
  await writeFile(file, Buffer.concat([head, json, Buffer.alloc(dataBytes)]));
  return file;
}

describe('half precision', () => {
  it('round-trips every finite F16 value and rounds to nearest even', () => {
    for (let h = 0; h < 0x7c00; h += 7) {
      expect(f32ToF16Bits(f16BitsToF32(h))).toBe(h);
      expect(f32ToF16Bits(-f16BitsToF32(h))).toBe(h | 0x8000);
    }
    // 1 + 2^-11 lies exactly between 1 and 1 + 2^-10: ties to even gives 1.
    expect(f16BitsToF32(f32ToF16Bits(1 + 2 ** -11))).toBe(1);
    expect(f16BitsToF32(f32ToF16Bits(1 + 3 * 2 ** -11))).toBe(1 + 2 * 2 ** -10);
    expect(f16BitsToF32(f32ToF16Bits(2 ** -24))).toBe(2 ** -24);
    expect(f16BitsToF32(f32ToF16Bits(1e6))).toBe(Infinity);
  });
  it('round-trips BF16 and rounds to nearest even', () => {
    for (const v of [0, 1, -2.5, 3.140625, 2 ** -100, -3 * 2 ** 70])
      expect(bf16BitsToF32(f32ToBf16Bits(v))).toBe(Math.fround(v));
    expect(bf16BitsToF32(f32ToBf16Bits(1 + 2 ** -8))).toBe(1);
    expect(Number.isNaN(bf16BitsToF32(f32ToBf16Bits(NaN)))).toBe(true);
  });
});

describe('writeSafetensors / readSafetensors', () => {
  it('writes a file that reads back exactly, with metadata and an 8-byte aligned header', async () => {
    const file = path.join(dir, 'model.safetensors');
    const a = ramp(6 * 5);
    const b = ramp(7, 3);
    const c = ramp(1000, 0.01);
    await writeSafetensors(
      file,
      [
        { name: 'h.0.attn.c_attn.weight', dtype: 'F32', shape: [6, 5], data: a },
        { name: 'h.0.ln_1.weight', dtype: 'F16', shape: [7], data: b },
        { name: 'wte.weight', dtype: 'BF16', shape: [10, 100], data: c },
      ],
      { format: 'pt', lineage: 'base' },
    );
    const bytes = await readFile(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect(headerLength % 8).toBe(0);
    const set = await readSafetensors(file);
    expect(set.metadata).toEqual({ format: 'pt', lineage: 'base' });
    expect(set.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([
      ['h.0.attn.c_attn.weight', 'F32', [6, 5]],
      ['h.0.ln_1.weight', 'F16', [7]],
      ['wte.weight', 'BF16', [10, 100]],
    ]);
    const reader = new TensorReader();
    try {
      expect(Array.from(await reader.readTensor(set.tensors[0]!))).toEqual(Array.from(a));
      const bBack = await reader.readTensor(set.tensors[1]!);
      expect(Array.from(bBack)).toEqual(Array.from(b, (v) => f16BitsToF32(f32ToF16Bits(v))));
      const cBack = await reader.readTensor(set.tensors[2]!);
      expect(Array.from(cBack)).toEqual(Array.from(c, (v) => bf16BitsToF32(f32ToBf16Bits(v))));
      // A window in the middle reads the same values as the whole tensor.
      const window = new Float32Array(300);
      await reader.readWindow(set.tensors[2]!, 256, 300, window);
      expect(Array.from(window)).toEqual(Array.from(cBack.subarray(256, 556)));
    } finally {
      await reader.close();
    }
  });

  it('values exactly representable in 16 bits read back unchanged', async () => {
    const file = path.join(dir, 'exact16.safetensors');
    const exact = Float32Array.from([0, 1, -1, 0.5, 0.25, -2, 1024, 0.125, 3]);
    await writeSafetensors(file, [
      { name: 'x', dtype: 'F16', shape: [9], data: exact },
      { name: 'y', dtype: 'BF16', shape: [3, 3], data: exact },
    ]);
    const set = await readSafetensors(file);
    const reader = new TensorReader();
    try {
      for (const t of set.tensors) expect(Array.from(await reader.readTensor(t))).toEqual(Array.from(exact));
    } finally {
      await reader.close();
    }
  });

  it('refuses a shape that does not match the data', async () => {
    await expect(
      writeSafetensors(path.join(dir, 'bad.safetensors'), [
        { name: 'x', dtype: 'F32', shape: [3, 3], data: new Float32Array(8) },
      ]),
    ).rejects.toThrow(/x has shape \[3, 3\]/);
  });

  it('reads a sharded set through model.safetensors.index.json', async () => {
    const shardDir = path.join(dir, 'sharded');
    await (await import('node:fs/promises')).mkdir(shardDir);
    const q = ramp(64);
    const k = ramp(64, 2);
    const e = ramp(32, 5);
    await writeSafetensors(path.join(shardDir, 'model-00001-of-00002.safetensors'), [
      { name: 'model.embed_tokens.weight', dtype: 'F32', shape: [4, 8], data: e },
      { name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'F32', shape: [8, 8], data: q },
    ]);
    await writeSafetensors(path.join(shardDir, 'model-00002-of-00002.safetensors'), [
      { name: 'model.layers.0.self_attn.k_proj.weight', dtype: 'BF16', shape: [8, 8], data: k },
    ]);
    const index = {
      metadata: { total_size: 32 * 4 + 64 * 4 + 64 * 2 },
      weight_map: {
        'model.embed_tokens.weight': 'model-00001-of-00002.safetensors',
        'model.layers.0.self_attn.q_proj.weight': 'model-00001-of-00002.safetensors',
        'model.layers.0.self_attn.k_proj.weight': 'model-00002-of-00002.safetensors',
      },
    };
    const indexFile = path.join(shardDir, 'model.safetensors.index.json');
    await writeFile(indexFile, JSON.stringify(index));
    const set = await readShardedSafetensors(indexFile);
    expect(set.files).toHaveLength(2);
    expect(set.tensors.map((t) => t.name).sort()).toEqual(Object.keys(index.weight_map).sort());
    const reader = new TensorReader();
    try {
      const byName = new Map(set.tensors.map((t) => [t.name, t]));
      expect(Array.from(await reader.readTensor(byName.get('model.layers.0.self_attn.q_proj.weight')!))).toEqual(
        Array.from(q),
      );
      expect(Array.from(await reader.readTensor(byName.get('model.embed_tokens.weight')!))).toEqual(Array.from(e));
      expect(Array.from(await reader.readTensor(byName.get('model.layers.0.self_attn.k_proj.weight')!))).toEqual(
        Array.from(k, (v) => bf16BitsToF32(f32ToBf16Bits(v))),
      );
    } finally {
      await reader.close();
    }
    // An index saved with a byte-order mark (Windows editors) reads the same.
    await writeFile(indexFile, `\uFEFF${JSON.stringify(index)}`);
    expect((await readShardedSafetensors(indexFile)).tensors).toHaveLength(3);
    // A weight_map entry that points at the wrong shard is an error naming the index and the tensor.
    await writeFile(
      indexFile,
      JSON.stringify({
        weight_map: { ...index.weight_map, 'model.embed_tokens.weight': 'model-00002-of-00002.safetensors' },
      }),
    );
    await expect(readShardedSafetensors(indexFile)).rejects.toThrow(
      /index\.json: weight_map puts model\.embed_tokens\.weight in model-00002/,
    );
    await writeFile(
      indexFile,
      JSON.stringify({ weight_map: { ...index.weight_map, extra: 'model-00003-of-00003.safetensors' } }),
    );
    await expect(readShardedSafetensors(indexFile)).rejects.toThrow(
      /shard model-00003-of-00003\.safetensors is missing/,
    );
  });
});

describe('malformed safetensors files', () => {
  const entry = (begin: number, end: number, dtype = 'F32', shape = [(end - begin) / 4]) => ({
    dtype,
    shape,
    data_offsets: [begin, end],
  });

  it('a truncated file names the file and the tensor that runs past the end', async () => {
    const good = path.join(dir, 'trunc-src.safetensors');
    await writeSafetensors(good, [{ name: 'a', dtype: 'F32', shape: [100], data: ramp(100) }]);
    const bytes = await readFile(good);
    const cut = path.join(dir, 'trunc.safetensors');
    await writeFile(cut, bytes.subarray(0, bytes.length - 10));
    const err = await readSafetensorsHeader(cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/trunc\.safetensors: .*tensor a: .*past the end of the data/);
    const tiny = path.join(dir, 'tiny.safetensors');
    await writeFile(tiny, Buffer.from([1, 2, 3]));
    await expect(readSafetensorsHeader(tiny)).rejects.toThrow(/tiny\.safetensors: .*shorter than the 8-byte header/);
  });

  it('a header length past the end of the file', async () => {
    const file = await rawFile('hlen.safetensors', { a: entry(0, 16) }, 16, 1_000_000n);
    await expect(readSafetensorsHeader(file)).rejects.toThrow(
      /hlen\.safetensors: .*header length 1000000 runs past the end/,
    );
  });

  it('offsets outside the data, overlapping, or not matching the shape', async () => {
    const outside = await rawFile('outside.safetensors', { a: entry(0, 16), b: entry(16, 48) }, 32);
    await expect(readSafetensorsHeader(outside)).rejects.toThrow(
      /outside\.safetensors: .*tensor b: data_offsets \[16, 48\] run past the end/,
    );
    const overlap = await rawFile('overlap.safetensors', { a: entry(0, 16), b: entry(8, 24) }, 32);
    await expect(readSafetensorsHeader(overlap)).rejects.toThrow(
      /overlap\.safetensors: .*tensors a \[0, 16\) and b \[8, 24\) overlap/,
    );
    const mismatch = await rawFile(
      'mismatch.safetensors',
      { a: { dtype: 'F32', shape: [5], data_offsets: [0, 16] } },
      16,
    );
    await expect(readSafetensorsHeader(mismatch)).rejects.toThrow(
      /mismatch\.safetensors: .*tensor a: .*hold 16 bytes but F32\[5\] needs 20/,
    );
    const notJson = await rawFile('notjson.safetensors', '{"a": ', 0);
    await expect(readSafetensorsHeader(notJson)).rejects.toThrow(/notjson\.safetensors: .*header is not JSON/);
  });

  it('an unknown dtype is refused at open; a known but unreadable dtype when its values are read', async () => {
    const unknown = await rawFile('unknown.safetensors', { a: { dtype: 'Q9', shape: [4], data_offsets: [0, 4] } }, 4);
    await expect(readSafetensorsHeader(unknown)).rejects.toThrow(
      /unknown\.safetensors: .*tensor a: unknown dtype "Q9"/,
    );
    const ints = await rawFile('ints.safetensors', { counts: { dtype: 'I8', shape: [4], data_offsets: [0, 4] } }, 4);
    const set = await readSafetensors(ints);
    expect(set.tensors[0]!.dtype).toBe('I8');
    const reader = new TensorReader();
    try {
      await expect(reader.readTensor(set.tensors[0]!)).rejects.toThrow(
        /ints\.safetensors: tensor counts has dtype I8, which llm-phylo cannot read as float/,
      );
    } finally {
      await reader.close();
    }
  });
});
