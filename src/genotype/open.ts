// Turns what the user typed (a file, a folder, `ollama:NAME[:TAG]`) into a WeightSet, reading headers only.
import { open as openFile, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { readGguf } from './gguf.js';
import { resolveOllamaBlob } from './ollama.js';
import { readSafetensors, readSafetensorsHeader, readShardedSafetensors } from './safetensors.js';
import type { TensorInfo, WeightSet } from './tensor.js';

export interface OpenOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Override the Ollama models folders (tests). */
  readonly ollamaModelsDirs?: readonly string[];
}

export async function openWeights(model: string, opts: OpenOptions = {}): Promise<WeightSet> {
  if (model.startsWith('ollama:')) {
    const blob = await resolveOllamaBlob(model.slice('ollama:'.length), {
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.ollamaModelsDirs ? { modelsDirs: opts.ollamaModelsDirs } : {}),
    });
    return readGguf(blob.blob, model);
  }
  let info: Stats;
  try {
    info = await stat(model);
  } catch {
    throw new InputError(
      `${model}: no such file or folder (give a .safetensors or .gguf file, a model folder, or ollama:NAME)`,
    );
  }
  if (info.isDirectory()) return openFolder(model);
  if (model.endsWith('.index.json')) return readShardedSafetensors(model, model);
  // The magic decides; a .gguf name without it still goes to the GGUF reader, whose error names the wrong magic.
  return model.endsWith('.gguf') || (await isGguf(model)) ? readGguf(model, model) : readSafetensors(model, model);
}

async function openFolder(dir: string): Promise<WeightSet> {
  const names = (await readdir(dir)).sort();
  const index = names.includes('model.safetensors.index.json')
    ? 'model.safetensors.index.json'
    : names.find((n) => n.endsWith('.safetensors.index.json'));
  if (index) return readShardedSafetensors(path.join(dir, index), dir);
  const st = names.filter((n) => n.endsWith('.safetensors'));
  if (st.length === 1) return readSafetensors(path.join(dir, st[0]!), dir);
  if (st.length > 1) {
    // Shards without an index: their union is the model, as long as no tensor appears twice.
    const tensors = new Map<string, TensorInfo>();
    const metadata: Record<string, unknown> = {};
    for (const n of st) {
      const h = await readSafetensorsHeader(path.join(dir, n));
      Object.assign(metadata, h.metadata);
      for (const t of h.tensors) {
        if (tensors.has(t.name))
          throw new InputError(
            `${dir}: tensor ${t.name} is in both ${path.basename(tensors.get(t.name)!.file)} and ${n}, so they are ` +
              `separate models: name the files (e.g. ${path.join(dir, '*.safetensors')}) or add a ` +
              `model.safetensors.index.json`,
          );
        tensors.set(t.name, t);
      }
    }
    return {
      source: dir,
      format: 'safetensors',
      files: st.map((n) => path.join(dir, n)),
      tensors: [...tensors.values()],
      metadata,
    };
  }
  const gguf = names.filter((n) => n.endsWith('.gguf'));
  if (gguf.length === 1) return readGguf(path.join(dir, gguf[0]!), dir);
  if (gguf.length > 1)
    throw new InputError(`${dir}: ${gguf.length} .gguf files (${gguf.join(', ')}); name the one to read`);
  throw new InputError(`${dir}: no .safetensors or .gguf file in this folder`);
}

async function isGguf(file: string): Promise<boolean> {
  const h = await openFile(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await h.read(b, 0, 4, 0);
    return bytesRead === 4 && b.toString('latin1') === 'GGUF';
  } finally {
    await h.close();
  }
}

/** A short label for a model: the ollama ref, or the file / folder name (the parent folder for generic file names). */
export function modelLabel(model: string): string {
  if (model.startsWith('ollama:')) return model;
  const clean = model.replace(/[\\/]+$/, '');
  const base = path.basename(clean);
  if (
    /^(model|pytorch_model|consolidated)(-\d+-of-\d+)?\.(safetensors|gguf)$/.test(base) ||
    base.endsWith('.index.json')
  ) {
    return path.basename(path.dirname(path.resolve(clean)));
  }
  return base.replace(/\.(safetensors|gguf)$/, '');
}
