// The Provider fields that come straight from the profile, filled the same way by every adapter built from one.
import { priceFor, type Profile } from './profile.js';
import type { Provider } from './provider.js';
import type { TemperaturePolicy } from './temperature.js';

export type ProfileFields = Pick<
  Provider,
  'name' | 'rateLimit' | 'timeoutMs' | 'defaults' | 'temperatureRule' | 'price'
>;

export function profileFields(profile: Profile, temperatures: TemperaturePolicy): ProfileFields {
  return {
    name: profile.name,
    rateLimit: profile.rateLimit,
    timeoutMs: profile.timeoutMs,
    defaults: profile.defaults,
    temperatureRule: (model) => temperatures.rule(model),
    price: (model) => priceFor(profile, model),
  };
}
