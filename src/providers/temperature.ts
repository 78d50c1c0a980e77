// Which temperature a model is sampled at. Some models accept only their default (OpenAI reasoning models, newer
// Claude models): the profile lists them by regex, and a model that answers 400 about temperature is remembered.
import type { TemperatureRule } from './provider.js';
import type { Profile } from './profile.js';

export interface TemperaturePlan {
  /** What to send; undefined: leave the parameter out so the API uses its default. */
  readonly send: number | undefined;
  /** What the model samples at (recorded on the Completion). */
  readonly used: number;
  /** Said plainly when it differs from what was asked. */
  readonly note?: string;
}

export class TemperaturePolicy {
  private readonly defaultOnly: RegExp[];
  private readonly learned = new Set<string>();

  constructor(private readonly rules: Profile['temperature']) {
    this.defaultOnly = rules.defaultOnly.map((p) => new RegExp(p));
  }

  rule(model: string): TemperatureRule {
    if (this.learned.has(model) || this.defaultOnly.some((r) => r.test(model)))
      return { kind: 'default-only', value: this.rules.default };
    return { kind: 'any', max: this.rules.max };
  }

  /** The server refused a non-default temperature for this model: sample it at the default from now on. */
  learn(model: string): void {
    this.learned.add(model);
  }

  plan(model: string, requested: number): TemperaturePlan {
    const rule = this.rule(model);
    if (rule.kind === 'default-only') {
      const note =
        requested === rule.value
          ? undefined
          : `temperature ${requested} not accepted by ${model}; sampled at its default ${rule.value}`;
      return { send: undefined, used: rule.value, note };
    }
    if (requested > rule.max)
      return {
        send: rule.max,
        used: rule.max,
        note: `temperature ${requested} above the maximum; sampled at ${rule.max}`,
      };
    return { send: requested, used: requested };
  }
}

/** Whether a 400 is the server refusing the temperature parameter (then we retry once at the default). */
export function refusesTemperature(status: number | undefined, message: string): boolean {
  return status === 400 && /temperature/i.test(message);
}

/**
 * Run `attempt` at the planned temperature; if the server refuses the temperature (`refused(err)`), remember the
 * model as default-only and try once more at the default. Errors are thrown raw, for the adapter to classify.
 */
export async function withTemperatureFallback<T>(
  policy: TemperaturePolicy,
  model: string,
  requested: number,
  attempt: (plan: TemperaturePlan) => Promise<T>,
  refused: (err: unknown) => boolean,
): Promise<{ readonly result: T; readonly plan: TemperaturePlan }> {
  const plan = policy.plan(model, requested);
  try {
    return { result: await attempt(plan), plan };
  } catch (err) {
    if (plan.send === undefined || !refused(err)) throw err;
    policy.learn(model);
    const retry = policy.plan(model, requested);
    return { result: await attempt(retry), plan: retry };
  }
}
