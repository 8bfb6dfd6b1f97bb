import type { App, webApi } from '@slack/bolt';
import { homeCards } from '../../src/flows/home.ts';
import type { Pulje } from '../../src/usecases/index.ts';
import { fitMessage, serve, type AckTiming, type InboundEventInput, type Logger, type Router } from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import {
  actionEvent,
  commandEvent,
  formEvent,
  messageEvent,
  PROPOSE_SHORTCUT,
  shortcutEvent,
  originOf,
  sourceOf,
  type BlockActionPayload,
  type ViewSubmissionPayload,
} from './inbound.ts';
import { SLACK_LIMITS } from './limits.ts';
import { renderHome } from './render.ts';
import { slackError } from './errors.ts';
import type { SlackPeople } from './roles.ts';
import { SlackSurface, type Ack, type SlackEventDeps } from './surface.ts';

/**
 * Slack wants its acknowledgement within 3 s of sending (https://docs.slack.dev/interactivity/handling-user-interaction),
 * counted from the request's arrival here (Slack's timestamp header has whole seconds only): answers ready by
 * `afterMs` go out with or right after the acknowledgement; slower ones are acknowledged then and answered when
 * ready; by `deadlineMs` it goes out whatever is still unknown.
 */
export const DEFAULT_ACK: AckTiming = { afterMs: 1500, deadlineMs: 2300 };

export interface SettledReport {
  kind: SlackEventDeps['kind'] | 'message' | 'home' | 'uninstall';
  duplicate: boolean;
  deferred: boolean;
  /** Milliseconds from arrival to the acknowledgement; undefined if none was sent (events are acknowledged by Bolt). */
  ackMs: number | undefined;
}

export interface ListenerDeps {
  router: Router;
  pulje: Pulje;
  people: SlackPeople;
  log: Logger;
  defaultLocale: Locale;
  ack: AckTiming;
  onSettled?: (report: SettledReport) => void;
}

type WebClient = webApi.WebClient;
const noAck: Ack = async () => {};

