// Debian's chromium, headless, driven over the DevTools protocol (chrome-remote-interface) on a loopback port: open a
// file:// page, collect every console message, exception and browser log entry, evaluate expressions in the page and
// take screenshots. `findChromium` says why it cannot run when the browser is missing, so a test can skip saying so.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import CDP from 'chrome-remote-interface';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser's path, or why there is none (the test prints it when it skips). */
export function findChromium(): { path: string } | { skip: string } {
  const given = process.env.CHROMIUM;
  const found = [given, ...CANDIDATES].find((p) => p !== undefined && fs.existsSync(p));
  if (found) return { path: found };
  return {
    skip:
      'headless browser checks skipped: no chromium found (looked at $CHROMIUM and ' +
      `${CANDIDATES.join(', ')}); install Debian's package with "apt-get install -y chromium" (.ci/run does)`,
  };
}

export interface ConsoleEntry {
  readonly source: 'console' | 'exception' | 'log';
  readonly level: string;
  readonly text: string;
}

export interface Browser {
  /** Open a local file at 1280x800 and wait for its load event. */
  open(file: string): Promise<void>;
  /** Evaluate an expression in the page and return its value (JSON-serialisable). */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Buffer>;
  /** Everything the page logged since it was opened. */
  readonly console: ConsoleEntry[];
  close(): Promise<void>;
}

function waitForDevtoolsPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start in 60 s:\n${seen}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const m = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited (${code}) before listening:\n${seen}`));
    });
  });
}

export async function launchChromium(executable: string): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-chromium-'));
  const child = spawn(
    executable,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--hide-scrollbars',
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    // Its own process group, so that cleanup stops the helper processes (zygote, renderers) with it.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Stop the browser we started (its process group, by its own handle) and remove its profile once it has exited.
  // A helper process may still be flushing into the profile for a moment: retry, then leave the temporary folder
  // rather than fail a test that has already checked what it came for.
  const cleanup = async () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    await exited;
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  let client: CDP.Client;
  try {
    const port = await waitForDevtoolsPort(child);
    client = await CDP({ host: '127.0.0.1', port, local: true });
  } catch (err) {
    await cleanup();
    throw err;
  }
  const { Page, Runtime, Log, Emulation } = client;
  const entries: ConsoleEntry[] = [];
  Runtime.consoleAPICalled((e) => {
    const text = e.args.map((a) => (a.value !== undefined ? String(a.value) : (a.description ?? ''))).join(' ');
    entries.push({ source: 'console', level: e.type, text });
  });
  Runtime.exceptionThrown((e) => {
    entries.push({
      source: 'exception',
      level: 'error',
      text: e.exceptionDetails.exception?.description ?? e.exceptionDetails.text,
    });
  });
  Log.entryAdded((e) => entries.push({ source: 'log', level: e.entry.level, text: e.entry.text }));
  await Promise.all([Page.enable(), Runtime.enable(), Log.enable()]);
  await Emulation.setDeviceMetricsOverride({ width: 1280, height: 800, deviceScaleFactor: 1, mobile: false });

  return {
    console: entries,
    async open(file) {
      entries.length = 0;
      const loaded = Page.loadEventFired();
      await Page.navigate({ url: pathToFileURL(path.resolve(file)).href });
      await loaded;
    },
    async evaluate<T>(expression: string): Promise<T> {
      const r = await Runtime.evaluate({ expression, returnByValue: true });
      if (r.exceptionDetails) throw new Error(`evaluate ${expression}: ${r.exceptionDetails.text}`);
      return r.result.value as T;
    },
    async screenshot() {
      const shot = await Page.captureScreenshot({ format: 'png' });
      return Buffer.from(shot.data, 'base64');
    },
    async close() {
      try {
        await client.close();
      } finally {
        await cleanup();
      }
    },
  };
}
