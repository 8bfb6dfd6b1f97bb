import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.ts';
import { type SlackStandIn, startSlackStandIn } from '../support/slack/index.ts';

let slack: SlackStandIn | undefined;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await slack?.close();
  slack = undefined;
});

it('npm start with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET answers a signed /pulje help on POST /slack/events within 3 s, and refuses a bad signature', async () => {
  slack = await startSlackStandIn();
  const dir = mkdtempSync(path.join(tmpdir(), 'pulje-start-slack-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const child = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      PULJE_DEMO: 'true',
      DATABASE_URL: `file:${path.join(dir, 'pulje.db')}`,
      PORT: '0',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  cleanup.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'Pulje is ready') resolve(entry.url!);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${stderr}`)));
  });
  expect(
    lines.some((l) => l.includes('Slack adapter on (POST /slack/events)')),
    lines.join('\n'),
  ).toBe(true);
  slack.setRequestUrl(`${url}/slack/events`);

  const help = await slack.sendSlashCommand({ text: 'help' });
  expect(help.status).toBe(200);
  expect(help.late).toBe(false);
  expect(help.ackMs!).toBeLessThan(3000);
  expect(help.ack).toMatchObject({ response_type: 'ephemeral' });
  // Commands are named as they are typed in Slack.
  expect(JSON.stringify(help.ack)).toContain('/pulje hjælp');
  expect((await slack.sendSlashCommand({ text: 'help', signature: 'bad' })).status).toBe(401);
  expect(slack.takeViolations()).toEqual([]);
});

it('npm start with a Slack token that Slack refuses stops with one line naming it, and exit code 1', async () => {
  slack = await startSlackStandIn();
  const dir = mkdtempSync(path.join(tmpdir(), 'pulje-start-slack-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const child = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      PULJE_DEMO: 'true',
      DATABASE_URL: `file:${path.join(dir, 'pulje.db')}`,
      PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-not-a-real-token',
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(1);
  expect(stderr.trim()).toBe('Slack refused SLACK_BOT_TOKEN (invalid_auth); check the token and SLACK_API_URL');
});
