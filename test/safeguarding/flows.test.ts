import { expect, it } from 'vitest';
import { createRouter } from '../../src/app.ts';
import { HELP_LINES } from '../../src/safeguarding/index.ts';
import { Chat, failOnError, replyTexts, textOf } from '../flows/harness.ts';
import { describeEachEngine } from '../support/databases.ts';
import { recordingNotifier, staffWorld } from '../staff/harness.ts';
import { discordLike } from '../conversation/surfaces.ts';
import { startOpenAIStandIn } from '../support/openai/index.ts';
import { standInModel } from '../staff/harness.ts';

// Crisis signposting through the real flows (the chat place plays a Discord-like surface): the private answer in
// the same interaction, the private staff alert, nothing public, per-organisation settings.

async function world(db: Parameters<typeof staffWorld>[0], model?: Parameters<typeof createRouter>[0]['staff']) {
  const w = await staffWorld(db);
  const rec = recordingNotifier();
  const router = createRouter({
    defaultLocale: 'da',
    pulje: w.pulje,
    logger: failOnError,
    alerts: { notifier: rec.notifier },
    staff: { now: w.clock.now, ...model },
  });
  const chat = new Chat(router, discordLike);
  return { ...w, router, chat, rec };
}

const noticeText = (body: unknown) => JSON.stringify(body);

