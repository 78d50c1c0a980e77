// Finds the GGUF blob of an Ollama model on disk through its manifest, with no server running. Layout (Ollama's
// server/modelpath.go): MODELS/manifests/HOST/NAMESPACE/MODEL/TAG is an OCI-style JSON manifest whose layer of
// mediaType application/vnd.ollama.image.model names the weights blob MODELS/blobs/sha256-<hex>.
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { stripBom } from '../core/text-file.js';

export const OLLAMA_MODEL_MEDIA_TYPE = 'application/vnd.ollama.image.model';
const DEFAULT_HOST = 'registry.ollama.ai';
const DEFAULT_NAMESPACE = 'library';
const DEFAULT_TAG = 'latest';
const PART = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export interface OllamaName {
  readonly host: string;
  readonly namespace: string;
  readonly model: string;
  readonly tag: string;
}

/** `NAME[:TAG]`, `NAMESPACE/NAME[:TAG]` or `HOST/NAMESPACE/NAME[:TAG]`, with Ollama's defaults for what is left out. */
export function parseOllamaName(text: string): OllamaName {
  const slash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  const hasTag = colon > slash;
  const tag = hasTag ? text.slice(colon + 1) : DEFAULT_TAG;
  const parts = (hasTag ? text.slice(0, colon) : text).split('/');
  if (parts.length > 3 || parts.some((p) => !PART.test(p)) || !PART.test(tag) || parts.includes('..')) {
    throw new InputError(`ollama:${text}: not an Ollama model name; expected NAME[:TAG], e.g. ollama:llama3.2:1b`);
  }
  const [host, namespace, model] =
    parts.length === 3
      ? (parts as [string, string, string])
      : parts.length === 2
        ? [DEFAULT_HOST, parts[0]!, parts[1]!]
        : [DEFAULT_HOST, DEFAULT_NAMESPACE, parts[0]!];
  return { host, namespace, model, tag };
}

/** Folders where Ollama keeps models: `OLLAMA_MODELS`, else ~/.ollama/models (and the Linux service's home). */
export function ollamaModelsDirs(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string[] {
  if (env.OLLAMA_MODELS) return [env.OLLAMA_MODELS];
  const dirs = [path.join(home, '.ollama', 'models')];
  if (platform === 'linux') dirs.push('/usr/share/ollama/.ollama/models');
  return dirs;
}

export interface OllamaBlob {
  readonly ref: string;
  readonly manifest: string;
  readonly blob: string;
  readonly digest: string;
  readonly size?: number;
}

interface Manifest {
  readonly layers?: readonly { readonly mediaType?: string; readonly digest?: string; readonly size?: number }[];
}

/** Resolve `NAME[:TAG]` (without the `ollama:` prefix) to its GGUF blob path. */
export async function resolveOllamaBlob(
  name: string,
  opts: { env?: NodeJS.ProcessEnv; modelsDirs?: readonly string[] } = {},
): Promise<OllamaBlob> {
  const n = parseOllamaName(name);
  const ref = `ollama:${name}`;
  const dirs = opts.modelsDirs ?? ollamaModelsDirs(opts.env);
  const tried: string[] = [];
  for (const dir of dirs) {
    const manifestFile = path.join(dir, 'manifests', n.host, n.namespace, n.model, n.tag);
    tried.push(manifestFile);
    if (!(await exists(manifestFile))) continue;
    let manifest: Manifest;
    try {
      manifest = JSON.parse(stripBom(await readFile(manifestFile, 'utf8'))) as Manifest;
    } catch (err) {
      throw new InputError(
        `${ref}: manifest ${manifestFile} is not JSON (${(err as Error).message}); re-pull the model`,
      );
    }
    const layer = manifest.layers?.find((l) => l.mediaType === OLLAMA_MODEL_MEDIA_TYPE);
    if (!layer || typeof layer.digest !== 'string')
      throw new InputError(
        `${ref}: manifest ${manifestFile} has no ${OLLAMA_MODEL_MEDIA_TYPE} layer (is it an adapter-only or cloud ` +
          `model?)`,
      );
    const m = /^sha256:([0-9a-f]{64})$/.exec(layer.digest);
    if (!m)
      throw new InputError(
        `${ref}: manifest ${manifestFile} has a model layer with digest "${layer.digest}", expected sha256:<64 hex>`,
      );
    const blob = path.join(dir, 'blobs', `sha256-${m[1]}`);
    if (!(await exists(blob)))
      throw new InputError(
        `${ref}: blob ${blob} named by the manifest is missing; re-pull with \`ollama pull ${name}\``,
      );
    return {
      ref,
      manifest: manifestFile,
      blob,
      digest: layer.digest,
      ...(typeof layer.size === 'number' ? { size: layer.size } : {}),
    };
  }
  throw new InputError(
    `${ref}: no manifest at ${tried.join(' or ')}; pull it with \`ollama pull ${name}\` or set OLLAMA_MODELS to your ` +
      `models folder`,
  );
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
