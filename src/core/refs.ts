import { InputError } from './errors.js';
import { withoutPromptfooApiSegment } from './promptfoo-ids.js';
import type { ModelRef, ProbeId, RunName } from './types.js';

/**
 * A parsed model ref: `prefix:model`, where prefix is a provider kind or a profile name from providers/. promptfoo's
 * form with the API between them (`openai:chat:gpt-4o-mini`) is read as the same model (`openai:gpt-4o-mini`).
 */
export interface ParsedModelRef {
  readonly prefix: string;
  readonly model: string;
}

const REF = /^([a-z][a-z0-9_-]*):(.+)$/;

export function parseModelRef(text: string): ParsedModelRef {
  const m = REF.exec(text.trim());
  if (!m) throw new InputError(`model "${text}": expected provider:model, e.g. openai:gpt-4o-mini or lab:base`);
  return { prefix: m[1]!, model: withoutPromptfooApiSegment(m[2]!) };
}

export function modelRef(text: string): ModelRef {
  const { prefix, model } = parseModelRef(text);
  return `${prefix}:${model}` as ModelRef;
}

export function probeId(text: string): ProbeId {
  return text as ProbeId;
}

export function runName(text: string): RunName {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(text)) {
    throw new InputError(`run name "${text}": use letters, digits, dot, dash or underscore`);
  }
  return text as RunName;
}
