// Drive the real app in a pseudo-terminal: a private tmux server (own socket, so no one else's sessions are touched),
// keystrokes in, screen text out.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

export class TmuxSession {
  private readonly socket: string;
  constructor(
    readonly name: string,
    private readonly width = 120,
    private readonly height = 40,
  ) {
    this.socket = `phylo-test-${process.pid}-${name}`;
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Run `command` in a new pane; when it ends the pane stays, showing `[exited CODE]` (see exited()). */
  start(command: string, cwd: string, env: Record<string, string>): void {
    const exports = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
    const script = `env ${exports.join(' ')} ${command}; echo "[exited $?]"; sleep 3600`;
    this.tmux([
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(this.width),
      '-y',
      String(this.height),
      '-c',
      cwd,
      script,
    ]);
  }

  /** The exit code the command left, once it has ended. */
  exited(screen = this.capture()): number | undefined {
    const m = /\[exited (\d+)\]/.exec(screen);
    return m ? Number(m[1]) : undefined;
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** Literal text, not key names. */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', text]);
  }

  capture(escapes = false): string {
    return this.tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name]);
  }

  paneTitle(): string {
    return this.tmux(['display-message', '-p', '-t', this.name, '#{pane_title}']).trim();
  }

  resize(width: number, height: number): void {
    this.tmux(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /** Poll the screen until `test` holds; on timeout, fail with what the screen showed. */
  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 60_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < until) {
      screen = this.capture();
      if (test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`waited for ${what}; the screen shows:\n${screen}`);
  }

  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      // Already gone.
    }
    // tmux can leave its socket file behind; it is ours (a private name), so tidy it.
    fs.rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), {
      force: true,
    });
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
