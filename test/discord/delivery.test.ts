import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { ManualClock } from '../support/discord/index.ts';
import { gate, testFlows } from './flows.ts';
import { discordText } from '../../adapters/discord/texts.ts';
import { button, buttons, discordWorld, readable, unescapeDiscord, type World } from './harness.ts';
import { ideasRound } from '../support/rounds.ts';

/** A round of the test group open for ideas, made through the use cases (the flows are not under test here). */
async function roundForIdeas(w: World) {
  const admin = { personId: w.adminPersonId };
  const round = await ideasRound(w.pulje, admin, w.groupId);
  return round;
}

const idea = { title: 'Skatepark', description: 'En rampe ved klubben.', cost: '4.000' };

describeEachEngine('Discord adapter: only what can still be answered is acted on', (db) => {
  it('a proposal form that reaches Pulje 3.5 s after Discord created it creates no proposal and sends nothing', async () => {
    const w = await discordWorld(db(), { flows: true });
    await roundForIdeas(w);
    const opened = w.discord.sendSlashCommand({ name: 'propose', user: w.youth[0] });
    expect((await w.discord.waitForResponse(opened.id)).response.type).toBe(9);

    // Gateway lag: Discord created the submit 3.5 s before it was delivered; its token is dead on arrival.
    const late = w.discord.sendModalSubmit({ interactionId: opened.id, values: idea, lagMs: 3500 });
    expect(await w.settled(late.id)).toMatchObject({ expired: true, deferred: false, ackMs: undefined });
    expect(w.discord.interaction(late.id).attempts).toEqual([]);
    expect(await db().prisma.proposal.count()).toBe(0);
    expect(w.log.entries.map((e) => e.msg)).toContain('conversation: event arrived after its answer window; not acted on');

    // Submitted again (as after "This interaction failed"), in time: one proposal, not two.
    const again = w.discord.sendModalSubmit({ interactionId: opened.id, values: idea });
    await w.settled(again.id);
    expect((await db().prisma.proposal.findMany()).map((p) => p.title)).toEqual(['Skatepark']);
  });

  it('a slow command that arrives late but within its window is deferred at once, counting from its creation', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }) });
    // 1.8 s old on arrival, with the production timings: past the 1.5 s after which a slow answer is deferred.
    // Counted from arrival, the deferral would go out 1.5 s later, 3.3 s after creation: refused with 10062.
    const rec = w.discord.sendSlashCommand({ name: 'slow', user: w.youth[0], lagMs: 1800 });
    const deferred = await w.discord.waitForResponse(rec.id);
    expect(deferred.response.type).toBe(5);
    expect(deferred.acknowledgedAt! - deferred.createdAt).toBeLessThan(3000);
    slow.open();
    expect((await w.discord.waitForEdit(rec.id)).body).toMatchObject({ content: 'Færdig' });
    expect(await w.settled(rec.id)).toMatchObject({ expired: false, deferred: true });
    expect(w.discord.interaction(rec.id).late).toBe(false);
  });
});

/** What a person reads in a stored message, markdown escapes undone. */
const said = (m: { content: string; embeds: readonly unknown[] }) => unescapeDiscord(readable(m)).trim();

