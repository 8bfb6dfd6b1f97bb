import { afterEach, expect, it } from 'vitest';
import { createRouter } from '../../src/app.ts';
import type { InboundEventInput } from '../../src/conversation/index.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { discordLike } from '../conversation/surfaces.ts';
import { Chat, failOnError, replyTexts } from '../flows/harness.ts';
import { describeEachEngine } from '../support/databases.ts';
import { type RunningBolt, startBoltHttp } from '../support/slack/bolt.ts';
import { type SlackStandIn, startSlackStandIn } from '../support/slack/index.ts';

let slack: SlackStandIn | undefined;
let bolt: RunningBolt | undefined;
afterEach(async () => {
  await bolt?.stop();
  await slack?.close();
  bolt = undefined;
  slack = undefined;
});

describeEachEngine('discussion capture from Slack', (db) => {
  it('a Slack adapter only has to turn `message` events into the neutral message event: capture and summaries follow', async () => {
    slack = await startSlackStandIn();
    const ws = slack.workspace();
    const general = [...ws.channels.values()].find((c) => c.name === 'general')!.id;
    const user = (name: string) => [...ws.users.values()].find((u) => u.name === name)!;
    const pulje = createPulje({ db: db() });
    const boot = await pulje.setup.createOrganisation({
      name: 'Køge',
      group: { name: 'Klubben', locale: 'da' },
      admin: { displayName: 'Admin', platform: 'slack', externalId: user('admin').id },
    });
    for (const [name, role] of [
      ['ida', 'youth'],
      ['noah', 'youth'],
      ['kari', 'staff'],
    ] as const)
      await pulje.setup.addMember(
        { personId: boot.admin.id },
        { groupId: boot.group.id, role, platform: 'slack', externalId: user(name).id, displayName: user(name).displayName },
      );
    await pulje.setup.bindConversation({ personId: boot.admin.id }, { groupId: boot.group.id, platform: 'slack', channelId: general });
    const router = createRouter({ defaultLocale: 'da', pulje, logger: failOnError });

    // What the Slack adapter will do with Bolt's `message` listener (https://docs.slack.dev/reference/events/message):
    // the event's ts is its id; thread_ts names the thread; event_id is Slack's delivery id for redeliveries.
    let handled = 0;
    let waiting: { count: number; resolve: () => void } | undefined;
    const handledUpTo = (count: number) =>
      new Promise<void>((resolve) => {
        if (handled >= count) resolve();
        else waiting = { count, resolve };
      });
    bolt = await startBoltHttp(slack, (app) => {
      app.message(async ({ message, body }) => {
        const m = message as { user?: string; text?: string; ts: string; channel: string; thread_ts?: string; subtype?: string };
        if (m.subtype || !m.user) return;
        const event: InboundEventInput = {
          kind: 'message',
          idempotencyKey: `event:${(body as { event_id: string }).event_id}`,
          messageId: m.ts,
          actor: { platform: 'slack', externalId: m.user, displayName: '' },
          conversation: { platform: 'slack', channelId: m.channel },
          text: m.text ?? '',
          ...(m.thread_ts && m.thread_ts !== m.ts ? { thread: { id: m.thread_ts, name: '' } } : {}),
        };
        await router.handle(event, { limits: discordLike });
        handled++;
        if (waiting && handled >= waiting.count) waiting.resolve();
      });
    });
    // One after another, as a conversation goes (Bolt acknowledges before its listener has finished).
    const lines = [
      ['ida', 'Vi vil have en bordtennisplade'],
      ['noah', 'Bordtennisplade er en god idé, enig'],
      ['kari', 'Hvor skal bordtennispladen stå?'],
    ] as const;
    for (const [i, [who, text]] of lines.entries()) {
      await slack.userPosts({ channelId: general, userId: user(who).id, text });
      await handledUpTo(i + 1);
    }
    const rows = await db().prisma.discussionMessage.findMany({ orderBy: { at: 'asc' } });
    expect(rows.map((r) => [r.role, r.text])).toEqual([
      ['youth', 'Vi vil have en bordtennisplade'],
      ['youth', 'Bordtennisplade er en god idé, enig'],
      ['staff', 'Hvor skal bordtennispladen stå?'],
    ]);
    // The summary in that channel draws on them.
    const chat = new Chat(router, discordLike, general, 'slack');
    const text = replyTexts(await chat.command({ key: 'kari', name: 'Kari', externalId: user('kari').id }, 'summary'));
    expect(text).toMatch(/Temaer\n• Bordtennisplade \[1\]\[2\]\[3\]/);
  });
});
