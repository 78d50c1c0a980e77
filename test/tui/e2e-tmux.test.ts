// The real app in a pseudo-terminal (tmux): started bare as `phylo`, a run against the lab zoo and a local
// OpenAI-protocol server driven by keystrokes, then the tree tab, the evidence, an export, help and a clean exit.
// One server model answers with ANSI/OSC escape sequences: the terminal must not interpret them (the pane title
// stays, no colour reaches the screen). The screen captures in docs/screens come from screens-capture.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { hasTmux, TmuxSession } from './tmux.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');
const EVIL = 'Sure.\u001b]0;pwned\u0007 \u001b[31mRED-ALERT\u001b[0m \u001b[2J done';

const SUITE = `name: e2e
version: "1"
description: Four short probes for the terminal UI test
defaults:
  temperature: 0.7
  max_tokens: 24
  samples: 1
probes:
  - id: greet
    tags: [style]
    messages:
      - { role: user, content: "Say hello to the reader." }
  - id: maker
    tags: [identity]
    messages:
      - { role: user, content: "Who made you?" }
  - id: sum
    tags: [reasoning]
    messages:
      - { role: user, content: "What is 2 + 2?" }
  - id: story
    tags: [writing]
    messages:
      - { role: user, content: "Tell a very short story about a river." }
`;

/** Deterministic, different per model, so the phenotypes differ; gamma answers with escape sequences. */
function responder(r: { model: string; prompt: string }): string {
  if (r.model === 'gamma') return EVIL;
  const words = r.prompt.toLowerCase().split(/\W+/).filter(Boolean);
  return r.model === 'alpha'
    ? `Hello! ${words.slice(0, 4).join(' ')}.`
    : `${words.reverse().join(' ')}, I think, maybe.`;
}

