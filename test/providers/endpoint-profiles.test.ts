// The shipped endpoint profiles (providers/*.yaml) through the real OpenAI adapter and SDK against our OpenAI wire
// server, served at the path each vendor uses: the request reaches that path with that vendor's headers, the
// profile's capabilities hold, and no key is ever written in a profile file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { providerRegistry } from '../../src/commands/providers-setup.js';
import { loadProfiles, parseProfile, type Profile } from '../../src/providers/profile.js';
import { openAIAccount, resolveHeaders } from '../../src/providers/profile-headers.js';
import { startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { KEY, call, sampling } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROFILES = path.resolve(here, '../../providers');
const profiles = loadProfiles(PROFILES);

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Endpoint {
  readonly name: string;
  /** The API path of the real endpoint. */
  readonly apiPath: string;
  readonly env: NodeJS.ProcessEnv;
  /** Headers the request must carry (lowercase names). */
  readonly headers: Readonly<Record<string, string>>;
  /** Headers it must not carry. */
  readonly absent?: readonly string[];
  readonly baseURLEnv?: string;
}

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'openrouter',
    apiPath: '/api/v1',
    env: { OPENROUTER_API_KEY: KEY },
    headers: { authorization: `Bearer ${KEY}`, 'http-referer': 'https://github.com/llm-phylo', 'x-title': 'llm-phylo' },
  },
  { name: 'groq', apiPath: '/openai/v1', env: { GROQ_API_KEY: KEY }, headers: { authorization: `Bearer ${KEY}` } },
  {
    name: 'gemini',
    apiPath: '/v1beta/openai',
    env: { GEMINI_API_KEY: KEY },
    headers: { authorization: `Bearer ${KEY}` },
  },
  {
    name: 'azure',
    apiPath: '/openai/v1',
    env: { AZURE_OPENAI_API_KEY: KEY },
    baseURLEnv: 'AZURE_OPENAI_BASE_URL',
    headers: { 'api-key': KEY, authorization: `Bearer ${KEY}` },
  },
  { name: 'vllm', apiPath: '/v1', env: {}, headers: { authorization: 'Bearer no-key-needed' } },
  { name: 'lmstudio', apiPath: '/v1', env: {}, headers: { authorization: 'Bearer no-key-needed' } },
  {
    name: 'openai',
    apiPath: '/v1',
    env: { OPENAI_API_KEY: KEY, OPENAI_ORG_ID: 'org-phylo', OPENAI_PROJECT_ID: 'proj_phylo' },
    baseURLEnv: 'OPENAI_BASE_URL',
    headers: { 'openai-organization': 'org-phylo', 'openai-project': 'proj_phylo' },
  },
  {
    name: 'together',
    apiPath: '/v1',
    // The org and project of OpenAI are not sent to another vendor, even when set.
    env: { TOGETHER_API_KEY: KEY, OPENAI_ORG_ID: 'org-phylo', OPENAI_PROJECT_ID: 'proj_phylo' },
    headers: { authorization: `Bearer ${KEY}` },
    absent: ['openai-organization', 'openai-project', 'api-key'],
  },
];

/** The profile as shipped, pointed at the local server (same path) through its base URL or its base-URL variable. */
function localProfile(e: Endpoint, origin: string): { profile: Profile; env: NodeJS.ProcessEnv } {
  const shipped = profiles.get(e.name);
  if (!shipped) throw new Error(`providers/${e.name}.yaml is missing`);
  const local = `${origin}${e.apiPath}`;
  if (e.baseURLEnv) {
    expect(shipped.baseURL).toBeUndefined();
    expect(shipped.baseURLEnv).toBe(e.baseURLEnv);
    return { profile: shipped, env: { ...e.env, [e.baseURLEnv]: local } };
  }
  // The shipped base URL's path is the one the vendor serves: the local server answers only there.
  expect(new URL(shipped.baseURL!).pathname.replace(/\/$/, '')).toBe(e.apiPath);
  return { profile: { ...shipped, baseURL: local }, env: e.env };
}

