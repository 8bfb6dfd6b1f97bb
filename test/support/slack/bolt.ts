import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type AppOptions, LogLevel, type Logger } from '@slack/bolt';
import type { SlackStandIn } from './stand-in.ts';

/** A Bolt logger that keeps what Bolt says (tests can assert on it) and prints nothing. */
export function captureLogger(): Logger & { lines: Array<{ level: string; text: string }> } {
  const lines: Array<{ level: string; text: string }> = [];
  let level = LogLevel.DEBUG;
  const log =
    (name: string) =>
    (...msg: unknown[]) => {
      lines.push({
        level: name,
        text: msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' '),
      });
    };
  return {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * With a single token Bolt calls auth.test when it is constructed and does not wait for it; a test that revokes the
 * token right away would leave that call's rejection unhandled. Waiting for the stand-in to have answered it keeps
 * tests deterministic.
 */
async function initialAuthTest(slack: SlackStandIn, _app: App, options: Partial<AppOptions>): Promise<void> {
  if (options.authorize || options.clientId || options.tokenVerificationEnabled === false) return;
  await slack.waitForCall('auth.test');
}

export interface RunningBolt {
  app: App;
  logger: ReturnType<typeof captureLogger>;
  /** HTTP mode: the app's Request URL (also set on the stand-in). */
  requestUrl?: string;
  stop(): Promise<void>;
}

/**
 * The real Bolt App in HTTP mode (its HTTPReceiver) on a free loopback port, its Web API client pointed at the
 * stand-in; the stand-in's Request URL is set to the app's /slack/events.
 */
export async function startBoltHttp(
  slack: SlackStandIn,
  register: (app: App) => void,
  options: Partial<AppOptions> & { teamId?: string } = {},
): Promise<RunningBolt> {
  const logger = captureLogger();
  const { teamId, clientOptions, ...rest } = options;
  const app = new App({
    token: rest.authorize || rest.clientId ? undefined : slack.botTokenFor(teamId ?? slack.teamId),
    signingSecret: slack.signingSecret,
    logger,
    clientOptions: { slackApiUrl: slack.apiUrl, ...clientOptions },
    ...rest,
  });
  register(app);
  const server = (await app.start(0)) as Server;
  await initialAuthTest(slack, app, rest);
  const requestUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  slack.setRequestUrl(requestUrl);
  return { app, logger, requestUrl, stop: () => app.stop() as Promise<void> };
}

/** The real Bolt App in Socket Mode against the stand-in; resolves once Slack's `hello` has arrived. */
export async function startBoltSocket(
  slack: SlackStandIn,
  register: (app: App) => void,
  options: Partial<AppOptions> & { teamId?: string } = {},
): Promise<RunningBolt> {
  const logger = captureLogger();
  const { teamId, clientOptions, ...rest } = options;
  const app = new App({
    token: slack.botTokenFor(teamId ?? slack.teamId),
    appToken: slack.appToken,
    socketMode: true,
    logger,
    clientOptions: { slackApiUrl: slack.apiUrl, ...clientOptions },
    ...rest,
  });
  register(app);
  await app.start();
  await slack.socketMode.waitForConnections(1);
  await initialAuthTest(slack, app, rest);
  return { app, logger, stop: () => app.stop() as Promise<void> };
}