describeEachEngine('crisis signposting in chat', (db) => {
  it('a message about self-harm gets a private, warm answer with help open now; staff get a private alert without the words', async () => {
    const w = await world(db());
    const [aya] = w.youth;
    const words = 'jeg har skåret i mig selv igen i nat';
    const before = w.chat.messages.length;
    const out = await w.chat.send(aya!, { kind: 'message', text: words });
    // Within the same interaction, privately.
    expect(out.replies.every((r) => r.kind === 'send' && r.visibility === 'private')).toBe(true);
    const text = replyTexts(out);
    expect(text).toContain('Tak, fordi du skriver det');
    expect(text).toContain('116 111');
    expect(text).toContain('112');
    // 2026-03-01 10:00 UTC is 11:00 in Copenhagen: Livslinien (11–05) is open.
    expect(text).toContain('Livslinien – Åben nu');
    expect(text).toContain(`sidst tjekket ${HELP_LINES.lastChecked}`);
    expect(text).toContain('En voksen fra gruppen får en privat besked');
    // Nothing public was posted, and only Aya sees the answer.
    expect(w.chat.messages.slice(before).every((m) => m.recipient === aya!.key)).toBe(true);
    for (const other of [w.youth[1]!, w.staff])
      expect(w.chat.visibleTo(other).some((m) => textOf(m.message).includes('116 111'))).toBe(false);
    // Staff and the admin are alerted privately; never Aya, and never with her words.
    expect(w.rec.announcements).toHaveLength(0);
    expect(w.rec.notices.map((n) => n.personId).sort()).toEqual([w.admin.personId, w.staff.personId].sort());
    for (const n of w.rec.notices) {
      expect(noticeText(n.body)).toContain('Aya Hansen');
      expect(noticeText(n.body)).toContain('selvskade');
      expect(noticeText(n.body)).not.toContain('skåret');
    }
    const rows = await db().prisma.safeguardingAlert.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ level: 'urgent', source: 'message', via: 'phrases', alerted: 2, personId: aya!.personId });
    expect(JSON.stringify(rows[0])).not.toContain('skåret');
    // More worried messages soon after: each gets its answer, staff are not alerted again for a while.
    w.clock.advance(3600_000);
    const again = await w.chat.send(aya!, { kind: 'message', text: 'jeg vil ikke leve mere' });
    expect(replyTexts(again)).toContain('En voksen fra gruppen får en privat besked');
    expect(w.rec.notices).toHaveLength(2);
    w.clock.advance(6 * 3600_000);
    await w.chat.send(aya!, { kind: 'message', text: 'jeg vil ikke leve mere' });
    expect(w.rec.notices).toHaveLength(4);
  });

  it('an everyday idiom gets nothing; a joke gets the gentle answer, not the alarming one', async () => {
    const w = await world(db());
    const idiom = await w.chat.send(w.youth[0]!, { kind: 'message', text: 'jeg dør af grin, det var sygt godt' });
    expect(idiom.replies).toHaveLength(0);
    const joke = await w.chat.send(w.youth[1]!, { kind: 'message', text: 'kms lol 😂 den test var hård' });
    const text = replyTexts(joke);
    expect(text).toContain('Hvis du har brug for at tale med nogen');
    expect(text).not.toContain('Tak, fordi du skriver det');
    expect((await db().prisma.safeguardingAlert.findFirstOrThrow()).level).toBe('concern');
  });

  it('an idea whose description signals abuse: the thanks and the private answer, in the same interaction', async () => {
    const w = await world(db());
    const round = await w.pulje.rounds.create(
      { personId: w.staff.personId },
      { groupId: w.groupId, title: 'Sommer', amount: 500_000, ballotType: 'approval', rule: 'greedy' },
    );
    await w.pulje.rounds.openIdeas({ personId: w.staff.personId }, { roundId: round.id });
    const aya = w.youth[0]!;
    await w.chat.command(aya, 'propose');
    const out = await w.chat.submit(aya, {
      title: 'Et sted at være',
      description: 'Et sted at sove, jeg tør ikke tage hjem, min far slår mig',
      cost: '2000',
    });
    expect(out.replies.every((r) => r.kind === 'send' && r.visibility === 'private')).toBe(true);
    const text = replyTexts(out);
    expect(text).toContain('#1');
    expect(text).toContain('Tak, fordi du skriver det');
    const alert = await db().prisma.safeguardingAlert.findFirstOrThrow();
    expect(alert.source).toBe('idea');
    expect(JSON.parse(alert.categories)).toContain('abuse');
    expect(noticeText(w.rec.notices[0]!.body)).toContain('en idé');
  });

  it('per organisation: admins choose who is alerted, or switch the answer off; /support works whatever the detector says', async () => {
    const w = await world(db());
    const aya = w.youth[0]!;
    const settings = await w.chat.command(w.admin, 'safeguarding');
    expect(replyTexts(settings)).toContain('Privat besked til');
    await w.chat.click(w.admin, w.chat.last(w.admin), 'Besked til: kun administratorer');
    await w.chat.send(aya, { kind: 'message', text: 'jeg vil ikke leve mere' });
    expect(w.rec.notices.map((n) => n.personId)).toEqual([w.admin.personId]);

    await w.chat.click(w.admin, w.chat.last(w.admin), 'Besked til: ingen');
    const quiet = await w.chat.send(aya, { kind: 'message', text: 'jeg vil ikke leve mere' });
    expect(replyTexts(quiet)).toContain('116 111');
    expect(replyTexts(quiet)).not.toContain('En voksen fra gruppen');
    expect(w.rec.notices).toHaveLength(1);

    await w.chat.click(w.admin, w.chat.last(w.admin), 'Privat svar med hjælp: slå fra');
    const off = await w.chat.send(aya, { kind: 'message', text: 'jeg vil ikke leve mere' });
    expect(off.replies).toHaveLength(0);
    // Young people cannot change it.
    expect(replyTexts(await w.chat.command(aya, 'safeguarding'))).toMatch(/administrator/i);
    // Help on request, at any time.
    expect(replyTexts(await w.chat.command(aya, 'støtte'))).toContain('116 111');
    // Every change is in the decision log.
    expect(await db().prisma.logEntry.count({ where: { kind: 'config', data: { contains: 'safeguarding_settings' } } })).toBe(3);
  });

  it('help that is closed now is not offered: Livslinien at 06:00 in Copenhagen', async () => {
    const w = await world(db());
    w.clock.set(new Date('2026-03-02T05:00:00Z'));
    const text = replyTexts(await w.chat.send(w.youth[0]!, { kind: 'message', text: 'jeg vil ikke leve mere' }));
    expect(text).not.toContain('Livslinien');
    expect(text).toContain('116 111');
  });

  it('the optional model check: asked only when switched on and the lists find nothing, and it sees the text redacted', async () => {
    const model = await startOpenAIStandIn({ script: [{ reply: 'json', value: { level: 'urgent', categories: ['suicide'] } }] });
    try {
      const w = await world(db(), { model: standInModel(model) });
      const aya = w.youth[0]!;
      const subtle = 'Jonas Berg, ring til mig på 20 30 40 50, jeg har skrevet et brev til mor og givet mine ting væk';
      // Off by default: the phrase lists alone decide, and they find nothing here.
      expect((await w.chat.send(aya, { kind: 'message', text: subtle })).replies).toHaveLength(0);
      expect(model.chatRequests).toHaveLength(0);
      await w.chat.command(w.admin, 'safeguarding');
      await w.chat.click(w.admin, w.chat.last(w.admin), /Sprogmodel.*slå til/);
      const out = await w.chat.send(aya, { kind: 'message', text: subtle });
      expect(replyTexts(out)).toContain('Tak, fordi du skriver det');
      const sent = JSON.stringify(model.chatRequests[0]!.body);
      expect(sent).not.toContain('20 30 40 50');
      expect(sent).toContain('givet mine ting væk');
      expect((await db().prisma.safeguardingAlert.findFirstOrThrow()).via).toBe('model');
      // Words the lists know never wait for the model.
      await w.chat.send(aya, { kind: 'message', text: 'jeg vil ikke leve mere' });
      expect(model.chatRequests).toHaveLength(1);
    } finally {
      expect(model.takeErrors()).toEqual([]);
      await model.close();
    }
  });
});
