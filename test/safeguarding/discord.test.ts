import { expect, it } from 'vitest';
import { discordNotices } from '../../adapters/discord/index.ts';
import { createRouter } from '../../src/app.ts';
import type { AlertLine } from '../../src/flows/safeguarding.ts';
import { createNotifier } from '../../src/staff/notifier.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { discordWorld, readable, unescapeDiscord } from '../discord/harness.ts';
import { failOnError } from '../flows/harness.ts';
import { describeEachEngine } from '../support/databases.ts';
import { ManualClock, type StoredMessage, type UserObject } from '../support/discord/index.ts';

// Crisis signposting on Discord: the real discord.js adapter against the stand-in. A channel message has no
// interaction to answer privately, so the answer goes by DM; the staff alert too. Nothing in the channel.

const text = (m: StoredMessage) => unescapeDiscord(readable(m));

/**
 * 20:00 in Copenhagen (19:00 UTC) today or yesterday, whichever has passed: every line the test names is open
 * then (Livslinien 11–05), whenever the suite runs. On the real clock it failed from 05:00 to 11:00.
 */
function lastEvening(): number {
  const t = new Date();
  t.setUTCHours(19, 0, 0, 0);
  return t.getTime() > Date.now() ? t.getTime() - 24 * 3600_000 : t.getTime();
}

describeEachEngine('crisis signposting on Discord', (db) => {
  it('a message in the bound channel about suicide: a DM with help open now to the writer, a DM alert to the pedagogue, nothing in the channel', async () => {
    const alerts: AlertLine = { notifier: undefined };
    const clock = new ManualClock(lastEvening());
    const now = () => new Date(clock.now());
    const router = createRouter({
      pulje: createPulje({ db: db(), clock: now }),
      staff: { now },
      defaultLocale: 'da',
      logger: failOnError,
      alerts,
    });
    const w = await discordWorld(db(), {
      flows: true,
      router,
      messageContent: true,
      standIn: { clock, privilegedIntents: ['MessageContent'] },
      ack: { afterMs: 60_000, deadlineMs: 60_000 },
    });
    alerts.notifier = createNotifier(
      [discordNotices({ token: w.discord.token, api: w.discord.apiBase, pulje: w.pulje, dmPacing: { intervalMs: 10, retries: 3 } })],
      w.pulje.notices,
    );
    const [aya, bo] = w.youth as [UserObject, UserObject];
    for (const user of [aya, bo, w.pedagogue]) w.discord.addUser(user);
    for (const [user, name, role] of [
      [aya, 'Aya', 'youth'],
      [bo, 'Bo', 'youth'],
      [w.pedagogue, 'Pia Pædagog', 'staff'],
    ] as const)
      await w.pulje.setup.addMember(
        { personId: w.adminPersonId },
        { groupId: w.groupId, role, platform: 'discord', externalId: user.id, displayName: name },
      );

    const words = 'har tænkt på at tage mit eget liv hele ugen';
    const channelBefore = w.discord.messages(w.bound.id).length;
    w.discord.sendUserMessage({ content: words, user: aya, channelId: w.bound.id });
    await w.discord.waitForRequest(
      (r) => r.method === 'POST' && JSON.stringify(r.body).includes('Måske brug for støtte'),
      'the staff alert by DM',
    );
    await w.discord.waitForRequest((r) => r.method === 'POST' && JSON.stringify(r.body).includes('116 111'), 'the help by DM');

    const toAya = w.discord.dmsTo(aya.id).map(text).join('\n');
    expect(toAya).toContain('Tak, fordi du skriver det');
    expect(toAya).toContain('116 111');
    expect(toAya).toContain('70 201 201');
    const toPia = w.discord.dmsTo(w.pedagogue.id).map(text).join('\n');
    expect(toPia).toContain('Måske brug for støtte: Aya (Ungerådet)');
    expect(toPia).toContain('selvmordstanker');
    expect(toPia).not.toContain('eget liv');
    // Bo is not told anything, and nothing new appeared in the channel.
    expect(w.discord.dmsTo(bo.id)).toHaveLength(0);
    expect(w.discord.messages(w.bound.id).length).toBe(channelBefore + 1);
    expect(await db().prisma.safeguardingAlert.count({ where: { level: 'urgent', alerted: { gte: 1 } } })).toBe(1);
  });
});
