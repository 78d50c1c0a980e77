// Reads safetensors headers (huggingface/safetensors format: u64 LE header length N, N bytes of JSON, then a data
// buffer indexed by [begin, end) offsets) and validates them before any value is read.
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { stripBom } from '../core/text-file.js';
import { product, type TensorInfo, type WeightSet } from './tensor.js';

/** Every dtype the format defines, with its size in bytes (F8/F4 variants included so valid files open). */
export const SAFETENSORS_DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** The reference implementation refuses headers above 100 MB; so do we (a corrupt length would otherwise allocate). */
const MAX_HEADER_BYTES = 100_000_000;
/**
 * Tensors one file may declare. Real checkpoints hold hundreds to a few tens of thousands per file; JSON.parse of a
 * header of a million costs over 1 GB, so objects are counted in the raw bytes before the header is parsed.
 */
export const MAX_SAFETENSORS_TENSORS = 200_000;

/** JSON objects in a header, at most: every `{` byte (an escape cannot hide one); each tensor entry is one object. */
function countObjects(buf: Buffer): number {
  let count = 0;
  for (let at = buf.indexOf(0x7b); at >= 0; at = buf.indexOf(0x7b, at + 1)) count++;
  return count;
}

export interface SafetensorsFile {
  readonly file: string;
  readonly tensors: readonly TensorInfo[];
  readonly metadata: Readonly<Record<string, string>>;
}

export async function readSafetensorsHeader(file: string): Promise<SafetensorsFile> {
  const size = (await stat(file)).size;
  const bad = (problem: string): InputError => new InputError(`${file}: not a valid safetensors file: ${problem}`);
  if (size < 8) throw bad(`file is ${size} bytes, shorter than the 8-byte header length (truncated?)`);
  const handle = await open(file, 'r');
  let json: string;
  let headerLength: number;
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    const n = head.readBigUInt64LE(0);
    if (n > BigInt(size - 8))
      throw bad(`header length ${n} runs past the end of the file (${size} bytes; truncated or not safetensors)`);
    if (n > BigInt(MAX_HEADER_BYTES)) throw bad(`header length ${n} is above the 100 MB limit`);
    headerLength = Number(n);
    const buf = Buffer.alloc(headerLength);
    const { bytesRead } = await handle.read(buf, 0, headerLength, 8);
    if (bytesRead !== headerLength) throw bad(`header cut short at ${bytesRead} of ${headerLength} bytes`);
    // Less the header object itself and __metadata__.
    const entries = countObjects(buf) - 1 - (buf.includes('"__metadata__"') ? 1 : 0);
    if (entries > MAX_SAFETENSORS_TENSORS)
      throw bad(`header declares ${entries} tensors, above the limit of ${MAX_SAFETENSORS_TENSORS} per file`);
    json = buf.toString('utf8');
  } finally {
    await handle.close();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw bad(`header is not JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad('header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataSize = size - dataStart;
  const metadata: Record<string, string> = {};
  const spans: { name: string; begin: number; end: number }[] = [];
  const tensors: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
        throw bad('__metadata__ is not an object of strings');
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') throw bad(`__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== 'object') throw bad(`tensor ${name}: entry is not an object`);
    if (typeof e.dtype !== 'string') throw bad(`tensor ${name}: missing dtype`);
    const width = SAFETENSORS_DTYPE_BYTES[e.dtype];
    if (width === undefined)
      throw bad(
        `tensor ${name}: unknown dtype ${JSON.stringify(e.dtype)} (the format defines ` +
          `${Object.keys(SAFETENSORS_DTYPE_BYTES).join(', ')})`,
      );
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw bad(`tensor ${name}: shape must be an array of non-negative integers`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw bad(`tensor ${name}: data_offsets must be [begin, end] byte offsets`);
    }
    const [begin, end] = offsets as [number, number];
    const shape = e.shape as number[];
    const elements = product(shape);
    if (end < begin) throw bad(`tensor ${name}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end - begin !== elements * width) {
      throw bad(
        `tensor ${name}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes but ` +
          `${e.dtype}[${shape.join(', ')}] needs ${elements * width}`,
      );
    }
    if (end > dataSize)
      throw bad(
        `tensor ${name}: data_offsets [${begin}, ${end}] run past the end of the data (${dataSize} bytes; file ` +
          `truncated?)`,
      );
    spans.push({ name, begin, end });
    tensors.push({ name, dtype: e.dtype, shape, elements, bytes: end - begin, file, offset: dataStart + begin });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1]!;
    const cur = spans[i]!;
    if (cur.begin < prev.end && cur.end > cur.begin && prev.end > prev.begin) {
      throw bad(`tensors ${prev.name} [${prev.begin}, ${prev.end}) and ${cur.name} [${cur.begin}, ${cur.end}) overlap`);
    }
  }
  return { file, tensors, metadata };
}

interface ShardIndex {
  readonly metadata?: Record<string, unknown>;
  readonly weight_map: Record<string, string>;
}

/** A sharded set: `model.safetensors.index.json` maps each tensor name to the shard file that holds it. */
export async function readShardedSafetensors(indexFile: string, source = indexFile): Promise<WeightSet> {
  let index: ShardIndex;
  try {
    index = JSON.parse(stripBom(await readFile(indexFile, 'utf8'))) as ShardIndex;
  } catch (err) {
    throw new InputError(`${indexFile}: cannot read the shard index (${(err as Error).message})`);
  }
  if (!index || typeof index.weight_map !== 'object' || index.weight_map === null) {
    throw new InputError(`${indexFile}: no "weight_map" object; expected a model.safetensors.index.json`);
  }
  const dir = path.dirname(indexFile);
  const shardNames = [...new Set(Object.values(index.weight_map))];
  const byName = new Map<string, TensorInfo>();
  const files: string[] = [];
  const metadata: Record<string, unknown> = {};
  for (const shard of shardNames) {
    if (typeof shard !== 'string' || shard.includes('..') || path.isAbsolute(shard))
      throw new InputError(`${indexFile}: shard "${String(shard)}" must be a file name beside the index`);
    const file = path.join(dir, shard);
    let header: SafetensorsFile;
    try {
      header = await readSafetensorsHeader(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new InputError(`${indexFile}: shard ${shard} is missing (download it or fix weight_map)`);
      throw err;
    }
    files.push(file);
    Object.assign(metadata, header.metadata);
    for (const t of header.tensors) {
      if (byName.has(t.name))
        throw new InputError(
          `${indexFile}: tensor ${t.name} appears in two shards (${path.basename(byName.get(t.name)!.file)} and ` +
            `${shard})`,
        );
      byName.set(t.name, t);
    }
  }
  for (const [name, shard] of Object.entries(index.weight_map)) {
    const t = byName.get(name);
    if (!t) throw new InputError(`${indexFile}: weight_map puts ${name} in ${shard} but that shard has no such tensor`);
    if (path.basename(t.file) !== shard)
      throw new InputError(`${indexFile}: weight_map puts ${name} in ${shard} but it is in ${path.basename(t.file)}`);
  }
  return { source, format: 'safetensors', files, tensors: [...byName.values()], metadata };
}

export async function readSafetensors(file: string, source = file): Promise<WeightSet> {
  const h = await readSafetensorsHeader(file);
  return { source, format: 'safetensors', files: [file], tensors: h.tensors, metadata: h.metadata };
}
