import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, REPO_ROOT } from '../support/cli.ts';

/** `npm start` as a person runs it, on its own SQLite file and a free port; resolves once it says it is ready. */
function npmStart(env: Record<string, string>) {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', PULJE_DEMO: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string; pid?: number };
      if (entry.msg === 'Pulje is ready') {
        servers.push(entry.pid!);
        resolve({ url: entry.url!, pid: entry.pid! });
      }
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready: ${stderr}`)));
  });
  // A second instance is expected to exit before it is ready; only a test that awaits `ready` cares.
  ready.catch(() => {});
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, ready, exited, stderr: () => stderr };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const started: ChildProcess[] = [];
const servers: number[] = [];
const dirs: string[] = [];
afterEach(async () => {
  // SIGTERM to npm reaches the server (that is what the first test checks); the server's own pid is stopped too,
  // in case a test failed before that was shown, so no test leaves a server behind.
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
  for (const pid of servers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function scratch() {
  const dir = mkdtempSync(path.join(tmpdir(), 'pulje-start-'));
  dirs.push(dir);
  return { DATABASE_URL: `file:${path.join(dir, 'pulje.db')}`, PORT: '0' };
}

describe('npm start', () => {
  it('serves in the foreground: SIGTERM to the npm process stops the server too', async () => {
    const a = npmStart(scratch());
    started.push(a.child);
    const { url, pid } = await a.ready;
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ ok: true });
    expect(alive(pid)).toBe(true);
    a.child.kill('SIGTERM');
    await a.exited;
    // The node process that served is gone as well, not left behind as an orphan.
    const gone = await fetch(`${url}/healthz`).then(
      () => false,
      () => true,
    );
    expect(gone).toBe(true);
    expect(alive(pid)).toBe(false);
  });

  it('a second instance on the same SQLite file says so in one line and exits 1', async () => {
    const env = scratch();
    const first = npmStart(env);
    started.push(first.child);
    await first.ready;
    const second = npmStart(env);
    started.push(second.child);
    const [code] = await second.exited;
    expect(code).toBe(1);
    const lines = second.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^The SQLite file .*pulje\.db is in use by another Pulje process/);
  });

  it('a second instance on the same port says so in one line and exits 1', async () => {
    const first = npmStart(scratch());
    started.push(first.child);
    const { url } = await first.ready;
    const port = new URL(url).port;
    const second = npmStart({ ...scratch(), PORT: port });
    started.push(second.child);
    const [code] = await second.exited;
    expect(code).toBe(1);
    expect(second.stderr().trim().split('\n')).toEqual([
      `Port ${port} on 127.0.0.1 is already in use (another Pulje?). Stop that process or set PORT.`,
    ]);
  });
});

describe('the server process', () => {
  it('stops on SIGTERM even after whoever read its log went away', async () => {
    const env = scratch();
    const [node, entry] = cli('main');
    const child = spawn(node, entry, {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve) =>
      lines.on('line', (l) => (JSON.parse(l) as { msg?: string }).msg === 'Pulje is ready' && resolve()),
    );
    // The reader stops reading and goes away; the server still writes its shutdown lines to that pipe.
    lines.close();
    child.stdout!.destroy();
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });
});
