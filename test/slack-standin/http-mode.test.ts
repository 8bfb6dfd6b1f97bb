import { RespondError } from '@slack/bolt';
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

async function setUp(register: Parameters<typeof startBoltHttp>[1], options: SlackStandInOptions = {}) {
  slack = await startSlackStandIn(options);
  bolt = await startBoltHttp(slack, register);
  return { slack, bolt };
}

/** Resolves when resolve() is called: lets a test hold a listener at a point and release it. */
function gate<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('Slack stand-in, HTTP mode, with the real Bolt App (HTTPReceiver)', () => {
  it('delivers a signed slash command; the app acks in time and posts a Block Kit message that the stand-in stores', async () => {
    const { slack } = await setUp((app) => {
      app.command('/pulje', async ({ ack, command, client }) => {
        await ack();
        await client.chat.postMessage({
          channel: command.channel_id,
          text: `Forslag: ${command.text}`,
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: 'Nyt forslag' } },
            { type: 'section', text: { type: 'mrkdwn', text: `*${command.text}*` } },
            { type: 'actions', elements: [{ type: 'button', action_id: 'vote', text: { type: 'plain_text', text: 'Stem' }, value: 'p1' }] },
          ],
        });
      });
    });
    const general = slack.workspace().channels.values().next().value!.id;
    const delivery = await slack.sendSlashCommand({ text: 'propose 4500 Nye bænke' });
    expect(delivery.status).toBe(200);
    expect(delivery.late).toBe(false);
    expect(delivery.ackMs).toBeLessThan(3000);
    expect(delivery.request.headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    const message = await slack.waitForMessage(general);
    expect(message).toMatchObject({ text: 'Forslag: propose 4500 Nye bænke', via: 'chat.postMessage', user: slack.workspace().botUserId });
    expect(message.blocks).toHaveLength(3);
    expect(slack.callsTo('chat.postMessage')[0]).toMatchObject({
      status: 200,
      contentType: 'form',
      response: { ok: true, channel: general },
    });
  });

  it('an ack body with blocks is the command response: ephemeral to the user unless response_type is in_channel', async () => {
    const { slack } = await setUp((app) => {
      app.command('/pulje', async ({ ack, command }) => {
        if (command.text === 'help')
          await ack({ text: 'Hjælp', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '`/pulje propose`' } }] });
        else await ack({ response_type: 'in_channel', text: 'Afstemningen er lukket' });
      });
    });
    const user = [...slack.workspace().users.values()].find((u) => u.name === 'ida')!;
    const help = await slack.sendSlashCommand({ text: 'help', userId: user.id });
    const closed = await slack.sendSlashCommand({ text: 'close', userId: user.id });
    expect(help.outcome.kind).toBe('message');
    expect(closed.outcome.kind).toBe('message');
    const msgs = slack.messages(help.responseUrl.channelId);
    expect(msgs.map((m) => [m.text, m.ephemeralFor, m.via])).toEqual([
      ['Hjælp', user.id, 'ack'],
      ['Afstemningen er lukket', undefined, 'ack'],
    ]);
  });

  it('refuses a bad or stale signature: Bolt answers 401 and the listener never runs', async () => {
    let ran = 0;
    const { slack } = await setUp((app) => {
      app.command('/pulje', async ({ ack }) => {
        ran += 1;
        await ack();
      });
    });
    const bad = await slack.sendSlashCommand({ text: 'help', signature: 'bad' });
    const stale = await slack.sendSlashCommand({ text: 'help', signature: 'stale' });
    expect([bad.status, stale.status]).toEqual([401, 401]);
    expect(ran).toBe(0);
    const good = await slack.sendSlashCommand({ text: 'help' });
    expect(good.status).toBe(200);
    expect(ran).toBe(1);
  });

  it('a Block Kit message over Slack’s limits is refused with invalid_blocks and Slack’s pointer messages; nothing is stored', async () => {
    const failure = gate<unknown>();
    const { slack } = await setUp((app) => {
      app.command('/pulje', async ({ ack, say }) => {
        await ack();
        const blocks = Array.from({ length: 51 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `Forslag ${i + 1}` } }));
        await say({ text: 'Alle forslag', blocks }).catch((err: unknown) => failure.resolve(err));
      });
    });
    const delivery = await slack.sendSlashCommand({ text: 'list' });
    const err = (await failure.promise) as { code: string; data: { error: string; response_metadata: { messages: string[] } } };
    expect(err.code).toBe('slack_webapi_platform_error');
    expect(err.data.error).toBe('invalid_blocks');
    expect(err.data.response_metadata.messages).toEqual(['[ERROR] no more than 50 items allowed [json-pointer:/blocks]']);
    expect(slack.messages(delivery.responseUrl.channelId)).toEqual([]);
  });

  it('a response_url takes five posts; the sixth is refused with 404 and Bolt’s respond() throws', async () => {
    const results = gate<Array<number | string>>();
    const { slack } = await setUp((app) => {
      app.command('/pulje', async ({ ack, respond }) => {
        await ack();
        const out: Array<number | string> = [];
        for (let i = 1; i <= 6; i++) {
          try {
            const res = await respond({ text: `Opdatering ${i}` });
            out.push(res.status);
          } catch (err) {
            out.push(err instanceof RespondError ? `RespondError ${err.statusCode}` : String(err));
          }
        }
        results.resolve(out);
      });
    });
    const delivery = await slack.sendSlashCommand({ text: 'status' });
    expect(await results.promise).toEqual([200, 200, 200, 200, 200, 'RespondError 404']);
    expect(delivery.responseUrl.uses).toBe(5);
    expect(delivery.responseUrl.attempts.at(-1)).toMatchObject({ status: 404, error: 'used_url' });
    expect(slack.messages(delivery.responseUrl.channelId).filter((m) => m.via === 'response_url')).toHaveLength(5);
  });

  it('a trigger_id is good for 3 seconds: views.open after that answers expired_trigger_id and opens nothing', async () => {
    const clock = new ManualClock();
    const release = gate();
    const outcome = gate<unknown>();
    const { slack } = await setUp(
      (app) => {
        app.command('/pulje', async ({ ack, body, client }) => {
          await ack();
          if (body.text === 'late') await release.promise;
          const view = {
            type: 'modal' as const,
            callback_id: 'propose',
            title: { type: 'plain_text' as const, text: 'Nyt forslag' },
            submit: { type: 'plain_text' as const, text: 'Send' },
            blocks: [
              {
                type: 'input',
                block_id: 'title',
                label: { type: 'plain_text', text: 'Titel' },
                element: { type: 'plain_text_input', action_id: 'v', max_length: 80 },
              },
            ],
          };
          await client.views.open({ trigger_id: body.trigger_id, view }).then(
            (r) => outcome.resolve(r.view?.id),
            (err: { data?: { error?: string } }) => outcome.resolve(err.data?.error),
          );
        });
      },
      { clock },
    );
    await slack.sendSlashCommand({ text: 'late' });
    clock.advance(3001);
    release.resolve();
    expect(await outcome.promise).toBe('expired_trigger_id');
    expect(slack.views()).toEqual([]);
  });

  it('opens a modal in time, then a view_submission answered with response_action errors keeps it open; unknown block ids are refused', async () => {
    const opened = gate<string>();
    const { slack } = await setUp((app) => {
      app.command('/pulje', async ({ ack, body, client }) => {
        await ack();
        const r = await client.views.open({
          trigger_id: body.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'propose',
            title: { type: 'plain_text', text: 'Nyt forslag' },
            submit: { type: 'plain_text', text: 'Send' },
            blocks: [
              {
                type: 'input',
                block_id: 'amount',
                label: { type: 'plain_text', text: 'Beløb (kr.)' },
                element: { type: 'plain_text_input', action_id: 'v' },
              },
            ],
          },
        });
        opened.resolve(r.view?.id as string);
      });
      app.view('propose', async ({ ack, view }) => {
        const amount = view.state.values.amount?.v?.value ?? '';
        if (!/^\d+$/.test(amount))
          await ack({ response_action: 'errors', errors: { [amount === 'x' ? 'nope' : 'amount']: 'Skriv et beløb i hele kroner' } });
        else await ack();
      });
    });
    await slack.sendSlashCommand({ text: 'propose' });
    const viewId = await opened.promise;
    const wrong = await slack.sendViewSubmission({ viewId, values: { amount: { v: { value: 'mange' } } } });
    expect(wrong.outcome).toEqual({ kind: 'errors', viewId });
    expect(slack.view(viewId).open).toBe(true);
    const unknownBlock = await slack.sendViewSubmission({ viewId, values: { amount: { v: { value: 'x' } } } });
    expect(unknownBlock.outcome).toMatchObject({ kind: 'refused', error: 'invalid_arguments' });
    const right = await slack.sendViewSubmission({ viewId, values: { amount: { v: { value: '4500' } } } });
    expect(right.outcome).toEqual({ kind: 'close' });
    expect(slack.view(viewId).open).toBe(false);
  });

  it('Events API: an app that answers late gets the event again with X-Slack-Retry-Num / Reason, which Bolt exposes as context.retryNum', async () => {
    const seen: Array<{ retryNum: number | undefined; retryReason: string | undefined; eventId: string }> = [];
    const retried = gate();
    slack = await startSlackStandIn({ ackDeadlineMs: 500, eventRetryDelaysMs: [0, 0, 0] });
    bolt = await startBoltHttp(
      slack,
      (app) => {
        app.event('app_mention', async ({ context, body }) => {
          seen.push({ retryNum: context.retryNum, retryReason: context.retryReason, eventId: (body as { event_id: string }).event_id });
          // processBeforeResponse: the HTTP answer waits for this listener; the first one waits for Slack's retry.
          if (context.retryNum === undefined) await retried.promise;
          else retried.resolve();
        });
      },
      { processBeforeResponse: true },
    );
    const general = [...slack.workspace().channels.values()][0]!.id;
    const delivery = await slack.sendEvent({
      event: { type: 'app_mention', user: [...slack.workspace().users.keys()][1], text: '<@bot> hej', channel: general },
    });
    expect(delivery.delivered).toBe(true);
    expect(
      delivery.attempts.map((a) => [
        a.late || a.missing,
        a.request.headers['x-slack-retry-num'],
        a.request.headers['x-slack-retry-reason'],
      ]),
    ).toEqual([
      [true, undefined, undefined],
      [false, '1', 'http_timeout'],
    ]);
    expect(seen.map((s) => [s.retryNum, s.retryReason])).toEqual([
      [undefined, undefined],
      [1, 'http_timeout'],
    ]);
    // Bolt does not deduplicate: both deliveries carry the same event_id, the product must act once on it.
    expect(new Set(seen.map((s) => s.eventId)).size).toBe(1);
    expect(slack.takeViolations('late-ack')).toHaveLength(1);
  });

  it('answers url_verification through Bolt’s receiver', async () => {
    const { slack } = await setUp(() => {});
    const { result, echoed } = await slack.sendUrlVerification();
    expect(result.status).toBe(200);
    expect(echoed).toBe(true);
  });

  it('a button in a posted message sends block_actions; respond({replace_original}) replaces that message', async () => {
    const posted = gate<string>();
    const { slack } = await setUp((app) => {
      app.command('/pulje', async ({ ack, say }) => {
        await ack();
        const r = await say({
          text: 'Stem nu',
          blocks: [
            { type: 'section', block_id: 'ballot', text: { type: 'mrkdwn', text: 'Stem på *Nye bænke*' } },
            {
              type: 'actions',
              block_id: 'buttons',
              elements: [{ type: 'button', action_id: 'vote', text: { type: 'plain_text', text: 'Stem' }, value: 'p1' }],
            },
          ],
        });
        posted.resolve(r.ts as string);
      });
      app.action('vote', async ({ ack, respond, body }) => {
        await ack();
        const value = (body as { actions: Array<{ value: string }> }).actions[0]?.value;
        await respond({ replace_original: true, text: `Tak, din stemme på ${value} er modtaget` });
      });
    });
    const command = await slack.sendSlashCommand({ text: 'vote' });
    const ts = await posted.promise;
    const click = await slack.sendBlockAction({ channelId: command.responseUrl.channelId, messageTs: ts, actionId: 'vote' });
    expect(click.status).toBe(200);
    const replaced = await slack.waitFor(
      () => slack!.messages(command.responseUrl.channelId).find((m) => m.ts === ts && m.edits.length > 0),
      'the replaced message',
    );
    expect(replaced.text).toBe('Tak, din stemme på p1 er modtaget');
  });
});
