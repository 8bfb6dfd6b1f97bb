import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type RunningBolt, startBoltSocket } from '../support/slack/bolt.ts';
import { type SlackStandIn, type SlackStandInOptions, startSlackStandIn } from '../support/slack/index.ts';

let slack: SlackStandIn | undefined;
let bolt: RunningBolt | undefined;

afterEach(async () => {
  await bolt?.stop();
  await slack?.close();
  bolt = undefined;
  slack = undefined;
});

async function setUp(register: Parameters<typeof startBoltSocket>[1], options: SlackStandInOptions = {}) {
  slack = await startSlackStandIn({ transport: 'socket', ...options });
  bolt = await startBoltSocket(slack, register);
  return slack;
}

describe('Slack stand-in, Socket Mode, with the real Bolt App', () => {
  it('connects through apps.connections.open with the app token, gets hello, and acks a slash command envelope; the app then posts Block Kit', async () => {
    const s = await setUp((app) => {
      app.command('/pulje', async ({ ack, command, client }) => {
        await ack({ text: 'Modtaget' });
        await client.chat.postMessage({
          channel: command.channel_id,
          text: 'Nyt forslag',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${command.text}*` } }],
        });
      });
    });
    expect(s.callsTo('apps.connections.open')).toHaveLength(1);
    expect(s.socketMode.openConnections).toBe(1);
    const delivery = await s.sendSlashCommand({ text: 'propose 200 Bordtennisbord' });
    expect(delivery.transport).toBe('socket');
    expect(delivery.missing).toBe(false);
    expect(delivery.ackMs).toBeLessThan(3000);
    // Bolt's ack(text) travels back as the envelope's payload, and Slack shows it to the user.
    expect(delivery.ack).toEqual({ text: 'Modtaget' });
    expect(delivery.outcome.kind).toBe('message');
    const channel = delivery.responseUrl.channelId;
    const posted = await s.waitForMessage(channel, (m) => m.via === 'chat.postMessage');
    expect(posted.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*propose 200 Bordtennisbord*' } }]);
    expect(s.socketMode.envelopes[0]).toMatchObject({ type: 'slash_commands', ack: { text: 'Modtaget' } });
  });

  it('bot tokens cannot open Socket Mode connections; app tokens cannot call chat.postMessage', async () => {
    slack = await startSlackStandIn();
    const call = (method: string, token: string) =>
      fetch(`${slack!.apiUrl}${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'channel=x&text=y',
      }).then((r) => r.json());
    expect(await call('apps.connections.open', slack.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await call('chat.postMessage', slack.appToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    const opened = (await call('apps.connections.open', slack.appToken)) as { ok: boolean; url: string };
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
  });

  it('events_api envelopes are acked by Bolt and carry retry_attempt / retry_reason into context', async () => {
    const seen: Array<[number | undefined, string | undefined, string]> = [];
    let heard!: () => void;
    const listened = new Promise<void>((r) => {
      heard = r;
    });
    const s = await setUp((app) => {
      app.event('app_home_opened', async ({ context, event }) => {
        seen.push([context.retryNum, context.retryReason, event.user]);
        heard();
      });
    });
    const user = [...s.workspace().users.values()].find((u) => u.name === 'noah')!.id;
    const delivery = await s.sendEvent({ event: { type: 'app_home_opened', user, channel: 'D0X', tab: 'home' } });
    expect(delivery.delivered).toBe(true);
    expect(delivery.attempts).toHaveLength(1);
    await listened;
    expect(seen).toEqual([[0, '', user]]);
  });

  it('a disconnect (refresh_requested) makes the client fetch a new URL and reconnect; envelopes flow on the new connection', async () => {
    let commands = 0;
    const s = await setUp((app) => {
      app.command('/pulje', async ({ ack }) => {
        commands += 1;
        await ack();
      });
    });
    s.socketMode.requestReconnect('refresh_requested');
    await s.waitFor(
      () => (s.socketMode.history.length === 2 && s.socketMode.openConnections === 1 ? true : undefined),
      'a second connection',
    );
    expect(s.callsTo('apps.connections.open')).toHaveLength(2);
    expect(s.socketMode.history[0]?.closedAt).toBeDefined();
    const d = await s.sendSlashCommand({ text: 'help' });
    expect(d.missing).toBe(false);
    expect(commands).toBe(1);
    expect(s.socketMode.envelopes.at(-1)?.connectionId).toBe(2);
  });

  it('records an envelope the app never acknowledges within the deadline', async () => {
    const s = await setUp(
      (app) => {
        app.command('/pulje', async () => {
          // never acks
        });
      },
      { ackDeadlineMs: 300 },
    );
    const d = await s.sendSlashCommand({ text: 'help' });
    expect(d.missing).toBe(true);
    expect(d.outcome).toEqual({ kind: 'refused', error: 'timeout' });
    expect(s.takeViolations('socket-missing-ack')).toHaveLength(1);
  });

  it('a view_submission envelope accepts a response payload: response_action errors from Bolt’s ack reach the stand-in', async () => {
    const s = await setUp((app) => {
      app.shortcut('propose', async ({ ack, body, client }) => {
        await ack();
        await client.views.open({
          trigger_id: (body as { trigger_id: string }).trigger_id,
          view: {
            type: 'modal',
            callback_id: 'propose',
            title: { type: 'plain_text', text: 'Forslag' },
            submit: { type: 'plain_text', text: 'Send' },
            blocks: [
              {
                type: 'input',
                block_id: 'title',
                label: { type: 'plain_text', text: 'Titel' },
                element: { type: 'plain_text_input', action_id: 'v' },
              },
            ],
          },
        });
      });
      app.view('propose', async ({ ack }) => {
        await ack({ response_action: 'errors', errors: { title: 'For kort' } });
      });
    });
    await s.sendShortcut({ callbackId: 'propose' });
    const opened = await s.waitForCall('views.open');
    const viewId = (opened.response.view as { id: string }).id;
    // The modal belongs to whoever pressed the shortcut (the first person in the workspace by default).
    expect(s.view(viewId)).toMatchObject({
      type: 'modal',
      open: true,
      userId: [...s.workspace().users.values()].find((u) => !u.isBot)?.id,
    });
    const d = await s.sendViewSubmission({ viewId, values: { title: { v: { value: 'x' } } } });
    expect(s.socketMode.envelopes.at(-1)).toMatchObject({ type: 'interactive' });
    expect(d.outcome).toEqual({ kind: 'errors', viewId });
  });

  it('an event whose envelope is not acknowledged in time is sent again with retry_attempt and retry_reason', async () => {
    // Bolt acks events itself before any listener runs, so a stuck app is played by a bare WebSocket client.
    slack = await startSlackStandIn({ transport: 'socket', ackDeadlineMs: 300, eventRetryDelaysMs: [0, 0, 0] });
    const s = slack;
    const opened = (await fetch(`${s.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.appToken}` },
    }).then((r) => r.json())) as { url: string };
    const received: Array<{
      envelope_id: string;
      type: string;
      retry_attempt?: number;
      retry_reason?: string;
      payload: { event_id?: string };
    }> = [];
    const socket = new WebSocket(opened.url);
    socket.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type !== 'events_api') return;
      received.push(msg);
      // Ignore the first delivery; acknowledge the retry.
      if (received.length > 1) socket.send(JSON.stringify({ envelope_id: msg.envelope_id }));
    });
    await s.socketMode.waitForConnections(1);
    const channel = [...s.workspace().channels.values()][0]!.id;
    const d = await s.sendEvent({ event: { type: 'app_mention', user: [...s.workspace().users.keys()][1], text: 'hej', channel } });
    socket.close();
    expect(d.delivered).toBe(true);
    expect(d.attempts.map((a) => a.missing)).toEqual([true, false]);
    expect(received.map((m) => [m.retry_attempt, m.retry_reason, m.payload.event_id])).toEqual([
      [0, '', d.eventId],
      [1, 'timeout', d.eventId],
    ]);
    expect(s.takeViolations('socket-missing-ack')).toHaveLength(1);
  });
});
