import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { cli, REPO_ROOT } from './cli.ts';

export interface PuljeProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM, and the process's exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash, a power cut for the process), and its exit. */
  kill(): Promise<void>;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** Its log so far (JSON lines on stdout). */
  logs(): string[];
  /** Whether it is still running. */
  running(): boolean;
}

/** `node dist/main.js` (what `npm start` runs) with these settings; resolves once it says it is ready. */
export async function startPulje(env: Record<string, string>): Promise<PuljeProcess> {
  const [node, entry] = cli('main');
  const child = spawn(node, entry, {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', PULJE_RATE_LIMITS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'Pulje is ready') resolve(entry.url!);
    });
    child.once('exit', (code) => reject(new Error(`Pulje exited with ${code} before it was ready: ${stderr}`)));
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    pid: child.pid!,
    child,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    stderr: () => stderr,
    logs: () => logs,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}
