// Provider profiles (providers/*.yaml): a name bound to an adapter kind with its base URL, the NAME of the variable
// holding the key (the key itself is read from the environment only), sampling defaults, prices, limits and
// temperature rules. Validated with zod; errors name the file and the field.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { z } from 'zod';
import { DEFAULTS } from '../core/defaults.js';
import { InputError } from '../core/errors.js';
import { schemaIssueLine } from '../core/schema-issue.js';
import { PROVIDER_KIND_NAMES, PROVIDER_KINDS } from '../core/provider-kinds.js';
import { headersOnlyWhereSent, ProfileHeadersSchema } from './profile-headers.js';
import { DEFAULT_MAX_ANSWER_BYTES } from './cut-answer.js';
import { DEFAULT_MAX_BULK_BYTES } from './bulk-cap.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = z
  .string()
  .regex(ENV_NAME, 'must be the NAME of an environment variable (e.g. OPENAI_API_KEY), not its value');

const Price = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict();

export const ProfileSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, 'use lowercase letters, digits, dash or underscore, starting with a letter'),
    kind: z.enum(PROVIDER_KIND_NAMES),
    description: z.string().optional(),
    /** Base URL (OpenAI-compatible: ends in /v1; Ollama: the host). Absent: `baseURLEnv`, then the SDK default. */
    baseURL: z.url().optional(),
    /**
     * Several hosts serving the same models (a pool: Ollama hosts, vLLM replicas), used instead of one base URL;
     * each gets `rateLimit.maxConcurrency` requests at once. The base-URL variable may also list them, comma-separated.
     */
    hosts: z.array(z.string().min(1)).min(1).optional(),
    /** Variable that may hold the base URL (OPENAI_BASE_URL, ANTHROPIC_BASE_URL, OLLAMA_HOST). */
    baseURLEnv: envName.optional(),
    /** Variable holding the API key. Absent: no key needed (local servers). */
    keyEnv: envName.optional(),
    timeoutMs: z.number().int().positive().default(DEFAULTS.timeoutMs),
    /** The most bytes of one answer read; a longer one is cut there and its sample marked truncated (cut-answer.ts). */
    maxAnswerBytes: z.number().int().positive().default(DEFAULT_MAX_ANSWER_BYTES),
    /** The most bytes of a model listing or an embeddings response read; a longer one is an error (bulk-cap.ts). */
    maxBulkBytes: z.number().int().positive().default(DEFAULT_MAX_BULK_BYTES),
    defaults: z
      .object({
        temperature: z.number().min(0),
        maxTokens: z.number().int().positive(),
        topP: z.number().gt(0).max(1),
        seed: z.number().int(),
      })
      .partial()
      .strict()
      .default({}),
    /** Model pattern (exact id, or a glob with `*`) -> USD per million tokens. */
    prices: z.record(z.string(), Price).default({}),
    rateLimit: z
      .object({
        maxConcurrency: z.number().int().positive().default(DEFAULTS.concurrency),
        requestsPerMinute: z.number().positive().optional(),
        /** Input plus output tokens per minute (estimated before a request, settled with its usage). */
        tokensPerMinute: z.number().positive().optional(),
      })
      .strict()
      .default({ maxConcurrency: DEFAULTS.concurrency }),
    temperature: z
      .object({
        default: z.number().min(0).default(1),
        max: z.number().min(0).default(2),
        /** Regexes of model ids that accept only the default temperature. */
        defaultOnly: z.array(z.string()).default([]),
      })
      .strict()
      .default({ default: 1, max: 2, defaultOnly: [] }),
    /** Vendor batch APIs (`phylo run --batch`): the price factor of a batch and the most requests per batch. */
    batch: z
      .object({
        priceFactor: z.number().positive().max(1).default(0.5),
        maxRequests: z.number().int().positive().optional(),
      })
      .strict()
      .default({ priceFactor: 0.5 }),
    /** OpenAI's reasoning models want max_completion_tokens; most compatible servers want max_tokens. */
    maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
    /** Override the kind's capability flags (e.g. rawCompletion: false for a chat-only compatible server). */
    capabilities: z
      .object({
        chat: z.boolean(),
        rawCompletion: z.boolean(),
        logprobs: z.boolean(),
        seed: z.boolean(),
        modelListing: z.boolean(),
        embeddings: z.boolean(),
      })
      .partial()
      .strict()
      .default({}),
    /** Extra headers on every request; a credential header names its variable: `api-key: { env: NAME }`. */
    headers: ProfileHeadersSchema,
    /** Variables holding the OpenAI organization and project ids (openai kind; the SDK sends them as headers). */
    organizationEnv: envName.optional(),
    projectEnv: envName.optional(),
  })
  .strict();

