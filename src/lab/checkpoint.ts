// A lab checkpoint is a safetensors file with GPT-2 tensor names (see config.ts) and the model's lineage in its
// metadata. Written with the genotype area's writer; read with its header reader plus a decode of the values.
import { readFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { readSafetensorsHeader } from '../genotype/safetensors.js';
import { writeSafetensors } from '../genotype/safetensors-write.js';
import { decodeBf16, decodeF16, f16BitsToF32, f32ToF16Bits } from '../genotype/half.js';
import { paramLayout, type ModelConfig } from './config.js';
import type { Model } from './model.js';

export const CHECKPOINT_FORMAT = 'llm-phylo-lab/1';

export interface CheckpointMeta {
  readonly name: string;
  readonly parent: string | null;
  /** Fine-tuning datasets from the base model to this one. */
  readonly lineage: readonly string[];
  /** This node's own datasets (the base model's pre-training mixture). */
  readonly datasets: readonly string[];
  readonly steps: number;
  readonly seed: number;
  /** Final training loss, nats per byte. */
  readonly loss: number;
  /** Held-out bits per byte on every dataset. */
  readonly heldOut: Readonly<Record<string, number>>;
  readonly config: ModelConfig;
  readonly fingerprint: string;
  readonly tokens: number;
  readonly seconds: number;
}

/** Round every parameter to binary16 in place, so that the model in memory is exactly the one on disk. */
export function roundToF16(params: Float32Array): void {
  for (let i = 0; i < params.length; i++) params[i] = f16BitsToF32(f32ToF16Bits(params[i]!));
}

export async function saveCheckpoint(
  file: string,
  model: Model,
  meta: CheckpointMeta,
  dtype: 'F32' | 'F16',
): Promise<void> {
  const tensors = model.layout.tensors.map((t) => ({
    name: t.name,
    dtype,
    shape: [...t.shape],
    data: model.params.subarray(t.offset, t.offset + t.size),
  }));
  await writeSafetensors(file, tensors, {
    format: CHECKPOINT_FORMAT,
    name: meta.name,
    parent: meta.parent ?? '',
    lineage: JSON.stringify(meta.lineage),
    datasets: JSON.stringify(meta.datasets),
    steps: String(meta.steps),
    seed: String(meta.seed),
    loss: String(meta.loss),
    held_out_bpb: JSON.stringify(meta.heldOut),
    config: JSON.stringify(meta.config),
    fingerprint: meta.fingerprint,
    tokens: String(meta.tokens),
    seconds: String(meta.seconds),
    lm_head: 'untied',
  });
}

function metaOf(file: string, m: Readonly<Record<string, string>>): CheckpointMeta {
  if (m.format !== CHECKPOINT_FORMAT)
    throw new InputError(
      `${file}: not a lab checkpoint (metadata format is ${m.format ?? 'missing'}, expected ${CHECKPOINT_FORMAT})`,
    );
  const json = <T>(k: string): T => {
    try {
      return JSON.parse(m[k] ?? '') as T;
    } catch {
      throw new InputError(
        `${file}: lab checkpoint metadata field ${k} is not valid JSON; retrain it with phylo lab train`,
      );
    }
  };
  return {
    name: m.name ?? '',
    parent: m.parent ? m.parent : null,
    lineage: json<string[]>('lineage'),
    datasets: json<string[]>('datasets'),
    steps: Number(m.steps),
    seed: Number(m.seed),
    loss: Number(m.loss),
    heldOut: json<Record<string, number>>('held_out_bpb'),
    config: json<ModelConfig>('config'),
    fingerprint: m.fingerprint ?? '',
    tokens: Number(m.tokens ?? 0),
    seconds: Number(m.seconds ?? 0),
  };
}

/** Only the metadata (no values read). */
export async function readCheckpointMeta(file: string): Promise<CheckpointMeta> {
  const h = await readSafetensorsHeader(file);
  return metaOf(file, h.metadata);
}

export async function loadCheckpoint(file: string): Promise<{ model: Model; meta: CheckpointMeta }> {
  const h = await readSafetensorsHeader(file);
  const meta = metaOf(file, h.metadata);
  const layout = paramLayout(meta.config);
  const params = new Float32Array(layout.total);
  const bytes = new Uint8Array(await readFile(file));
  const byName = new Map(h.tensors.map((t) => [t.name, t]));
  for (const spec of layout.tensors) {
    const t = byName.get(spec.name);
    if (!t) throw new InputError(`${file}: lab checkpoint has no tensor ${spec.name}; retrain it with phylo lab train`);
    if (t.elements !== spec.size)
      throw new InputError(`${file}: tensor ${spec.name} has ${t.elements} values, the config needs ${spec.size}`);
    if (t.dtype === 'F16') decodeF16(bytes, t.offset, t.elements, params, spec.offset);
    else if (t.dtype === 'BF16') decodeBf16(bytes, t.offset, t.elements, params, spec.offset);
    else if (t.dtype === 'F32')
      params.set(
        new Float32Array(bytes.buffer.slice(bytes.byteOffset + t.offset, bytes.byteOffset + t.offset + 4 * t.elements)),
        spec.offset,
      );
    else
      throw new InputError(`${file}: tensor ${spec.name} has dtype ${t.dtype}; lab checkpoints are F32, F16 or BF16`);
  }
  return { model: { layout, params }, meta };
}
