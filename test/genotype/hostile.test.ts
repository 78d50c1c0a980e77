// Hostile weight files in-process (the CLI-level corpus is test/hostile/): each limit refuses with an InputError
// naming the file, and a file just inside the limit still reads.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { compareModels } from '../../src/genotype/compare.js';
import { MAX_GGUF_ARRAY_DEPTH, parseGgufHeader } from '../../src/genotype/gguf.js';
import { MAX_SAFETENSORS_TENSORS, readSafetensorsHeader } from '../../src/genotype/safetensors.js';
import { writeSafetensors } from '../../src/genotype/safetensors-write.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-hostile-weights-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** GGUF v3, no tensors, one key holding `depth` nested one-item arrays around an empty UINT8 array. */
function nestedGguf(depth: number): Uint8Array {
  const parts: Buffer[] = [];
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    parts.push(b);
  };
  const u64 = (v: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(v);
    parts.push(b);
  };
  parts.push(Buffer.from('GGUF', 'latin1'));
  u32(3);
  u64(0n);
  u64(1n);
  u64(1n);
  parts.push(Buffer.from('k', 'latin1'));
  u32(9);
  for (let i = 0; i < depth; i++) {
    u32(9);
    u64(1n);
  }
  u32(0);
  u64(0n);
  parts.push(Buffer.alloc(32));
  return Buffer.concat(parts);
}

describe('GGUF metadata nesting', () => {
  it('reads arrays nested up to the limit and refuses deeper ones without overflowing the stack', () => {
    const ok = nestedGguf(MAX_GGUF_ARRAY_DEPTH - 1);
    expect(parseGgufHeader('ok.gguf', ok, ok.length).metadata.k).toBeDefined();
    for (const depth of [MAX_GGUF_ARRAY_DEPTH, 100_000]) {
      const bad = nestedGguf(depth);
      expect(() => parseGgufHeader('deep.gguf', bad, bad.length)).toThrow(InputError);
      expect(() => parseGgufHeader('deep.gguf', bad, bad.length)).toThrow(/deep\.gguf: .*arrays nested more than 8/);
    }
  });
});

describe('safetensors tensor count', () => {
  it('counts entries before parsing the header and refuses more than the limit', async () => {
    const entry = (i: number) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;
    const write = (count: number, name: string) => {
      const json = Buffer.from(
        `{"__metadata__":{"a":"b"},${Array.from({ length: count }, (_, i) => entry(i)).join(',')}}`,
      );
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      const file = path.join(dir, name);
      fs.writeFileSync(file, Buffer.concat([len, json]));
      return file;
    };
    expect((await readSafetensorsHeader(write(1000, 'ok.safetensors'))).tensors).toHaveLength(1000);
    await expect(readSafetensorsHeader(write(MAX_SAFETENSORS_TENSORS + 1, 'many.safetensors'))).rejects.toThrow(
      /many\.safetensors: .*declares 200001 tensors, above the limit of 200000 per file/,
    );
  });
});

describe('non-finite weights', () => {
  it('names the model, tensor and first element, in whichever model holds them', async () => {
    const values = Float32Array.from({ length: 4096 }, (_, i) => Math.cos(i));
    const poisoned = Float32Array.from(values);
    poisoned[3000] = Number.NEGATIVE_INFINITY;
    const a = path.join(dir, 'a.safetensors');
    const b = path.join(dir, 'b.safetensors');
    await writeSafetensors(a, [{ name: 'output.weight', dtype: 'F16', shape: [64, 64], data: values }]);
    await writeSafetensors(b, [{ name: 'output.weight', dtype: 'F16', shape: [64, 64], data: poisoned }]);
    await expect(compareModels([a, b], { windowElements: 1024 })).rejects.toThrow(
      /genotype: b: tensor output\.weight \(F16\) holds 1 NaN or infinite values \(first at element 3000\)/,
    );
    // --layers leaves the damaged tensor out, as the message suggests.
    await expect(compareModels([a, b], { layers: /^blk\./ })).resolves.toBeDefined();
  });
});
