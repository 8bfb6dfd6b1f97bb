import { expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { ManualClock, type InteractionRecord, type StoredMessage, type UserObject } from '../support/discord/index.ts';
import { button, buttons, discordWorld, readable, unescapeDiscord, type World } from './harness.ts';
import { ideasRound } from '../support/rounds.ts';

const da = translator('da');
const text = (m: StoredMessage) => unescapeDiscord(readable(m));

/** A staff decision announced in the channel, and "what did my vote do?" after the result, through Discord. */
describeEachEngine('staff decisions and "what did my vote do?" on Discord', (db) => {
  it('a hidden idea is announced publicly with who and why, a young person disagrees privately; after the result each voter asks what their vote did', async () => {
    const w: World = await discordWorld(db(), {
      flows: true,
      standIn: { clock: new ManualClock() },
      ack: { afterMs: 60_000, deadlineMs: 60_000 },
    });
    const done = async (rec: InteractionRecord) => {
      await w.settled(rec.id);
      return w.discord.interaction(rec.id);
    };
    const click = (user: UserObject, message: StoredMessage, label: string) =>
      done(w.discord.sendButton({ customId: button(message, label), message, user }));
    const command = (user: UserObject, name: string, options?: Record<string, string>) =>
      done(w.discord.sendSlashCommand({ name, user, ...(options ? { options } : {}) }));

    // The group's people, known to Pulje by their Discord accounts.
    const admin = { personId: w.adminPersonId };
    const person = async (user: UserObject, role: 'youth' | 'staff') =>
      (
        await w.pulje.setup.addMember(admin, {
          groupId: w.groupId,
          role,
          platform: 'discord',
          externalId: user.id,
          displayName: user.global_name ?? user.username,
        })
      ).person.id;
    const staff = { personId: await person(w.pedagogue, 'staff') };
    const youth = await Promise.all(w.youth.map((u) => person(u, 'youth')));
    const [aya, bo] = w.youth as [UserObject, UserObject];

    const round = await ideasRound(w.pulje, staff, w.groupId);
    for (const [i, [title, cost]] of (
      [
        ['Skatepark', 600_000],
        ['Grill', 300_000],
        ['Filmaften', 200_000],
      ] as const
    ).entries())
      await w.pulje.proposals.submit({ personId: youth[i]! }, { roundId: round.id, title, description: `${title}, tak.`, cost });

    // The pedagogue hides #2 through its card and the modal: the channel is told, without what it said.
    const shown = await command(w.pedagogue, 'proposals', { number: '2' });
    const form = await click(w.pedagogue, shown.original!, da('flow.proposal.hide'));
    expect(form.response?.type).toBe(9);
    const hid = await done(
      w.discord.sendModalSubmit({ interactionId: form.id, values: { reason: 'Der stod et telefonnummer: 22 33 44 55.' } }),
    );
    const announced = [hid.original, ...hid.followups].find((m): m is StoredMessage => m !== undefined && !m.ephemeral)!;
    expect(text(announced)).toContain('En idé er skjult');
    expect(text(announced)).toContain('Pia Pædagog (medarbejder)');
    expect(text(announced)).toContain('Der stod et telefonnummer: [TELEFON].');
    expect(text(announced)).not.toContain('Grill');
    expect(text(announced)).not.toContain('22 33 44 55');

    // A young person disagrees: an ephemeral answer, and the public message is left as it was.
    const before = JSON.stringify(announced.embeds);
    const disagreed = await click(bo, announced, da('flow.decision.disagree'));
    expect(disagreed.original?.ephemeral).toBe(true);
    expect(text(disagreed.original!)).toContain(da('flow.decision.mine_on'));
    expect(JSON.stringify(w.discord.messages(w.bound.id).find((m) => m.id === announced.id)!.embeds)).toBe(before);
    expect(await db().prisma.decisionReaction.count({ where: { withdrawnAt: null } })).toBe(1);

    // Voting; four ballots; the pedagogue closes in the channel.
    await w.pulje.rounds.openVoting(staff, { roundId: round.id });
    for (const [i, picks] of [[1, 3], [1], [1, 3], [3]].entries())
      await w.pulje.ballots.cast({ personId: youth[i]! }, { roundId: round.id, choice: { type: 'approval', picks } });
    const closing = await command(w.pedagogue, 'close');
    const closed = await click(w.pedagogue, closing.original!, da('flow.confirm.close_yes'));
    const result = [closed.original, ...closed.followups].find((m): m is StoredMessage => m !== undefined && !m.ephemeral)!;
    expect(buttons(result).map((b) => b.label)).toContain(da('flow.mine.button'));

    // Aya presses "what did my vote do?" on the result: an ephemeral card only she sees.
    const mine = await click(aya, result, da('flow.mine.button'));
    expect(mine.original?.ephemeral).toBe(true);
    const answer = text(mine.original!);
    expect(answer).toContain('Hvad gjorde din stemme? Sommerpuljen');
    expect(answer).toContain('2 af de 2 idéer, du stemte på, fik penge.');
    expect(answer).toContain('✅ #1 Skatepark');
    expect(answer).toContain('✅ #3 Filmaften');
    // Four voters: too few for counts of votes, and the card says why.
    expect(answer).toContain(da('flow.mine.numbers_hidden'));
    expect(answer).not.toMatch(/\d+ stemmer?\b/);
    // /myballot answers the same, privately; nothing of it went into the channel.
    const again = await command(aya, 'myballot');
    expect(again.original?.ephemeral).toBe(true);
    expect(text(again.original!)).toBe(answer);
    const publicText = w.discord
      .messages(w.bound.id)
      .filter((m) => !m.ephemeral)
      .map(text)
      .join('\n');
    expect(publicText).not.toContain('Hvad gjorde din stemme?');
    expect(publicText).not.toContain(da('flow.decision.mine_on'));

    expect(w.log.problems()).toEqual([]);
  });
});
