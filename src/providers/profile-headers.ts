// Extra HTTP headers a profile sends with every request (OpenRouter's HTTP-Referer / X-Title, Azure's `api-key`), and
// the OpenAI organization and project. A value that carries a secret comes from an environment variable named in the
// profile (`{ env: AZURE_OPENAI_API_KEY }`), never from the file: a literal value in a credential header is refused.
import { z } from 'zod';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = z
  .string()
  .regex(ENV_NAME, 'must be the NAME of an environment variable (e.g. OPENAI_API_KEY), not its value');

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Header names that carry credentials: their value must come from the environment. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|key|token|secret|password|auth/i;

export const HeaderValueSchema = z.union([
  z.string().regex(/^[^\r\n]*$/, 'a header value is one line'),
  z.object({ env: envName }).strict(),
]);
export type HeaderValue = z.output<typeof HeaderValueSchema>;

export const ProfileHeadersSchema = z
  .record(z.string(), HeaderValueSchema)
  .superRefine((headers, ctx) => {
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name))
        ctx.addIssue({ code: 'custom', path: [name], message: 'not a valid HTTP header name' });
      if (typeof value === 'string' && CREDENTIAL_HEADER.test(name))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message:
            'carries a credential: write { env: NAME } and set the variable NAME; ' + 'keys are never read from files',
        });
    }
  })
  .default({});
export type ProfileHeaders = z.output<typeof ProfileHeadersSchema>;

export interface ResolvedHeaders {
  /** Header name -> value; a header whose variable is unset is left out. */
  readonly headers: Readonly<Record<string, string>>;
  /** The values read from the environment, to scrub from error messages like the API key. */
  readonly secrets: readonly string[];
}

/** The headers to send in an environment. */
export function resolveHeaders(headers: ProfileHeaders, env: NodeJS.ProcessEnv): ResolvedHeaders {
  const out: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') {
      out[name] = value;
      continue;
    }
    const fromEnv = env[value.env]?.trim();
    if (!fromEnv) continue;
    out[name] = fromEnv;
    secrets.push(fromEnv);
  }
  return { headers: out, secrets };
}

/** OpenAI's organization and project (`OpenAI-Organization` / `OpenAI-Project`), from the variables a profile names. */
export interface OpenAIAccountFields {
  readonly organizationEnv?: string | undefined;
  readonly projectEnv?: string | undefined;
}

/**
 * The `organization` and `project` options of the OpenAI SDK: the named variables' values, else null (null, not
 * undefined: the SDK would otherwise read OPENAI_ORG_ID itself and send it to every compatible server too).
 */
export function openAIAccount(
  profile: OpenAIAccountFields,
  env: NodeJS.ProcessEnv,
): { organization: string | null; project: string | null } {
  const read = (name: string | undefined): string | null => (name ? env[name]?.trim() || null : null);
  return { organization: read(profile.organizationEnv), project: read(profile.projectEnv) };
}

/**
 * Headers, organization and project are sent by the OpenAI adapter (every OpenAI-compatible endpoint); in a profile
 * of another kind they would be silently ignored, so they are refused there, naming the file and the field.
 */
export function headersOnlyWhereSent(
  profile: OpenAIAccountFields & { readonly kind: string; readonly headers: ProfileHeaders },
): string | undefined {
  if (profile.kind === 'openai') return undefined;
  if (Object.keys(profile.headers).length > 0) return 'headers';
  if (profile.organizationEnv !== undefined) return 'organizationEnv';
  if (profile.projectEnv !== undefined) return 'projectEnv';
  return undefined;
}
