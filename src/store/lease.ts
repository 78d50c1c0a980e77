// Who is collecting a run: a lease row per run name, taken in one immediate transaction, refreshed by a heartbeat,
// released on exit. Two `phylo run --name X` at once would otherwise both request every missing sample (and pay
// twice). A lease is stolen only when its holder is gone: its pid is dead on this host, or (any host) it has sent no
// heartbeat for STALE_AFTER_MS.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type Database from 'better-sqlite3';
import { InputError } from '../core/errors.js';

export const HEARTBEAT_MS = 5_000;
/** A holder silent this long is gone (a frozen process, another host that crashed). */
export const STALE_AFTER_MS = 30_000;

export interface LeaseHolder {
  readonly run: string;
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly acquiredAt: string;
  readonly heartbeatAt: string;
}

interface LeaseRow {
  run: string;
  pid: number;
  host: string;
  token: string;
  acquired_at: string;
  heartbeat_at: string;
}

const toHolder = (r: LeaseRow): LeaseHolder => ({
  run: r.run,
  pid: r.pid,
  host: r.host,
  token: r.token,
  acquiredAt: r.acquired_at,
  heartbeatAt: r.heartbeat_at,
});

/** A process id that exists on this host (EPERM: it exists but is another user's). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a lease's holder still lives, as far as this process can tell. */
export function holderAlive(holder: LeaseHolder, now: number = Date.now()): boolean {
  if (now - Date.parse(holder.heartbeatAt) > STALE_AFTER_MS) return false;
  if (holder.host === os.hostname()) return pidAlive(holder.pid);
  return true;
}

/** One line saying who holds a run. */
export function describeHolder(h: LeaseHolder): string {
  return `process ${h.pid} on ${h.host} (since ${h.acquiredAt}, last heartbeat ${h.heartbeatAt})`;
}

export type LeaseAttempt =
  | { readonly ok: true; readonly lease: RunLease }
  | { readonly ok: false; readonly holder: LeaseHolder };

/** A held lease: keep it fresh with the heartbeat, release it when done (also on exit). */
export interface RunLease {
  readonly holder: LeaseHolder;
  release(): void;
}

export class RunLeases {
  private readonly get: Database.Statement<[string], LeaseRow>;
  private readonly all: Database.Statement<[], LeaseRow>;
  private readonly put: Database.Statement;
  private readonly beat: Database.Statement;
  private readonly drop: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.get = db.prepare<[string], LeaseRow>('SELECT * FROM run_leases WHERE run = ?');
    this.all = db.prepare<[], LeaseRow>('SELECT * FROM run_leases');
    this.put = db.prepare(
      `INSERT OR REPLACE INTO run_leases (run, pid, host, token, acquired_at, heartbeat_at)
       VALUES (@run, @pid, @host, @token, @acquiredAt, @heartbeatAt)`,
    );
    this.beat = db.prepare('UPDATE run_leases SET heartbeat_at = ? WHERE run = ? AND token = ?');
    this.drop = db.prepare('DELETE FROM run_leases WHERE run = ? AND token = ?');
  }

  /** The live holder of a run, if any. */
  holderOf(run: string): LeaseHolder | undefined {
    const row = this.get.get(run);
    if (row === undefined) return undefined;
    const holder = toHolder(row);
    return holderAlive(holder) ? holder : undefined;
  }

  /** Runs with a live holder (`phylo runs` shows the others left `running` as interrupted). */
  liveRuns(): Set<string> {
    return new Set(
      this.all
        .all()
        .map(toHolder)
        .filter((h) => holderAlive(h))
        .map((h) => h.run),
    );
  }

  /** Take the run's lease unless a live process holds it; atomic across processes (an immediate transaction). */
  tryAcquire(run: string): LeaseAttempt {
    const now = new Date().toISOString();
    const holder: LeaseHolder = {
      run,
      pid: process.pid,
      host: os.hostname(),
      token: randomUUID(),
      acquiredAt: now,
      heartbeatAt: now,
    };
    const taken = this.db
      .transaction((): LeaseHolder | undefined => {
        const row = this.get.get(run);
        if (row !== undefined && holderAlive(toHolder(row))) return toHolder(row);
        this.put.run(holder);
        return undefined;
      })
      .immediate();
    if (taken !== undefined) return { ok: false, holder: taken };
    return { ok: true, lease: this.held(holder) };
  }

  private held(holder: LeaseHolder): RunLease {
    let released = false;
    const timer = setInterval(() => {
      try {
        this.beat.run(new Date().toISOString(), holder.run, holder.token);
      } catch {
        // A busy or full database misses one beat; STALE_AFTER_MS allows several.
      }
    }, HEARTBEAT_MS);
    timer.unref();
    const release = (): void => {
      if (released) return;
      released = true;
      clearInterval(timer);
      process.off('exit', release);
      try {
        if (this.db.open) this.drop.run(holder.run, holder.token);
      } catch {
        // The lease dies with the process anyway: another process sees the pid gone.
      }
    };
    process.on('exit', release);
    return { holder, release };
  }
}

/** Another live process is collecting this run: exit 2 naming it (or wait for it with `phylo run --wait`). */
export class RunHeldError extends InputError {
  constructor(readonly holder: LeaseHolder) {
    super(
      `run "${holder.run}" is being collected by ${describeHolder(holder)}; ` +
        'wait for it (phylo run --wait) or choose another --name',
    );
  }
}
