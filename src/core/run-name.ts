// The name a run gets when none is given, the same from the CLI (`phylo run`) and the app's new-run screen.

/** suite-YYYYMMDD-HHMMSS (UTC), a valid run name whatever the suite is called. */
export function defaultRunName(suite: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = suite.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'run';
  return `${base.slice(0, 100)}-${stamp}`;
}
