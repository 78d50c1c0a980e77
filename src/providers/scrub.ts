// API keys never reach an error message, a log line or a file. Servers sometimes echo the key (whole or in part)
// in a 401 body, so every message from a provider passes through here before it leaves the adapter.

// OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) key shapes, also when masked with '*'.
const KEY_LIKE = /\bsk-[A-Za-z0-9*_-]{6,}/g;
const BEARER = /\bBearer\s+\S+/gi;
// user:password@ in a URL (a base URL with credentials ends up in "cannot reach ..." messages): the password goes.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi;
/** A secret echoed in part is still a leak: any run of this many of its characters is removed. */
const WINDOW = 8;

/** Remove every secret (and any 8-character run of one), key-shaped tokens and bearer credentials from a message. */
export function scrubSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (!secret) continue;
    out = out.split(secret).join('[redacted]');
    if (secret.length >= WINDOW) {
      for (let i = 0; i + WINDOW <= secret.length; i++) {
        const piece = secret.slice(i, i + WINDOW);
        if (out.includes(piece)) out = out.split(piece).join('[redacted]');
      }
    }
  }
  return out
    .replace(URL_PASSWORD, '$1:[redacted]@')
    .replace(BEARER, 'Bearer [redacted]')
    .replace(KEY_LIKE, '[redacted]');
}
