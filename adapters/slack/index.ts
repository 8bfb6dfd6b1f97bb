import { App, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Config } from '../../src/config/env.ts';
import { silentLogger, type AckTiming, type Logger, type Router } from '../../src/conversation/index.ts';
import type { NoticeChannel } from '../../src/staff/notifier.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { knowCommands } from './commands.ts';
import { DEFAULT_ACK, registerListeners, type SettledReport } from './listeners.ts';
import { slackError } from './errors.ts';
import { slackNotices } from './notices.ts';
import { databaseInstallationStore, oauthRoutes } from './oauth.ts';
import { FetchReceiver } from './receiver.ts';
import { SlackPeople } from './roles.ts';

export { SLACK_LIMITS } from './limits.ts';
export type { SettledReport } from './listeners.ts';

export type SlackConfig = Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'PULJE_LOCALE'> &
  Partial<
    Pick<Config, 'SLACK_API_URL' | 'SLACK_CLIENT_ID' | 'SLACK_CLIENT_SECRET' | 'SLACK_STATE_SECRET' | 'PULJE_SECRET' | 'PULJE_PUBLIC_URL'>
  >;

export interface StartSlackOptions {
  config: SlackConfig;
  router: Router;
  pulje: Pulje;
  logger?: Logger;
  /** HTTP mode: where `/slack/…` is served (the web chat's server: `web.mounts.add`). */
  mount?: (prefix: string, handler: (request: Request) => Promise<Response>) => void;
  ack?: Partial<AckTiming>;
  /** Web API retries (429s wait for Retry-After): tests pass 0 or 1. */
  retries?: number;
  onSettled?: (report: SettledReport) => void;
}

/** Start-up cannot go on (a refused token, a missing setting): its message is the one line to show. */
export class SlackStartError extends Error {
  override name = 'SlackStartError';
}

export interface SlackAdapter {
  mode: 'http' | 'socket';
  /** Several workspaces, each with its own installation (OAuth), or one bot token. */
  oauth: boolean;
  /** Pulje's own notices (results at deadlines, reminders, digests) on Slack. */
  notices: NoticeChannel;
  app: App;
  close(): Promise<void>;
}

