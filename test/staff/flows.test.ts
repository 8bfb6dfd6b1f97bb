import { expect, it } from 'vitest';
import { buttonsOf, replyTexts, textOf } from '../flows/harness.ts';
import { describeEachEngine } from '../support/databases.ts';
import { HOUR } from '../usecases/fixtures.ts';
import { type StaffWorld, staffWorld, talk } from './harness.ts';

const privateTo = (w: StaffWorld, key: string) => w.chat.messages.filter((m) => m.recipient === key);

describeEachEngine('staff side in chat', (db) => {
  it('captures who (role) wrote how much and when; a staff member past 30 % of 10+ messages in 24 h gets one private nudge', async () => {
    const w = await staffWorld(db());
    const [aya, jonas] = w.youth as [StaffWorld['youth'][0], StaffWorld['youth'][0]];
    // 3 of 9: not yet ten messages.
    await talk(w, [
      [w.staff, 'Hvad tænker I om bænke?'],
      [aya, 'Bænke er godt'],
      [jonas, 'Ja'],
      [w.staff, 'Og hvor skal de stå?'],
      [aya, 'Ved skaterbanen'],
      [jonas, 'Eller ved søen'],
      [aya, 'Skaterbanen!'],
      [jonas, 'Ok'],
      [w.staff, 'Husk at tænke over prisen'],
    ]);
    expect(privateTo(w, w.staff.key)).toHaveLength(0);
    // The tenth message is the staff member's 4th: 40 % > 30 %.
    await talk(w, [[w.staff, 'Og hvem skal male dem?']]);
    const nudges = privateTo(w, w.staff.key);
    expect(nudges).toHaveLength(1);
    expect(textOf(nudges[0]!.message)).toContain('Du har skrevet 4 af de seneste 10 beskeder her (40 %) inden for 24 timer.');
    expect(textOf(nudges[0]!.message)).toContain('Hvem har vi ikke hørt fra endnu?');
    // Still over the share: no second nudge in the same window.
    await talk(w, [[w.staff, 'Hallo?']]);
    expect(privateTo(w, w.staff.key)).toHaveLength(1);
    // Young people are never nudged.
    await talk(
      w,
      Array.from({ length: 5 }, () => [aya, 'bla'] as const),
    );
    expect(privateTo(w, aya.key)).toHaveLength(0);
    // A new window: the share counts again, and a second nudge may come.
    w.clock.advance(25 * HOUR);
    await talk(w, [
      [aya, 'a'],
      [aya, 'b'],
      [aya, 'c'],
      [aya, 'd'],
      [aya, 'e'],
      [aya, 'f'],
      [w.staff, '1'],
      [w.staff, '2'],
      [w.staff, '3'],
      [w.staff, '4'],
    ]);
    expect(privateTo(w, w.staff.key)).toHaveLength(2);
    // What is stored: role, size and time for everyone; text within the window.
    const rows = await db().prisma.discussionMessage.findMany({ orderBy: { at: 'asc' } });
    expect(rows).toHaveLength(26);
    expect(rows[0]).toMatchObject({ role: 'staff', chars: 23, text: 'Hvad tænker I om bænke?', authorId: w.staff.personId });
    expect(
      await db().prisma.staffNudge.findMany({
        orderBy: { at: 'asc' },
        select: { staffId: true, sharePct: true, staffMessages: true, totalMessages: true },
      }),
    ).toEqual([
      { staffId: w.staff.personId, sharePct: 40, staffMessages: 4, totalMessages: 10 },
      { staffId: w.staff.personId, sharePct: 40, staffMessages: 4, totalMessages: 10 },
    ]);
    // Counted for the dashboard.
    const share = await w.pulje.discussion.talkShare({ personId: w.staff.personId }, { groupId: w.groupId, days: 30 });
    expect(share).toMatchObject({ messages: 26, byRole: { staff: 9, youth: 17 } });
    expect(share.staff).toEqual([{ personId: w.staff.personId, messages: 9, sharePct: 35, nudges: 2 }]);
  });

  it('the purge clears text and a young person’s id after the summary window; counts stay', async () => {
    const w = await staffWorld(db(), { retentionDays: 30 });
    const [aya] = w.youth as [StaffWorld['youth'][0]];
    await talk(w, [
      [aya, 'gammel besked'],
      [w.staff, 'gammelt svar'],
    ]);
    w.clock.advance(31 * 24 * HOUR);
    await talk(w, [[aya, 'ny besked']]);
    expect(await w.pulje.discussion.purge()).toEqual({ messages: 2, authors: 1, summaries: 0, sparring: 0 });
    const rows = await db().prisma.discussionMessage.findMany({
      orderBy: { at: 'asc' },
      select: { role: true, authorId: true, text: true, chars: true },
    });
    expect(rows).toEqual([
      { role: 'youth', authorId: null, text: null, chars: 13 },
      { role: 'staff', authorId: w.staff.personId, text: null, chars: 12 },
      { role: 'youth', authorId: aya.personId, text: 'ny besked', chars: 9 },
    ]);
    // A summary never reaches behind the window, whatever is asked.
    expect(replyTexts(await w.chat.command(w.staff, 'summary', '365'))).toContain('Bygger på 1 besked');
    // A /sparring typed in the web chat (stored there as the staff member's private echo) goes after the window.
    const room = (await w.pulje.webChat.rooms(w.staff.personId))[0]!.id;
    await w.pulje.webChat.addMember(room, { id: w.staff.personId, name: 'Pia' }, '/sparring Aya vil have en PS5', w.staff.personId);
    await w.pulje.webChat.addMember(room, { id: w.staff.personId, name: 'Pia' }, '/summary', w.staff.personId);
    w.clock.set(new Date(Date.now() + 31 * 24 * HOUR));
    expect((await w.pulje.discussion.purge()).sparring).toBe(1);
    expect((await db().prisma.webMessage.findMany()).map((m) => JSON.parse(m.body).text)).toEqual(['/summary']);
  });

  it('/staffsettings: toggles and limits per group, logged; a group that turns nudges off gets none', async () => {
    const w = await staffWorld(db());
    await w.chat.command(w.staff, 'staffsettings');
    const card = w.chat.last(w.staff);
    expect(textOf(card.message)).toContain('Resuméer siger aldrig, hvem der skrev hvad');
    await w.chat.click(w.staff, card, 'Nudges: fra');
    expect(textOf(card.message)).toContain('Gemt.');
    await w.chat.click(w.staff, card, 'Ændr grænser');
    await w.chat.submit(w.staff, { share: '50', hours: '12', min: '4', remind: '6' });
    expect(await w.pulje.staffSettings.get({ personId: w.staff.personId }, { groupId: w.groupId })).toMatchObject({
      nudgeEnabled: false,
      nudgeSharePct: 50,
      nudgeWindowHours: 12,
      nudgeMinMessages: 4,
      reminderHours: 6,
    });
    const log = await db().prisma.logEntry.findMany({ where: { kind: 'config' }, orderBy: { seq: 'asc' } });
    expect(log.filter((e) => JSON.parse(e.data).action === 'staff_settings')).toHaveLength(2);
    await talk(
      w,
      Array.from({ length: 6 }, () => [w.staff, 'hej'] as const),
    );
    expect(privateTo(w, w.staff.key).filter((m) => textOf(m.message).includes('Giv ordet videre'))).toHaveLength(0);
    // Young people cannot change them.
    expect(replyTexts(await w.chat.command(w.youth[0]!, 'staffsettings'))).toMatch(/kun medarbejdere/);
  });

  it('/deadlines sets the deadlines in Danish time; /extend moves the voting deadline with a reason, logged and announced', async () => {
    const w = await staffWorld(db());
    const round = await w.pulje.rounds.create(
      { personId: w.staff.personId },
      {
        groupId: w.groupId,
        title: 'Sommerpuljen',
        amount: 1_000_000,
        ballotType: 'approval',
        rule: 'greedy',
      },
    );
    await w.chat.command(w.staff, 'frister');
    const card = w.chat.last(w.staff);
    expect(textOf(card.message)).toContain('Frister: Sommerpuljen');
    await w.chat.click(w.staff, card, 'Sæt frister');
    // 1 April is summer time (+02:00), 1 March winter time (+01:00).
    await w.chat.submit(w.staff, { ideas: '15.3.2026 18:00', voting: '1/4 2026 kl. 12' });
    let r = await w.pulje.rounds.get({ personId: w.staff.personId }, { roundId: round.id });
    expect(r.ideasDeadline).toBe('2026-03-15T17:00:00.000Z');
    expect(r.votingDeadline).toBe('2026-04-01T10:00:00.000Z');
    // Not understood: refused, nothing changes.
    await w.chat.click(w.staff, w.chat.last(w.staff), 'Sæt frister');
    expect(replyTexts(await w.chat.submit(w.staff, { ideas: 'på fredag', voting: '' }))).toContain(
      'Frist for idéer skal være en dato og et tidspunkt, fx 24.12.2026 18:00',
    );
    // The settings card has the same button.
    await w.chat.command(w.staff, 'round');
    await w.chat.click(w.staff, w.chat.last(w.staff), 'Indstillinger');
    expect(buttonsOf(w.chat.last(w.staff).message).map((b) => b.label)).toContain('Frister');

    await w.pulje.rounds.openIdeas({ personId: w.staff.personId }, { roundId: round.id });
    await w.pulje.proposals.submit(
      { personId: w.youth[0]!.personId },
      { roundId: round.id, title: 'Bænke', description: 'Nye bænke', cost: 500_000 },
    );
    await w.pulje.rounds.openVoting({ personId: w.staff.personId }, { roundId: round.id });
    await w.chat.command(w.staff, 'forlæng');
    const form = w.chat.form(w.staff);
    expect(form.inputs.find((i) => i.name === 'deadline')?.initial).toBe('01.04.2026 12:00');
    // A reason is required.
    expect(replyTexts(await w.chat.submit(w.staff, { deadline: '8.4.2026 12:00', reason: ' ' }))).toMatch(/begrundelse/i);
    await w.chat.command(w.staff, 'extend');
    await w.chat.submit(w.staff, { deadline: '8.4.2026 12:00', reason: 'Påskeferie' });
    r = await w.pulje.rounds.get({ personId: w.staff.personId }, { roundId: round.id });
    expect(r.votingDeadline).toBe('2026-04-08T10:00:00.000Z');
    expect(textOf(w.chat.lastPublic().message)).toMatch(
      /Mere tid til at stemme: Sommerpuljen[\s\S]*Frist: 8\. apr\. 2026, 12\.00[\s\S]*Påskeferie/,
    );
    const override = await db().prisma.logEntry.findFirstOrThrow({ where: { kind: 'override' } });
    expect(override).toMatchObject({ actorId: w.staff.personId, reason: 'Påskeferie' });
    expect(JSON.parse(override.data)).toMatchObject({ action: 'extend_voting' });
  });

  it('/overrides counts every override per staff member, with reasons in the log; a changed result counts as its reopening’s', async () => {
    const w = await staffWorld(db());
    const staff = { personId: w.staff.personId };
    const admin = { personId: w.admin.personId };
    const round = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'R',
      amount: 1_000_000,
      ballotType: 'approval',
      rule: 'greedy',
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
    const ideas = [];
    for (const [i, who] of w.youth.entries())
      ideas.push(
        await w.pulje.proposals.submit({ personId: who.personId }, { roundId: round.id, title: `Idé ${i}`, description: 'x', cost: 1000 }),
      );
    await w.pulje.proposals.setEligibility(staff, { proposalId: ideas[0]!.id, eligible: false, note: 'Må ikke for brandvæsenet' });
    await w.pulje.proposals.hide(admin, { proposalId: ideas[1]!.id, reason: 'Personlige oplysninger' });
    await w.pulje.rounds.openVoting(staff, { roundId: round.id });
    await w.pulje.rounds.extendVoting(staff, {
      roundId: round.id,
      reason: 'Flere skal nå det',
      votingDeadline: new Date('2026-03-10T10:00:00Z'),
    });
    await w.pulje.rounds.close(staff, { roundId: round.id });
    await w.pulje.rounds.reopenVoting(admin, { roundId: round.id, reason: 'En stemme gik tabt' });
    await w.pulje.rounds.close(staff, { roundId: round.id });
    const counts = await w.pulje.overrides.count(staff, { groupId: w.groupId });
    expect(counts.byKind).toEqual({ ineligible: 1, hidden: 1, reopened: 1, extended: 1, result_changed: 1 });
    expect(counts.byStaff).toEqual([
      {
        personId: admin.personId,
        displayName: 'Anne Admin',
        total: 3,
        byKind: { ineligible: 0, hidden: 1, reopened: 1, extended: 0, result_changed: 1 },
      },
      {
        personId: staff.personId,
        displayName: 'Pia Pædagog',
        total: 2,
        byKind: { ineligible: 1, hidden: 0, reopened: 0, extended: 1, result_changed: 0 },
      },
    ]);
    expect(counts.entries.every((e) => e.reason)).toBe(true);
    const text = replyTexts(await w.chat.command(w.staff, 'overrides'));
    expect(text).toContain('5 gange har en voksen ændret på de unges proces');
    expect(text).toContain('Anne Admin (3)\nskjult: 1 · genåbnet: 1 · resultat ændret: 1');
    expect(replyTexts(await w.chat.command(w.youth[0]!, 'overrides'))).toMatch(/kun medarbejdere/);
  });

  it('/follow and /unfollow: staff choose daily or weekly digests of the group', async () => {
    const w = await staffWorld(db());
    expect(replyTexts(await w.chat.command(w.staff, 'følg', 'ugentlig'))).toContain('ugentligt overblik over Ungerådet');
    expect(await w.pulje.digests.mine({ personId: w.staff.personId }, { groupId: w.groupId })).toMatchObject({ frequency: 'weekly' });
    expect(replyTexts(await w.chat.command(w.staff, 'follow', 'hver time'))).toContain('skriv daglig eller ugentlig');
    await w.chat.command(w.staff, 'follow');
    expect(await w.pulje.digests.mine({ personId: w.staff.personId }, { groupId: w.groupId })).toMatchObject({ frequency: 'daily' });
    expect(replyTexts(await w.chat.command(w.staff, 'unfollow'))).toContain('Du får ikke længere overblik over Ungerådet.');
    expect(replyTexts(await w.chat.command(w.staff, 'unfollow'))).toContain('Du følger ikke Ungerådet.');
    expect(replyTexts(await w.chat.command(w.youth[0]!, 'follow'))).toMatch(/kun medarbejdere/);
  });
});
