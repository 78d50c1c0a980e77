// Errors the user can act on. Anything that is an InputError exits with code 2 and one clear line.

/** Bad input: a file, field, flag or model the user must fix. Exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A provider that cannot be used at all (no key, server down, unknown prefix). Exit code 2 when it stops a command. */
export class ProviderUnavailableError extends InputError {
  constructor(
    readonly provider: string,
    readonly reason: string,
  ) {
    super(`provider ${provider} is unavailable: ${reason}`);
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_BAD_INPUT = 2;
