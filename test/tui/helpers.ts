// Shared by the screen tests: let ink process input and re-render before reading the frame.
export const tick = (ms = 60) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  backspace: '\u007f',
  ctrlA: '\u0001',
} as const;

/** Poll a rendered frame until it satisfies `test` (async work: discovery, analysis); fail showing the last frame. */
export async function waitForFrame(
  frame: () => string | undefined,
  test: (f: string) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    last = frame() ?? '';
    if (test(last)) {
      // A screen subscribes to keys in an effect after its first frame: let that run before the test types.
      await tick();
      return last;
    }
    await tick(25);
  }
  throw new Error(`waited for ${what}; the frame shows:\n${last}`);
}
