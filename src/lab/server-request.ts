// Request parsing and replies shared by the lab server's OpenAI and Ollama routes: JSON body, typed fields, errors
// that carry an HTTP status.
import type http from 'node:http';
import type { ChatMessage } from '../core/types.js';
import type { ZooModels } from './provider.js';

/** What a route handler needs from the server: the zoo and the provenance it reports. */
export interface LabRouteContext {
  readonly zoo: ZooModels;
  /** The zoo's checkpoints, as system_fingerprint and as the Ollama digest. */
  readonly fingerprint: string;
  /** A fresh number for the next response id. */
  nextId(): number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 1_000_000;
export const MAX_TOKENS_CAP = 4096;

export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large');
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'request body is not a JSON object');
  }
}

export const num = (v: unknown, field: string, fallback?: number): number | undefined => {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new HttpError(400, `${field} must be a number`);
  return v;
};

export function stops(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw new HttpError(400, 'stop must be a string or an array of strings');
}

export function messagesOf(v: unknown): ChatMessage[] {
  if (!Array.isArray(v) || v.length === 0) throw new HttpError(400, 'messages must be a non-empty array');
  return v.map((m, i) => {
    const o = m as { role?: unknown; content?: unknown };
    if (typeof o?.content !== 'string') throw new HttpError(400, `messages[${i}].content must be a string`);
    const role = o.role === 'system' || o.role === 'assistant' ? o.role : 'user';
    return { role, content: o.content };
  });
}

export function modelName(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new HttpError(400, 'model is required');
  // Ollama clients say NAME:latest; the zoo's names have no tag.
  return v.replace(/:latest$/, '');
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export const bytesOf = (s: string): number[] => [...Buffer.from(s, 'utf8')];
