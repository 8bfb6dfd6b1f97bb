import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningBolt, startBoltHttp } from '../support/slack/bolt.ts';
import { ManualClock, type SlackStandIn, type SlackStandInOptions, startSlackStandIn } from '../support/slack/index.ts';

let slack: SlackStandIn | undefined;
let bolt: RunningBolt | undefined;
afterEach(async () => {
  await bolt?.stop();
  await slack?.close();
  bolt = undefined;
  slack = undefined;
});

async function setUp(register: (app: App) => void, options: SlackStandInOptions = {}) {
  slack = await startSlackStandIn(options);
  bolt = await startBoltHttp(slack, register);
  return slack;
}

function gate<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const modal = (callbackId: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: callbackId,
  title: { type: 'plain_text' as const, text: 'Stemmeseddel' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Vælg et forslag' } }],
  ...extra,
});

describe('Slack stand-in interactions with the real Bolt App', () => {
  it('a response_url expires after 30 minutes: a later post, even delete_original, answers 404 expired_url and changes nothing', async () => {
    const clock = new ManualClock();
    const results: number[] = [];
    const again = gate();
    const done = gate();
    const s = await setUp(
      (app) => {
        app.command('/pulje', async ({ ack, respond }) => {
          await ack();
          results.push((await respond({ text: 'Første svar', response_type: 'in_channel' })).status);
          await again.promise;
          results.push(
            await respond({ delete_original: true }).then(
              (r) => r.status,
              (e: { statusCode: number }) => e.statusCode,
            ),
          );
          done.resolve();
        });
      },
      { clock },
    );
    const late = await s.sendSlashCommand({ text: 'status' });
    await s.waitFor(() => (late.responseUrl.uses === 1 ? true : undefined), 'the first response');
    clock.advance(30 * 60_000 + 1);
    again.resolve();
    await done.promise;
    expect(results).toEqual([200, 404]);
    expect(late.responseUrl.attempts.at(-1)).toMatchObject({ status: 404, error: 'expired_url' });
    expect(s.messages(late.responseUrl.channelId).filter((m) => !m.deleted)).toHaveLength(1);
  });

  it('delete_original within the lifetime deletes the ephemeral message the button was on', async () => {
    const posted = gate<string>();
    const s = await setUp((app) => {
      app.command('/pulje', async ({ ack, client, command }) => {
        await ack();
        const r = await client.chat.postEphemeral({
          channel: command.channel_id,
          user: command.user_id,
          text: 'Bekræft',
          blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'ok', text: { type: 'plain_text', text: 'OK' } }] }],
        });
        posted.resolve(r.message_ts as string);
      });
      app.action('ok', async ({ ack, respond }) => {
        await ack();
        await respond({ delete_original: true });
      });
    });
    const cmd = await s.sendSlashCommand({ text: 'vote' });
    const ts = await posted.promise;
    await s.sendBlockAction({ channelId: cmd.responseUrl.channelId, messageTs: ts, actionId: 'ok', userId: cmd.payload.user_id });
    await s.waitFor(() => (s.messages(cmd.responseUrl.channelId).find((m) => m.ts === ts)?.deleted ? true : undefined), 'the deletion');
  });

  it('views.push stacks up to 3 views and refuses a fourth; views.update with a stale hash answers hash_conflict', async () => {
    const outcomes: string[] = [];
    // The action listener settles one gate per push, so the test waits on the app, not on time.
    const pushed = [gate(), gate(), gate()];
    const s = await setUp((app) => {
      app.command('/pulje', async ({ ack, body, client }) => {
        await ack();
        await client.views.open({
          trigger_id: body.trigger_id,
          view: modal('root', {
            blocks: [
              { type: 'actions', elements: [{ type: 'button', action_id: 'deeper', text: { type: 'plain_text', text: 'Videre' } }] },
            ],
          }),
        });
      });
      app.action('deeper', async ({ ack, body, client }) => {
        await ack();
        const trigger = (body as { trigger_id: string }).trigger_id;
        const view = modal('pushed', {
          blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'deeper', text: { type: 'plain_text', text: 'Videre' } }] }],
        });
        await client.views.push({ trigger_id: trigger, view }).then(
          () => outcomes.push('pushed'),
          (e: { data: { error: string } }) => outcomes.push(e.data.error),
        );
        pushed[outcomes.length - 1]?.resolve();
      });
    });
    await s.sendSlashCommand({ text: 'vote' });
    const root = (await s.waitForCall('views.open')).response.view as { id: string };
    let top = root.id;
    for (let i = 0; i < 3; i++) {
      await s.sendBlockAction({ viewId: top, actionId: 'deeper', userId: s.view(root.id).userId });
      await pushed[i]!.promise;
      const newest = s
        .views({ type: 'modal' })
        .filter((v) => v.open)
        .at(-1);
      top = newest?.id ?? top;
    }
    expect(outcomes).toEqual(['pushed', 'pushed', 'push_limit_reached']);
    expect(s.views({ type: 'modal' }).filter((v) => v.rootViewId === root.id)).toHaveLength(3);

    const c = bolt!.app.client;
    const current = s.view(root.id);
    await c.views.update({
      view_id: root.id,
      hash: current.hash,
      view: modal('root', { title: { type: 'plain_text', text: 'Opdateret' } }),
    });
    await expect(
      c.views.update({ view_id: root.id, hash: current.hash === 'x' ? 'y' : 'stale', view: modal('root') }),
    ).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
  });

  it('view_closed is sent only for views with notify_on_close; a message shortcut carries the message and a trigger', async () => {
    const closed: string[] = [];
    const shortcuts: string[] = [];
    const s = await setUp((app) => {
      app.command('/pulje', async ({ ack, body, client }) => {
        await ack();
        await client.views.open({
          trigger_id: body.trigger_id,
          view: modal(body.text, body.text === 'notify' ? { notify_on_close: true } : {}),
        });
      });
      app.view({ callback_id: /.*/, type: 'view_closed' }, async ({ ack, view }) => {
        await ack();
        closed.push(view.callback_id);
      });
      app.shortcut('discuss', async ({ ack, shortcut }) => {
        await ack();
        shortcuts.push((shortcut as { message: { text: string } }).message.text);
      });
    });
    await s.sendSlashCommand({ text: 'notify' });
    await s.sendSlashCommand({ text: 'quiet' });
    await s.waitFor(() => (s.views({ type: 'modal' }).length === 2 ? true : undefined), 'two modals');
    const [notify, quiet] = s.views({ type: 'modal' });
    const sentNotify = await s.sendViewClosed({ viewId: notify!.id });
    const sentQuiet = await s.sendViewClosed({ viewId: quiet!.id });
    expect(sentNotify?.status).toBe(200);
    expect(sentQuiet).toBeUndefined();
    expect(closed).toEqual(['notify']);

    const channel = [...s.workspace().channels.values()][0]!.id;
    await s.userPosts({
      channelId: channel,
      userId: [...s.workspace().users.values()].find((u) => u.name === 'ida')!.id,
      text: 'Lad os få en bordtennisplade',
      deliver: false,
    });
    const message = s.messages(channel).at(-1)!;
    const d = await s.sendMessageShortcut({ callbackId: 'discuss', channelId: channel, messageTs: message.ts });
    expect(d.status).toBe(200);
    expect(d.triggerId).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    expect(shortcuts).toEqual(['Lad os få en bordtennisplade']);
  });

  it('the simulated user can only submit what Slack’s client lets through: required inputs, max_length, existing options', async () => {
    const opened = gate<string>();
    const s = await setUp((app) => {
      app.command('/pulje', async ({ ack, body, client }) => {
        await ack();
        const r = await client.views.open({
          trigger_id: body.trigger_id,
          view: modal('ballot', {
            submit: { type: 'plain_text', text: 'Stem' },
            blocks: [
              {
                type: 'input',
                block_id: 'why',
                optional: true,
                label: { type: 'plain_text', text: 'Hvorfor?' },
                element: { type: 'plain_text_input', action_id: 'v', max_length: 10 },
              },
              {
                type: 'input',
                block_id: 'pick',
                label: { type: 'plain_text', text: 'Forslag' },
                element: { type: 'static_select', action_id: 'v', options: [{ text: { type: 'plain_text', text: 'Bænke' }, value: 'p1' }] },
              },
            ],
          }),
        });
        opened.resolve(r.view?.id as string);
      });
      app.view('ballot', async ({ ack }) => {
        await ack();
      });
    });
    await s.sendSlashCommand({ text: 'vote' });
    const viewId = await opened.promise;
    await expect(s.sendViewSubmission({ viewId, values: {} })).rejects.toThrow(/pick is required/);
    await expect(s.sendViewSubmission({ viewId, values: { pick: { v: { option: 'p9' } } } })).rejects.toThrow(/no option with value p9/);
    await expect(
      s.sendViewSubmission({ viewId, values: { pick: { v: { option: 'p1' } }, why: { v: { value: 'x'.repeat(11) } } } }),
    ).rejects.toThrow(/allows 10/);
    const d = await s.sendViewSubmission({ viewId, values: { pick: { v: { option: 'p1' } } } });
    const state = (d.payload.view as { state: { values: Record<string, Record<string, unknown>> } }).state.values;
    expect(state).toEqual({
      why: { v: { type: 'plain_text_input', value: null } },
      pick: { v: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Bænke' }, value: 'p1' } } },
    });
    expect(d.outcome).toEqual({ kind: 'close' });
  });
});
