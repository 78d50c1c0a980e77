// Which client library asked, with its version: stored with every sample (provenance), because an SDK upgrade can
// change what is sent (defaults, parameters) as surely as the endpoint can change what it answers.
import { createRequire } from 'node:module';
import { VERSION as ANTHROPIC_VERSION } from '@anthropic-ai/sdk/version';
import { VERSION as OPENAI_VERSION } from 'openai/version';

function packageVersion(name: string): string {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const CLIENT_VERSIONS = {
  openai: `openai-node ${OPENAI_VERSION}`,
  anthropic: `anthropic-sdk ${ANTHROPIC_VERSION}`,
  ollama: `ollama-js ${packageVersion('ollama')}`,
} as const;
