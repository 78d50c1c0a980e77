// Secrets must never reach a file, a log line or an error message. Adapters scrub their own key; the collector
// scrubs again with every credential-like value of the environment before it stores or reports a message, because
// a key can arrive by another road (a proxy's error page, a base URL with a token in it).
import { scrubSecrets } from '../providers/scrub.js';

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|AUTH)/i;
const MIN_SECRET_LENGTH = 8;

/** The values of credential-like environment variables. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH && SECRET_NAME.test(name)) out.add(value);
  }
  return [...out];
}

export function redact(text: string, secrets: readonly string[]): string {
  return scrubSecrets(text, secrets);
}