/** Bolt's log lines into Pulje's logger (pino's shape), without Bolt's debug chatter. */
function boltLogger(log: Logger): BoltLogger {
  const line =
    (level: 'error' | 'warn' | 'info') =>
    (...msg: unknown[]) =>
      log[level](
        { bolt: true },
        msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' '),
      );
  return {
    debug: () => {},
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/**
 * Starts the Slack adapter: one Bolt App, in Socket Mode when SLACK_APP_TOKEN is set, otherwise in HTTP mode on
 * the web chat's server (`POST /slack/events`). Nothing happens at import time.
 */
export async function startSlack(opts: StartSlackOptions): Promise<SlackAdapter> {
  const { config } = opts;
  const log = opts.logger ?? silentLogger;
  const token = config.SLACK_BOT_TOKEN;
  const oauth = Boolean(config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET);
  if (!token && !oauth) throw new SlackStartError('SLACK_BOT_TOKEN is not set (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)');
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    retryConfig: { retries: opts.retries ?? 3, factor: 1.6, minTimeout: 500, maxTimeout: 30_000 },
  };
  const socket = Boolean(config.SLACK_APP_TOKEN);
  let receiver: FetchReceiver | undefined;
  const stateSecret = config.SLACK_STATE_SECRET ?? config.PULJE_SECRET;
  if (oauth && !stateSecret)
    throw new SlackStartError('Slack OAuth needs SLACK_STATE_SECRET or PULJE_SECRET (it signs the state and seals tokens)');
  const store = databaseInstallationStore(opts.pulje, stateSecret ?? '');
  if (!socket) {
    if (!config.SLACK_SIGNING_SECRET) throw new SlackStartError('SLACK_SIGNING_SECRET is not set (or set SLACK_APP_TOKEN for Socket Mode)');
    if (!opts.mount) throw new Error('slack: HTTP mode needs the web server to mount /slack on');
    let routes: ReturnType<typeof oauthRoutes> | undefined;
    if (oauth) {
      routes = oauthRoutes({
        clientId: config.SLACK_CLIENT_ID!,
        clientSecret: config.SLACK_CLIENT_SECRET!,
        stateSecret: stateSecret!,
        ...(config.PULJE_PUBLIC_URL ? { redirectUri: new URL('/slack/oauth_redirect', config.PULJE_PUBLIC_URL).toString() } : {}),
        ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
        store,
        log,
        secure: config.PULJE_PUBLIC_URL?.startsWith('https:') ?? false,
      });
    }
    receiver = new FetchReceiver({ signingSecret: config.SLACK_SIGNING_SECRET, log, ...(routes ? { routes } : {}) });
  } else if (oauth && !token) throw new SlackStartError('Slack Socket Mode serves one workspace: set SLACK_BOT_TOKEN');
  // Several workspaces: each event is answered with the token its workspace installed Pulje with.
  const authorize = async (source: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) => {
    const i = await store.fetchInstallation({
      teamId: source.teamId,
      enterpriseId: source.enterpriseId,
      isEnterpriseInstall: source.isEnterpriseInstall ?? false,
    } as Parameters<typeof store.fetchInstallation>[0]);
    return { botToken: i.bot!.token, botId: i.bot!.id, botUserId: i.bot!.userId, teamId: i.team?.id, enterpriseId: i.enterprise?.id };
  };
  // The token is checked here, once: a refused one stops start-up with one line, and Bolt, given the bot's ids,
  // does not check it again on its own (its check is not awaited, so a failure would be an unhandled rejection).
  let bot: { botId?: string; botUserId?: string } = {};
  if (token) {
    try {
      const who = await new webApi.WebClient(token, { ...clientOptions, logger: boltLogger(log) }).auth.test();
      bot = { ...(who.bot_id ? { botId: who.bot_id } : {}), ...(who.user_id ? { botUserId: who.user_id } : {}) };
    } catch (error) {
      throw new SlackStartError(
        `Slack refused SLACK_BOT_TOKEN (${slackError(error) ?? (error as Error).message}); check the token and SLACK_API_URL`,
      );
    }
  }
  const app = new App({
    ...(oauth && !token ? { authorize } : { token, ...bot }),
    logger: boltLogger(log),
    clientOptions,
    ...(socket ? { socketMode: true, appToken: config.SLACK_APP_TOKEN } : { receiver }),
  });
  // The Danish names too (help in Danish names /stem): `/pulje stem` reaches the command through the router's alias.
  knowCommands(opts.router.describeCommands('da').flatMap((c) => (c.localName ? [c.name, c.localName] : [c.name])));
  registerListeners(app, {
    router: opts.router,
    pulje: opts.pulje,
    people: new SlackPeople(opts.pulje, log),
    log,
    defaultLocale: config.PULJE_LOCALE,
    ack: { ...DEFAULT_ACK, ...opts.ack },
    ...(opts.onSettled ? { onSettled: opts.onSettled } : {}),
  });
  app.error(async (error) => {
    log.error({ err: error }, 'slack: a listener failed');
  });
  await app.start();
  if (receiver) opts.mount!('/slack', receiver.handle);
  log.info({ mode: socket ? 'socket' : 'http' }, socket ? 'Slack adapter on (Socket Mode)' : 'Slack adapter on (POST /slack/events)');
  return {
    mode: socket ? 'socket' : 'http',
    oauth: oauth && !token,
    app,
    notices: slackNotices({
      tokens: async () => (token ? [token] : (await store.list()).map((i) => i.botToken)),
      clientOptions,
      pulje: opts.pulje,
      log,
    }),
    close: async () => {
      await app.stop();
    },
  };
}
