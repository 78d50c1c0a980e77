// The suite file format (YAML or JSON), as a strict zod schema. Field names are snake_case in files, as in most LLM
// eval configs; load.ts converts a parsed file to the camelCase `Suite` of src/core/types.ts.
import { z } from 'zod';

/** Probe ids become database keys and file names in exports: keep them to a safe alphabet. */
export const PROBE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Regex flags a probe may use. `g` and `y` are refused: they make RegExp.test stateful. */
export const ANSWER_REGEX_FLAGS = /^[imsu]*$/;

const temperature = z.number().min(0).max(2);
const maxTokens = z.number().int().min(1).max(1_000_000);
const samples = z.number().int().min(1).max(10_000);
const topP = z.number().gt(0).max(1);
const seed = z.number().int();

/** An exact answer may be written as a YAML number (`exact: 42`); it is compared as text. */
const answerText = z.union([z.string().min(1), z.number()]);

const message = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1),
});

const answer = z
  .strictObject({
    exact: answerText.optional(),
    regex: z.string().min(1).optional(),
    flags: z.string().optional(),
    one_of: z.array(answerText).min(1).optional(),
  })
  .superRefine((a, ctx) => {
    const kinds = (['exact', 'regex', 'one_of'] as const).filter((k) => a[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          kinds.length === 0
            ? 'give one of exact, regex or one_of'
            : `give only one of exact, regex or one_of (found ${kinds.join(' and ')})`,
      });
      return;
    }
    if (a.flags !== undefined && a.regex === undefined) {
      ctx.addIssue({ code: 'custom', path: ['flags'], message: 'flags apply only to regex' });
    }
    if (a.flags !== undefined && !ANSWER_REGEX_FLAGS.test(a.flags)) {
      ctx.addIssue({ code: 'custom', path: ['flags'], message: `"${a.flags}" is not allowed; use any of i, m, s, u` });
    }
    if (a.regex !== undefined) {
      try {
        new RegExp(a.regex, a.flags ?? '');
      } catch {
        ctx.addIssue({ code: 'custom', path: ['regex'], message: 'invalid regular expression' });
      }
    }
  });

export const probeSchema = z
  .strictObject({
    id: z.string().regex(PROBE_ID_PATTERN, 'use letters, digits, dot, dash, underscore or colon (at most 128)'),
    tags: z.array(z.string().min(1)).default([]),
    messages: z.array(message).min(1).optional(),
    prefix: z.string().min(1).optional(),
    temperature: temperature.optional(),
    max_tokens: maxTokens.optional(),
    samples: samples.optional(),
    top_p: topP.optional(),
    seed: seed.optional(),
    answer: answer.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.messages !== undefined && p.prefix !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'give either messages or prefix, not both' });
    } else if (p.messages === undefined && p.prefix === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['messages'],
        message: 'missing; give either messages (chat) or prefix (raw text)',
      });
    } else if (p.messages !== undefined && !p.messages.some((m) => m.role === 'user')) {
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'needs at least one user message' });
    }
  });

export const suiteSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dot, dash or underscore'),
    version: z.string().min(1),
    description: z.string(),
    defaults: z.strictObject({
      temperature,
      max_tokens: maxTokens,
      samples,
      top_p: topP.optional(),
      seed: seed.optional(),
    }),
    probes: z.array(probeSchema).min(1),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    s.probes.forEach((p, i) => {
      const first = seen.get(p.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['probes', i, 'id'],
          message: `duplicate id (also probe #${first + 1}); ids must be unique in a suite`,
        });
      } else {
        seen.set(p.id, i);
      }
    });
  });

export type SuiteFile = z.infer<typeof suiteSchema>;
export type ProbeFile = z.infer<typeof probeSchema>;
export type AnswerFile = z.infer<typeof answer>;
