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

describeEachEngine('crisis signposting on Discord', (db) => {
  it('a message in the bound channel about suicide: a DM with help open now to the writer, a DM alert to the pedagogue, nothing in the channel', async () => {
    const alerts: AlertLine = { notifier: undefined };
    const router = createRouter({ pulje: createPulje({ db: db() }), defaultLocale: 'da', logger: failOnError, alerts });
    const w = await discordWorld(db(), {
      flows: true,
      router,
      messageContent: true,
      standIn: { clock: new ManualClock(), privilegedIntents: ['MessageContent'] },
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