describeEachEngine('Discord adapter: a public answer is never lost, and the person hears what Pulje may not do', (db) => {
  it('a slow public answer after a deferral is a public follow-up, which needs no channel permission', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }), ack: { afterMs: 20, deadlineMs: 60_000 } });
    w.discord.denyBotPermissions(w.bound.id, ['SendMessages']);
    const rec = w.discord.sendSlashCommand({ name: 'slowpublic', user: w.youth[0] });
    expect((await w.discord.waitForResponse(rec.id)).response.type).toBe(5);
    slow.open();
    await w.settled(rec.id);
    const i = w.discord.interaction(rec.id);
    expect(w.discord.messages(w.bound.id).map((m) => [said(m), m.ephemeral, m.via])).toEqual([
      ['Resultat\nAlle kan se dette.', false, 'interaction-followup'],
    ]);
    // The "thinking…" message was filled with a note first (a follow-up would have taken its privacy), then removed.
    expect(i.original).toMatchObject({ ephemeral: true, deleted: true });
    expect(w.discord.requests.filter((r) => r.template === '/channels/{channel_id}/messages')).toEqual([]);
    expect(w.log.problems()).toEqual([]);
  });

  it('a discussion thread Pulje may not open: the person is told privately, in the group’s language, what to ask an admin for', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    w.discord.denyBotPermissions(w.bound.id, ['CreatePublicThreads']);
    const rec = w.discord.sendSlashCommand({ name: 'share', options: { title: 'Skatepark' }, user: w.youth[0] });
    await w.settled(rec.id);
    const i = w.discord.interaction(rec.id);
    expect(i.original).toMatchObject({ ephemeral: false });
    expect(i.original!.threadId).toBeUndefined();
    const lacking = (locale: 'da' | 'en') =>
      discordText(locale, 'discord.missing_permissions', {
        action: 'thread',
        channel: 'ungeraadet',
        count: 1,
        permissions: { list: [discordText(locale, 'discord.permission.CreatePublicThreads')], join: 'and' },
      });
    expect(i.followups.map((m) => [m.ephemeral, said(m)])).toEqual([[true, lacking('da')]]);
    expect(lacking('da')).toContain('«Opret offentlige tråde» (Create Public Threads)');

    await db().prisma.group.update({ where: { id: w.groupId }, data: { locale: 'en' } });
    const again = w.discord.sendSlashCommand({ name: 'share', options: { title: 'Bænke' }, user: w.youth[0], locale: 'da' });
    await w.settled(again.id);
    expect(w.discord.interaction(again.id).followups.map((m) => said(m))).toEqual([lacking('en')]);
    expect(lacking('en')).toMatch(
      /^I couldn't open a discussion thread in #ungeraadet because Pulje lacks the permission “Create Public Threads”/,
    );
  });

  it('an earlier message in a channel Pulje can no longer see: the new version comes privately, with what Pulje lacks', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const posted = w.discord.sendSlashCommand({ name: 'echo', options: { text: 'Første udgave' }, user: w.pedagogue });
    await w.settled(posted.id);
    const original = w.discord.interaction(posted.id).original!;
    w.discord.denyBotPermissions(w.other.id, ['ViewChannel']);
    // The message is asked for from #andet, where Pulje is not allowed to look.
    const edit = w.discord.sendSlashCommand({
      name: 'retitle',
      options: { channel: w.other.id, message: original.id },
      user: w.pedagogue,
      channelId: w.bound.id,
    });
    await w.settled(edit.id);
    const i = w.discord.interaction(edit.id);
    expect(i.original).toMatchObject({ ephemeral: true, embeds: [expect.objectContaining({ title: 'Rettet' })] });
    expect(i.followups.map((m) => said(m))).toEqual([
      discordText('da', 'discord.missing_permissions', {
        action: 'edit',
        channel: 'andet',
        count: 1,
        permissions: { list: [discordText('da', 'discord.permission.ViewChannel')], join: 'and' },
      }),
    ]);
  });
});

