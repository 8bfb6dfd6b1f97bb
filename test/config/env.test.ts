import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envSchema, loadConfig } from '../../src/config/env.ts';
import { cli } from '../support/cli.ts';

describe('config from the environment', () => {
  it('runs on embedded defaults with nothing set', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      PULJE_LOCALE: 'da',
      PULJE_DEMO: true,
      PULJE_COUNT_STATEMENTS: false,
      PULJE_SQLITE_SYNC: 'full',
      PULJE_MAX_LOOP_UTILIZATION: 0.98,
      LOG_LEVEL: 'info',
      OPENAI_TIMEOUT_MS: 20_000,
      OPENAI_MAX_RETRIES: 2,
      PULJE_RETENTION_DAYS: 30,
      PULJE_INACTIVE_MONTHS: 12,
      PULJE_AUDIT_MONTHS: 24,
      PULJE_SCHEDULER: true,
      DISCORD_MESSAGE_CONTENT: false,
    });
  });

  it('refuses a model endpoint without a model name, and retention days outside 1–365', () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toThrow(
      'Config error: OPENAI_MODEL must be a model name when OPENAI_BASE_URL or OPENAI_API_KEY is set',
    );
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.1' }).OPENAI_MODEL).toBe('llama3.1');
    expect(() => loadConfig({ PULJE_RETENTION_DAYS: '0' })).toThrow(
      'Config error: PULJE_RETENTION_DAYS must be a whole number of days 1–365 (got "0")',
    );
    expect(loadConfig({ PULJE_RETENTION_DAYS: '7' }).PULJE_RETENTION_DAYS).toBe(7);
  });

  it.each([
    [{ PORT: 'abc' }, 'Config error: PORT must be a port number 1–65535 (0: any free port) (got "abc")'],
    [{ PORT: '70000' }, 'Config error: PORT must be a port number 1–65535 (0: any free port) (got "70000")'],
    [
      { DATABASE_URL: 'mysql://db' },
      'Config error: DATABASE_URL must be a file:… path (SQLite) or a postgresql://… connection string (got "mysql://db")',
    ],
    [{ PULJE_LOCALE: 'de' }, 'Config error: PULJE_LOCALE must be da or en (got "de")'],
    [{ PULJE_DEMO: 'maybe' }, 'Config error: PULJE_DEMO must be true or false (got "maybe")'],
  ])('names the variable and what it expects: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a secret', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxp-leaked-user-token' })).toThrow(
      /^Config error: SLACK_BOT_TOKEN must be a bot token starting with xoxb-$/,
    );
  });

  it('treats empty values as unset and reads booleans', () => {
    expect(loadConfig({ PORT: '', PULJE_DEMO: 'false' })).toMatchObject({ PORT: 3000, PULJE_DEMO: false });
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const key of Object.keys(envSchema.shape)) expect(example).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
  });

  it('stops start-up with one line on a bad value', async () => {
    const run = promisify(execFile);
    const failure = await run(...cli('main'), { env: { ...process.env, PORT: 'abc' } }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect(failure.stderr.trim().split('\n')).toEqual(['Config error: PORT must be a port number 1–65535 (0: any free port) (got "abc")']);
  });
});