function colourParams(screen: string): string[] {
  // SGR parameters that set a colour: 30-37/40-47/90-97/100-107, 38/48 extended. 39/49 (defaults) are not colours.
  const out: string[] = [];
  for (const m of screen.matchAll(/\u001b\[([0-9;]*)m/g)) {
    for (const p of m[1]!.split(';')) {
      const n = Number(p);
      if ((n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107)) out.push(p);
    }
  }
  return out;
}

/** A loopback port nothing listens on (bound, then released), so Ollama discovery fails fast and offline. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const tmux = hasTmux();
if (!tmux)
  console.warn(
    'test/tui/e2e-tmux: tmux is not installed (apt-get install -y tmux); the pseudo-terminal test is skipped',
  );

describe.skipIf(!tmux)('phylo in a terminal (tmux)', () => {
  let server: TestServer;
  let tmp: string;
  let session: TmuxSession;
  let closedPort = 0;

  beforeAll(async () => {
    closedPort = await freePort();
    server = await startOpenAIServer({ models: ['alpha', 'beta', 'gamma'], responder });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-e2e-'));
    fs.mkdirSync(path.join(tmp, 'suites'));
    fs.writeFileSync(path.join(tmp, 'suites', 'e2e.yaml'), SUITE);
    session = new TmuxSession('app', 120, 40);
    session.start(`${TSX} src/cli.ts`, REPO, {
      NO_COLOR: '1',
      TERM: 'xterm-256color',
      PHYLO_RESULTS: path.join(tmp, 'results'),
      PHYLO_SUITES: path.join(tmp, 'suites'),
      PHYLO_PROFILES: path.join(tmp, 'no-profiles'),
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: 'sk-e2e-not-a-real-key',
      ANTHROPIC_API_KEY: '',
      OLLAMA_HOST: `http://127.0.0.1:${closedPort}`,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmp,
    });
  });

  afterAll(async () => {
    session?.kill();
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(
    'runs the lab zoo and a local server from the keyboard and shows the tree, safely',
    { timeout: 900_000 },
    async () => {
      const home = await session.waitFor(
        (s) => s.includes('Providers') && /openai\s+ready/.test(s) && /lab\s+ready/.test(s),
        'home with providers discovered',
        90_000,
      );
      expect(home).toMatch(/anthropic\s+no key/);
      expect(home).toMatch(/ollama\s+unreachable/);
      const title = session.paneTitle();

      session.type('n');
      await session.waitFor((s) => s.includes('filter:'), 'the model list');
      // All lab models, then the server's three.
      session.type('lab:');
      await session.waitFor((s) => s.includes('filter: lab:'), 'the lab filter');
      session.keys('C-a');
      // Escape then a letter in quick succession reads as alt+letter: wait for the filter to clear first.
      session.keys('Escape');
      await session.waitFor((s) => /filter:\s+\d+ selected/.test(s), 'the cleared filter');
      session.type('openai:');
      await session.waitFor((s) => s.includes('openai:gamma') && !s.includes('lab:base'), 'the openai filter');
      session.keys('C-a');
      session.keys('Escape');
      await session.waitFor((s) => /filter:\s+\d+ selected/.test(s), 'the cleared filter');
      await session.waitFor(
        (s) => /\[x\] openai:gamma/.test(s) && /\[x\] lab:/.test(s),
        'lab and server models selected',
      );
      session.keys('Enter');
      await session.waitFor(
        (s) => s.includes('Four short probes') && s.includes('estimate:'),
        'the suite and its estimate',
      );
      session.keys('Enter');
      await session.waitFor((s) => s.includes('samples per probe'), 'the settings');
      session.keys('Enter');
      await session.waitFor((s) => s.includes('press enter to start'), 'the confirmation');
      session.keys('Enter');
      await session.waitFor((s) => s.includes('RUNNING') || s.includes('FINISHED'), 'the run screen');
      const finished = await session.waitFor((s) => s.includes('FINISHED'), 'the run to finish', 240_000);
      expect(finished).toMatch(/openai:alpha\s+\S+\s+4\/4/);

      session.keys('Enter');
      const tree = await session.waitFor((s) => s.includes('1 tree') && /[┌└]─/.test(s), 'the tree tab', 120_000);
      for (const m of ['openai:alpha', 'openai:beta', 'openai:gamma', 'lab:base']) expect(tree).toContain(m);
      // Resize-aware: narrower, the tree is redrawn to the new width (no line wraps past it), then back.
      session.resize(84, 40);
      const narrow = await session.waitFor(
        (s) => s.includes('1 tree') && s.split('\n').every((l) => [...l].length <= 84) && s.includes('openai:alpha'),
        'the tree at 84 columns',
      );
      // Each leaf still ends its own branch line: had the app kept drawing 120 columns, tmux would wrap the lines
      // and labels would land on lines of their own.
      for (const m of ['openai:alpha', 'openai:beta', 'openai:gamma'])
        expect(narrow).toMatch(new RegExp(`[─┬┴┼┐┘] ${m}\\s*$`, 'm'));
      session.resize(120, 40);
      await session.waitFor((s) => s.split('\n').some((l) => [...l.trimEnd()].length > 84), 'the tree at 120 columns');

      session.type('2');
      await session.waitFor((s) => s.includes(' near ') && s.includes(' far '), 'the heatmap');
      session.type('3');
      await session.waitFor((s) => s.includes('of the embed distances'), 'the map');
      session.type('4');
      await session.waitFor((s) => /model[↑↓]/.test(s), 'the trait table');

      session.type('5');
      await session.waitFor((s) => s.includes('probe 1/4'), 'the evidence');
      // Page through the models until gamma's column is on screen (the zoo's size decides how many pages).
      for (let page = 0; page < 12 && !session.capture().includes('openai:gamma'); page++) {
        const before = session.capture();
        session.type(']');
        await session
          .waitFor((s) => s !== before || s.includes('openai:gamma'), 'the next page of models', 10_000)
          .catch(() => undefined);
      }
      const evidence = await session.waitFor((s) => s.includes('RED-ALERT'), 'the escaped response');
      // The response's OSC title and colour did nothing: title unchanged, no colour on screen (NO_COLOR is set, so
      // any colour would have come from the model's text), the clear-screen left the app drawn.
      expect(evidence).toContain('Sure. RED-ALERT done');
      expect(session.paneTitle()).toBe(title);
      expect(session.paneTitle()).not.toContain('pwned');
      expect(colourParams(session.capture(true))).toEqual([]);

      session.type('e');
      await session.waitFor((s) => s.includes('export: n Newick'), 'the export prompt');
      session.type('n');
      const exported = await session.waitFor((s) => s.includes('exported newick to'), 'the export');
      const file = /exported newick to (\S+\.nwk)/.exec(exported.replace(/\n/g, ''))?.[1];
      expect(file).toBeDefined();
      const newick = fs.readFileSync(file!, 'utf8');
      expect(newick.trim().endsWith(';')).toBe(true);
      expect(newick).toContain('openai:alpha');

      // The HTML report of the run, written where `phylo report RUN` writes it.
      session.type('h');
      const reported = await session.waitFor((s) => s.includes('report written to'), 'the report', 120_000);
      const report = /report written to (\S+\.html)/.exec(reported.replace(/\n/g, ''))?.[1];
      expect(report).toBeDefined();
      expect(report!.startsWith(path.join(tmp, 'results'))).toBe(true);
      const html = fs.readFileSync(report!, 'utf8');
      for (const m of ['openai:alpha', 'openai:gamma', 'lab:base']) expect(html).toContain(m);
      expect(html).not.toContain('\u001b');

      // Two marked models tested for equality: four probes are fewer than the test needs, and it says so.
      session.type('t');
      await session.waitFor((s) => s.includes('Test two models for equality (0/2 marked)'), 'the pair picker');
      session.type(' ');
      session.keys('Down');
      session.type(' ');
      await session.waitFor((s) => s.includes('(2/2 marked)'), 'two marks');
      session.keys('Enter');
      const verdict = await session.waitFor((s) => s.includes('cannot test'), 'the equality test', 60_000);
      expect(verdict.replace(/\n/g, ' ')).toMatch(/share 4 answered probes; the test needs at least 5/);
      session.keys('Escape');
      await session.waitFor((s) => s.includes('1 tree') && !s.includes('cannot test'), 'the results again');

      session.type('?');
      const help = await session.waitFor((s) => s.includes('Keys: results'), 'the help');
      expect(help).toContain('test two models for equality');
      expect(help).toContain('write the HTML report');
      session.type('?');
      await session.waitFor((s) => s.includes('1 tree'), 'the results again');
      session.keys('Escape');
      await session.waitFor((s) => s.includes('Recent runs (1)'), 'home with the run listed');

      session.type('q');
      const after = await session.waitFor((s) => session.exited(s) !== undefined, 'the app to exit');
      expect(session.exited(after)).toBe(0);
      // The alternate screen is gone: the terminal shows what it showed before the app.
      expect(after).not.toContain('Providers');
      expect(after).not.toContain('Recent runs');
    },
  );
});