describeEachEngine('Discord adapter: acknowledged by another process first (40060)', (db) => {
  it('the process that claimed a slow command still answers, into the placeholder the other one left', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }), ack: { afterMs: 20, deadlineMs: 60_000 } });
    const rec = w.discord.sendSlashCommand({ name: 'slow', user: w.youth[0] });
    w.discord.acknowledgeElsewhere(rec.id, { type: 5, data: { flags: 64 } });
    await w.discord.waitForCallbackAttempt(rec.id, 1);
    slow.open();
    await w.settled(rec.id);
    const i = w.discord.interaction(rec.id);
    expect(i.attempts.map((a) => [a.status, a.code, a.elsewhere ?? false])).toEqual([
      [204, undefined, true],
      [400, 40060, false],
    ]);
    expect(i.edits.map((e) => [e.target, e.body])).toEqual([['@original', expect.objectContaining({ content: 'Færdig' })]]);
    expect(i.original).toMatchObject({ ephemeral: true, loading: false, content: 'Færdig', deleted: false });
  });

  it('an answer ready at once, refused with 40060: a private one never goes into the public placeholder the other left', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const rec = w.discord.sendSlashCommand({ name: 'whoami', user: w.youth[0] });
    // The other process deferred publicly (no EPHEMERAL flag): everyone in the channel sees its "thinking…".
    w.discord.acknowledgeElsewhere(rec.id, { type: 5 });
    await w.settled(rec.id);
    const i = w.discord.interaction(rec.id);
    expect(i.attempts.map((a) => a.code)).toEqual([undefined, 40060]);
    expect(i.followups.map((m) => [m.ephemeral, said(m)])).toEqual([[true, 'Aya|youth|-|Ungerådet']]);
    expect(i.original).toMatchObject({ ephemeral: false, deleted: true });
    for (const e of i.edits) expect(JSON.stringify(e.body)).not.toContain('Aya');
  });

  it('a button whose update another process deferred (type 6): the message it sits on is still updated', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const open = w.discord.sendSlashCommand({ name: 'menu', user: w.youth[0] });
    await w.settled(open.id);
    const menu = w.discord.interaction(open.id).original!;
    const next = w.discord.sendButton({ customId: button(menu, '▶'), message: menu, user: w.youth[0] });
    w.discord.acknowledgeElsewhere(next.id, { type: 6 });
    await w.settled(next.id);
    expect(w.discord.interaction(next.id).attempts.map((a) => a.code)).toEqual([undefined, 40060]);
    expect(
      buttons(menu)
        .slice(-3)
        .map((b) => b.label),
    ).toEqual(['◀', '2/3', '▶']);
  });
});

describeEachEngine('Discord adapter: when Discord no longer takes an answer', (db) => {
  it('a first answer that comes too late (10062) ends the delivery quietly: nothing more is tried', async () => {
    const slow = gate();
    const handling = gate();
    const clock = new ManualClock();
    const w = await discordWorld(db(), {
      register: (r) => testFlows(r, { slow: slow.promise, onSlow: handling.open }),
      standIn: { clock },
      ack: { afterMs: 60_000, deadlineMs: 60_000, expiresMs: 60_000 },
    });
    const rec = w.discord.sendSlashCommand({ name: 'twiceslow', user: w.youth[0] });
    await handling.promise;
    // The process stalls past Discord's 3 s before its first answer.
    clock.advance(3500);
    slow.open();
    await w.settled(rec.id);
    const i = w.discord.interaction(rec.id);
    expect(i.attempts.map((a) => [a.status, a.code])).toEqual([[404, 10062]]);
    expect(i.followups).toEqual([]);
    expect(w.log.problems()).toEqual([expect.stringMatching(/^warn: discord: interaction can no longer be answered .*"code":10062/)]);
  });

  it('an edit after the token’s 15 minutes (50027) ends the delivery quietly as well', async () => {
    const slow = gate();
    const clock = new ManualClock();
    const w = await discordWorld(db(), {
      register: (r) => testFlows(r, { slow: slow.promise }),
      standIn: { clock },
      ack: { afterMs: 20, deadlineMs: 60_000 },
    });
    const rec = w.discord.sendSlashCommand({ name: 'twiceslow', user: w.youth[0] });
    expect((await w.discord.waitForResponse(rec.id)).response.type).toBe(5);
    clock.advance(16 * 60_000);
    slow.open();
    await w.settled(rec.id);
    const i = w.discord.interaction(rec.id);
    expect(i.edits).toEqual([]);
    expect(i.followups).toEqual([]);
    expect(w.discord.requests.filter((r) => r.path.startsWith('/webhooks/')).map((r) => [r.method, r.status])).toEqual([['PATCH', 401]]);
    expect(w.log.problems()).toEqual([expect.stringMatching(/^warn: discord: interaction can no longer be answered .*"code":50027/)]);
  });
});
