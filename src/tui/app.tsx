// `phylo` with no arguments in a terminal: start the interactive app, and give the terminal back exactly as it was.
import { render } from 'ink';
import type { RunHandle, TuiBackend } from './backend.js';
import { App, type Route } from './app-view.js';
import { ThemeContext, themeFromEnv } from './theme.js';
import type { BenchmarkScores } from '../core/benchmark-scores.js';

export interface StartOptions {
  readonly backend?: TuiBackend;
  readonly resultsDir?: string;
  readonly initialRoute?: Route;
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Benchmark scores for the results screen's predict tab (phylo tui --scores FILE --column NAME). */
  readonly scores?: BenchmarkScores;
}

// The alternate screen keeps the user's scrollback intact; leaving it restores what was there before.
const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/** The real backend, with the entry point's provider registry (lab and replay handed in). */
async function realBackend(options: StartOptions): Promise<TuiBackend> {
  const [{ createRealBackend }, { providerRegistry }] = await Promise.all([
    import('./real-backend.js'),
    import('../commands/providers-setup.js'),
  ]);
  return createRealBackend({ registry: providerRegistry, resultsDir: options.resultsDir, env: options.env });
}

/** Run the app until the user quits; a run still collecting is cancelled and waited for, so what it has is stored. */
export async function startApp(options: StartOptions = {}): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  // The real backend is imported lazily so `phylo --help` never pays for SQLite, the SDKs and the lab.
  const backend: TuiBackend = options.backend ?? (await realBackend(options));
  let running: RunHandle | undefined;
  const fullScreen = stdout.isTTY === true;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (fullScreen) stdout.write(LEAVE_ALT_SCREEN + SHOW_CURSOR);
  };
  // Whatever ends the process, the user gets their screen and cursor back.
  process.once('exit', restore);
  if (fullScreen) stdout.write(ENTER_ALT_SCREEN);
  const instance = render(
    <ThemeContext.Provider value={themeFromEnv(options.env)}>
      <App
        backend={backend}
        initialRoute={options.initialRoute}
        scores={options.scores}
        onRunChange={(h) => {
          running = h;
        }}
      />
    </ThemeContext.Provider>,
    // Not ink's incrementalRendering: in a real terminal (tmux) it left stale lines when a frame got shorter.
    { stdout, stdin, exitOnCtrlC: true, patchConsole: true, maxFps: 20 },
  );
  // A terminal reflows the old frame when its width changes, and ink redraws once with the old layout before the
  // screens learn the new size, so erasing "the last frame" leaves debris. In the alternate screen a full clear is
  // safe: this listener runs after ink's own and before the app's (useTerminalSize), whose next frame differs from
  // the last (see the repaint line in app-view.tsx) and so is drawn in full.
  const onResize = () => stdout.write(CLEAR_SCREEN);
  if (fullScreen) stdout.on('resize', onResize);
  const onSignal = () => instance.unmount();
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    stdout.off('resize', onResize);
    restore();
    process.off('exit', restore);
    const left = running as RunHandle | undefined;
    if (left) {
      process.stderr.write(`phylo: stopping run ${left.name}; everything collected so far is stored\n`);
      left.cancel();
      await left.done.catch(() => undefined);
    }
    backend.close();
  }
}