export type Profile = z.output<typeof ProfileSchema> & { readonly file?: string };
export type ProfileKind = Profile['kind'];

/** Fields that would put a secret in a file: refused with a pointer to keyEnv. */
const SECRET_FIELDS = ['apiKey', 'api_key', 'key', 'token', 'secret', 'password'];

const unknownProfileField = (keys: readonly string[]): string =>
  `unknown field${keys.length > 1 ? `s ${keys.join(', ')}` : ''}; ` +
  'see providers/openai.yaml for the fields a profile has';

/** Validate one profile object; `file` is for error messages. */
export function parseProfile(raw: unknown, file: string): Profile {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const f of SECRET_FIELDS) {
      if (f in raw)
        throw new InputError(
          `${file}: field "${f}": keys are never read from files; set an environment variable and name it in keyEnv`,
        );
    }
  }
  const parsed = ProfileSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(schemaIssueLine(file, parsed.error.issues, unknownProfileField));
  const profile = parsed.data;
  const unsent = headersOnlyWhereSent(profile);
  if (unsent)
    throw new InputError(
      `${file}: field "${unsent}": only profiles of kind openai send it (this one is ${profile.kind})`,
    );
  profile.temperature.defaultOnly.forEach((pattern, i) => {
    try {
      new RegExp(pattern);
    } catch {
      throw new InputError(`${file}: field "temperature.defaultOnly.${i}": not a valid regular expression: ${pattern}`);
    }
  });
  return { ...profile, file };
}

/** Read every *.yaml / *.yml profile in a folder, by name. */
export function loadProfiles(dir: string): Map<string, Profile> {
  if (!fs.existsSync(dir))
    throw new InputError(`profiles folder ${dir} does not exist; create it or point PHYLO_PROFILES at providers/`);
  const profiles = new Map<string, Profile>();
  for (const entry of fs.readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(entry)) continue;
    const file = path.join(dir, entry);
    let raw: unknown;
    try {
      raw = YAML.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new InputError(
        `${file}: not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      );
    }
    const profile = parseProfile(raw, file);
    const clash = profiles.get(profile.name);
    if (clash)
      throw new InputError(
        `${file}: field "name": profile ${profile.name} is also defined in ${clash.file}; names must be unique`,
      );
    profiles.set(profile.name, profile);
  }
  return profiles;
}

/** The repo's providers/ folder (two levels above this module in src/ and in dist/), or $PHYLO_PROFILES. */
export function profilesDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PHYLO_PROFILES
    ? path.resolve(env.PHYLO_PROFILES)
    : fileURLToPath(new URL('../../providers/', import.meta.url));
}

/** The profile a bare kind prefix gets when no file defines it (e.g. `lab:`). */
export function implicitProfile(kind: ProfileKind): Profile {
  return parseProfile(
    { name: kind, kind, keyEnv: PROVIDER_KINDS[kind].keyEnv, baseURLEnv: PROVIDER_KINDS[kind].baseURLEnv },
    `(built-in ${kind} profile)`,
  );
}

/** Glob (`*` only) to an anchored regex. */
function globRegex(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Price per million tokens of a model: the exact entry, else the most specific (longest) matching pattern, else 0. */
export function priceFor(
  profile: Pick<Profile, 'prices'>,
  model: string,
): { inputPerMTok: number; outputPerMTok: number } {
  const exact = profile.prices[model];
  if (exact) return { inputPerMTok: exact.input, outputPerMTok: exact.output };
  let best: { pattern: string; price: { input: number; output: number } } | undefined;
  for (const [pattern, price] of Object.entries(profile.prices)) {
    if (!pattern.includes('*') || !globRegex(pattern).test(model)) continue;
    if (!best || pattern.replace(/\*/g, '').length > best.pattern.replace(/\*/g, '').length) best = { pattern, price };
  }
  return best
    ? { inputPerMTok: best.price.input, outputPerMTok: best.price.output }
    : { inputPerMTok: 0, outputPerMTok: 0 };
}

/** The base URL a profile resolves to in an environment, or undefined for the SDK's default. */
export function profileBaseURL(profile: Profile, env: NodeJS.ProcessEnv): string | undefined {
  if (profile.baseURL) return profile.baseURL;
  const fromEnv = profile.baseURLEnv ? env[profile.baseURLEnv]?.trim() : undefined;
  return fromEnv ? fromEnv : undefined;
}
