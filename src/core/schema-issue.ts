// One line for the first problem zod found in a settings file (a run config, a provider profile): the file, the
// field's dotted path and what is wrong, an unknown field with the file kind's own hint at what is allowed.
import type { z } from 'zod';

export function schemaIssueLine(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  unknownField: (keys: readonly string[]) => string,
): string {
  const first = issues[0]!;
  let field = first.path.map(String).join('.');
  let message = first.message;
  if (first.code === 'unrecognized_keys') {
    const keys = (first as { keys?: string[] }).keys ?? [];
    field = [...first.path.map(String), keys[0] ?? ''].filter(Boolean).join('.');
    message = unknownField(keys);
  }
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${file}: field "${field || '(top level)'}": ${message}${more}`;
}