/** Registers Pulje's listeners on a Bolt App: the slash command, every press and submission, and messages. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  // Pulje opened a discussion thread on a card: its name is kept for the replies (which carry only thread_ts).
  const onThreadOpened = async (channelId: string, threadTs: string, name: string) => {
    try {
      await deps.pulje.discussion.threadOpened({ platform: 'slack', channelId, threadId: threadTs, name });
    } catch (error) {
      deps.log.warn({ err: error, channelId }, 'slack: could not keep a discussion thread’s name');
    }
  };
  /**
   * A message's permalink (https://docs.slack.dev/reference/methods/chat.getPermalink: "handles message threads
   * and all conversation types", "hundreds of requests per minute"); undefined if Slack gave none (captured without).
   */
  const permalink = async (client: WebClient, channel: string, ts: string): Promise<string | undefined> => {
    try {
      const r = await client.chat.getPermalink({ channel, message_ts: ts });
      return r.permalink && /^https:\/\//.test(r.permalink) && r.permalink.length <= 500 ? r.permalink : undefined;
    } catch (error) {
      deps.log.warn({ err: error, code: slackError(error), channel }, 'slack: no permalink for a message; captured without');
      return undefined;
    }
  };
  const run = async (surface: SlackSurface, event: InboundEventInput, kind: SettledReport['kind'], arrived: number, startedAt: number) => {
    let duplicate = false;
    try {
      const served = await serve(deps.router, surface, event, {
        ack: deps.ack,
        startedAt,
        fallbackLocale: deps.defaultLocale,
        log: deps.log,
      });
      duplicate = served.duplicate || served.busy;
      if (!duplicate) await surface.settle(served.outcome?.locale ?? deps.defaultLocale);
    } catch (error) {
      deps.log.error({ err: error, kind }, 'slack: could not handle an event');
      await surface.finish();
    }
    deps.onSettled?.({
      kind,
      duplicate,
      deferred: surface.deferred,
      ackMs: surface.ackedAt === undefined ? undefined : surface.ackedAt - arrived,
    });
  };

  app.command('/pulje', async ({ command, ack, client }) => {
    const arrived = performance.now();
    const startedAt = Date.now();
    const actor = await deps.people.actor(client, command.team_id, command.user_id, command.channel_id, command.user_name);
    const surface = new SlackSurface({
      kind: 'command',
      client,
      ack: ack as Ack,
      log: deps.log,
      cards: deps.pulje.publicCards,
      teamId: command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      responseUrl: command.response_url,
      onThreadOpened,
    });
    await run(surface, commandEvent(command, actor), 'command', arrived, startedAt);
  });

  app.action(/.*/, async ({ body, ack, client }) => {
    const arrived = performance.now();
    const startedAt = Date.now();
    if (body.type !== 'block_actions') return ack();
    const p = body as unknown as BlockActionPayload & { user: { id: string; name?: string }; response_url?: string };
    if (!p.actions?.length) return ack();
    const source = sourceOf(p);
    // Controls in a modal or on the Home tab belong to no channel: the person's own place.
    const channelId = source?.channelId ?? p.channel?.id ?? `home:${p.user.id}`;
    const teamId = p.team?.id ?? '';
    const actor = await deps.people.actor(client, teamId, p.user.id, channelId, p.user.name);
    const surface = new SlackSurface({
      kind: 'action',
      client,
      ack: ack as Ack,
      log: deps.log,
      cards: deps.pulje.publicCards,
      teamId,
      userId: p.user.id,
      channelId,
      ...(p.trigger_id ? { triggerId: p.trigger_id } : {}),
      ...(p.response_url ? { responseUrl: p.response_url } : {}),
      ...(source ? { source: { ts: source.messageId, ephemeral: p.container?.is_ephemeral === true } } : {}),
      onThreadOpened,
    });
    await run(surface, actionEvent(p, actor, channelId), 'action', arrived, startedAt);
  });

  app.view(/.*/, async ({ body, ack, client }) => {
    const arrived = performance.now();
    const startedAt = Date.now();
    if (body.type !== 'view_submission') return ack();
    const p = body as unknown as ViewSubmissionPayload & { user: { id: string; name?: string } };
    const origin = originOf(p.view.private_metadata);
    // Not a modal Pulje opened: closing it is all there is to do.
    if (!origin) return ack();
    const teamId = p.team?.id ?? '';
    const actor = await deps.people.actor(client, teamId, p.user.id, origin.c, p.user.name);
    const surface = new SlackSurface({
      kind: 'form',
      client,
      ack: ack as Ack,
      log: deps.log,
      cards: deps.pulje.publicCards,
      teamId,
      userId: p.user.id,
      channelId: origin.c,
      ...(origin.r ? { responseUrl: origin.r } : {}),
      ...(origin.s ? { source: { ts: origin.s, ephemeral: origin.e === 1 } } : {}),
      viewBlocks: p.view.blocks ?? [],
      onThreadOpened,
    });
    await run(surface, formEvent(p, actor, origin), 'form', arrived, startedAt);
  });

  // A message shortcut: "Foreslå som idé" on someone's message opens the idea form with its text as the title.
  app.shortcut({ callback_id: PROPOSE_SHORTCUT, type: 'message_action' }, async ({ shortcut, ack, client }) => {
    const arrived = performance.now();
    const startedAt = Date.now();
    const p = shortcut as unknown as Parameters<typeof shortcutEvent>[0] & { user: { id: string; name?: string }; response_url?: string };
    const teamId = p.team?.id ?? '';
    const actor = await deps.people.actor(client, teamId, p.user.id, p.channel.id, p.user.name);
    // Like a press: Slack shows nothing of a shortcut's acknowledgement body, so answers go through the response_url.
    const surface = new SlackSurface({
      kind: 'action',
      client,
      ack: ack as Ack,
      log: deps.log,
      cards: deps.pulje.publicCards,
      teamId,
      userId: p.user.id,
      channelId: p.channel.id,
      triggerId: p.trigger_id,
      ...(p.response_url ? { responseUrl: p.response_url } : {}),
      onThreadOpened,
    });
    await run(surface, shortcutEvent(p, actor), 'action', arrived, startedAt);
  });

  // Any other shortcut (an id from an older manifest) is acknowledged at once: Slack shows "something went wrong"
  // after 3 s without one, and Bolt would answer 500.
  app.shortcut({ callback_id: new RegExp(`^(?!${PROPOSE_SHORTCUT}$)`) }, async ({ ack }) => {
    await ack();
  });

  app.event('message', async ({ event, body, client }) => {
    const arrived = performance.now();
    const m = event as unknown as Parameters<typeof messageEvent>[1] & { team?: string };
    if (m.subtype || m.bot_id || !m.user) return;
    const teamId = (body as { team_id?: string }).team_id ?? m.team ?? '';
    const actor = await deps.people.actor(client as WebClient, teamId, m.user, m.channel);
    const link = await permalink(client as WebClient, m.channel, m.ts);
    const inbound = messageEvent((body as { event_id: string }).event_id, m, actor, link);
    if (!inbound) return;
    const surface = new SlackSurface({
      kind: 'action',
      client,
      ack: noAck,
      log: deps.log,
      cards: deps.pulje.publicCards,
      teamId,
      userId: m.user,
      channelId: m.channel,
      privateByDm: true,
      onThreadOpened,
    });
    await run(surface, inbound, 'message', arrived, Date.now());
  });

  // The Home tab: the person's groups and next steps (src/flows/home.ts), published each time it is opened.
  app.event('app_home_opened', async ({ event, client }) => {
    const arrived = performance.now();
    if (event.tab !== 'home') return;
    try {
      const person = await deps.pulje.directory.person({ platform: 'slack', externalId: event.user });
      const locale = person?.locale ?? deps.defaultLocale;
      const cards = await homeCards(deps.pulje, person?.personId ?? null, locale);
      const view = renderHome(fitMessage({ cards }, SLACK_LIMITS));
      await client.views.publish({ user_id: event.user, view });
    } catch (error) {
      deps.log.warn({ err: error, userId: event.user }, 'slack: could not publish the Home tab');
    }
    deps.onSettled?.({ kind: 'home', duplicate: false, deferred: false, ackMs: performance.now() - arrived });
  });

  // The app removed from a workspace, or its tokens revoked: its installation (OAuth mode) is forgotten.
  const forget = async (teamId: string | undefined, why: string) => {
    try {
      const removed = teamId ? await deps.pulje.slackInstallations.remove({ teamId }) : 0;
      if (removed) deps.log.info({ teamId, why }, 'slack: removed a workspace installation');
    } catch (error) {
      deps.log.error({ err: error, teamId }, 'slack: could not remove an installation');
    }
    deps.onSettled?.({ kind: 'uninstall', duplicate: false, deferred: false, ackMs: undefined });
  };
  app.event('app_uninstalled', async ({ body }) => forget((body as { team_id?: string }).team_id, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ event, body }) => {
    // Only the bot's token matters to Pulje (it holds no user tokens).
    await forget(event.tokens.bot?.length ? (body as { team_id?: string }).team_id : undefined, 'tokens_revoked');
  });
}