describe('shipped endpoint profiles against our OpenAI wire server', () => {
  for (const e of ENDPOINTS) {
    it(`${e.name}: POST ${e.apiPath}/chat/completions with its headers`, async () => {
      server = await startOpenAIServer({ apiPath: e.apiPath, models: ['m-1'] });
      const origin = new URL(server.url).origin;
      const { profile, env } = localProfile(e, origin);
      const provider = providerRegistry.resolveProvider(e.name, { profiles: new Map([[e.name, profile]]), env });
      const out = await provider.complete(
        { kind: 'chat', model: 'm-1', messages: [{ role: 'user', content: 'hello there' }], sampling: sampling() },
        call(),
      );
      expect(out.text).toContain('hello there');
      const req = server.requests.at(-1)!;
      expect(req.method).toBe('POST');
      expect(req.path).toBe(`${e.apiPath}/chat/completions`);
      for (const [name, value] of Object.entries(e.headers)) expect(req.headers[name], name).toBe(value);
      for (const name of e.absent ?? []) expect(req.headers[name], name).toBeUndefined();
      expect(provider.baseURL).toBe(`${origin}${e.apiPath}`);
      const listed = await provider.listModels(call());
      expect(listed).toEqual(['m-1']);
      expect(server.requests.at(-1)!.path).toBe(`${e.apiPath}/models`);
    });
  }

  it('chat-only endpoints declare it: Groq and Gemini have no raw completions or logprobs', () => {
    for (const name of ['groq', 'gemini']) {
      const p = profiles.get(name)!;
      expect(p.capabilities).toMatchObject({ rawCompletion: false, logprobs: false });
    }
  });

  it('every shipped profile names key variables, never holds a key', () => {
    for (const file of fs.readdirSync(PROFILES).filter((f) => f.endsWith('.yaml'))) {
      const text = fs.readFileSync(path.join(PROFILES, file), 'utf8');
      expect(text, file).not.toMatch(/sk-[A-Za-z0-9]{8,}|AIza[0-9A-Za-z_-]{20,}|gsk_[A-Za-z0-9]{8,}/);
    }
    for (const p of profiles.values()) {
      for (const value of Object.values(p.headers))
        if (typeof value !== 'string') expect(value.env).toMatch(/^[A-Z_]+$/);
    }
  });
});

describe('profile headers', () => {
  it('refuse a literal value in a credential header, naming the file and field', () => {
    expect(() =>
      parseProfile({ name: 'x', kind: 'openai', headers: { 'api-key': 'abc123' } }, 'providers/x.yaml'),
    ).toThrow(/providers\/x\.yaml: field "headers\.api-key": carries a credential/);
    expect(() =>
      parseProfile({ name: 'x', kind: 'openai', headers: { Authorization: 'Bearer abc' } }, 'x.yaml'),
    ).toThrow(/headers\.Authorization/);
    expect(() => parseProfile({ name: 'x', kind: 'openai', headers: { 'bad name': 'v' } }, 'x.yaml')).toThrow(
      /not a valid HTTP header name/,
    );
    expect(() => parseProfile({ name: 'x', kind: 'openai', headers: { 'x-k': { env: 'sk-live' } } }, 'x.yaml')).toThrow(
      /NAME of an environment variable/,
    );
  });

  it('read variables at call time, leave out an unset one, and list read values as secrets to scrub', () => {
    const headers = { 'X-Title': 'phylo', 'api-key': { env: 'K' }, 'x-other': { env: 'UNSET' } };
    expect(resolveHeaders(headers, { K: 'secret-1' })).toEqual({
      headers: { 'X-Title': 'phylo', 'api-key': 'secret-1' },
      secrets: ['secret-1'],
    });
    expect(openAIAccount({ organizationEnv: 'O' }, { O: ' org-1 ' })).toEqual({ organization: 'org-1', project: null });
    expect(openAIAccount({}, { OPENAI_ORG_ID: 'org-1' })).toEqual({ organization: null, project: null });
  });

  it('a header key never reaches an error message', async () => {
    server = await startOpenAIServer({
      apiPath: '/openai/v1',
      faults: [{ kind: 'status', status: 401, message: `bad key ${KEY}` }],
    });
    const profile = profiles.get('azure')!;
    const provider = providerRegistry.resolveProvider('azure', {
      profiles: new Map([['azure', profile]]),
      env: { AZURE_OPENAI_API_KEY: KEY, AZURE_OPENAI_BASE_URL: `${new URL(server.url).origin}/openai/v1` },
    });
    const err = await provider
      .complete({ kind: 'chat', model: 'd', messages: [{ role: 'user', content: 'x' }], sampling: sampling() }, call())
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).not.toContain(KEY);
  });
});

describe('headers outside the openai kind', () => {
  it('are refused rather than silently ignored', () => {
    expect(() => parseProfile({ name: 'a', kind: 'anthropic', headers: { 'X-Title': 't' } }, 'a.yaml')).toThrow(
      'a.yaml: field "headers": only profiles of kind openai send it (this one is anthropic)',
    );
    expect(() => parseProfile({ name: 'o', kind: 'ollama', organizationEnv: 'ORG' }, 'o.yaml')).toThrow(
      /o\.yaml: field "organizationEnv"/,
    );
    expect(parseProfile({ name: 'x', kind: 'openai', headers: { 'X-Title': 't' } }, 'x.yaml').headers).toEqual({
      'X-Title': 't',
    });
  });
});
