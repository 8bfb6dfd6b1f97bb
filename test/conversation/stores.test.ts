import { expect, it } from 'vitest';
import { createPulje } from '../../src/usecases/index.ts';
import { openDatabase } from '../../src/db/database.ts';
import { AlreadyHandled } from '../../src/core/errors.ts';
import { memoryIdempotencyStore } from '../../src/conversation/index.ts';
import { manualClock } from '../usecases/fixtures.ts';
import { describeEachEngine } from '../support/databases.ts';

describeEachEngine('handled events (pulje.events)', (db) => {
  it('lets exactly one of many concurrent claims through, also from another connection; the rest are told it is busy', async () => {
    const other = await openDatabase(db().url);
    try {
      const stores = [createPulje({ db: db() }).events, createPulje({ db: other }).events];
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.claim('discord:evt-1')));
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r === 'busy')).toHaveLength(11);
      await stores[0]!.complete('discord:evt-1');
      expect(await stores[1]!.claim('discord:evt-1')).toBe('duplicate');
      expect(await stores[0]!.claim('discord:evt-2')).toBe('claimed');
    } finally {
      await other.close();
    }
  });

  it('releases a claim so a redelivery can retry, and prunes old handled keys only', async () => {
    const store = createPulje({ db: db() }).events;
    expect(await store.claim('k')).toBe('claimed');
    await store.release('k');
    expect(await store.claim('k')).toBe('claimed');
    expect(await store.prune(new Date(Date.now() + 1000))).toBe(0);
    await store.complete('k');
    expect(await store.handled('k')).toBe(true);
    expect(await store.prune(new Date(Date.now() + 1000))).toBe(1);
    expect(await store.claim('k')).toBe('claimed');
  });

  it('a claim whose process died is taken over after its lease; the first change completes it, a late one changes nothing', async () => {
    const clock = manualClock();
    const a = createPulje({ db: db(), clock: clock.now });
    const b = createPulje({ db: db(), clock: clock.now });
    expect(await a.events.claim('web:x')).toBe('claimed');
    expect(await b.events.claim('web:x')).toBe('busy');
    clock.advance(31_000);
    expect(await b.events.claim('web:x')).toBe('claimed');
    // B's change completes the claim in its own transaction …
    const org = await b.events.within('web:x', () => b.setup.createOrganisation(bootstrap('B')));
    expect(await b.events.handled('web:x')).toBe(true);
    // … so A, waking up late, makes no change at all.
    await expect(a.events.within('web:x', () => a.setup.createOrganisation(bootstrap('A')))).rejects.toBeInstanceOf(AlreadyHandled);
    expect((await db().prisma.organisation.findMany()).map((o) => o.id)).toEqual([org.organisation.id]);
  });

  it('an event not claimed first is completed once: a repeat is told it was handled, in the database and in memory', async () => {
    for (const store of [createPulje({ db: db() }).events, memoryIdempotencyStore()]) {
      // Refused both times (nothing changed): the first try is what was handled, the second is a repeat.
      expect(await store.complete('web:z', 'with-change')).toBe(true);
      expect(await store.complete('web:z', 'with-change')).toBe(false);
      expect(await store.handled!('web:z')).toBe(true);
    }
  });

  it('after a crash between claim and change, the claim holds nothing: abandoned claims are taken over at once at start-up', async () => {
    const events = createPulje({ db: db() }).events;
    expect(await events.claim('web:y')).toBe('claimed');
    // The process dies here. The next one (SQLite: the only one) abandons what it finds claimed.
    expect(await events.abandonClaims()).toBe(1);
    expect(await events.claim('web:y')).toBe('claimed');
    expect(await events.handled('web:y')).toBe(false);
  });
});

const bootstrap = (name: string) => ({
  name,
  group: { name: `${name} gruppe`, locale: 'da' },
  admin: { displayName: `${name} admin`, platform: 'discord', externalId: `admin-${name}` },
});

describeEachEngine('directory (pulje.directory)', (db) => {
  it('resolves identities, web people, bound conversations and roles', async () => {
    const p = db().prisma;
    await p.organisation.create({ data: { id: 'o', name: 'Roskilde' } });
    await p.group.create({ data: { id: 'g', organisationId: 'o', name: 'Klubben', locale: 'en' } });
    await p.person.create({ data: { id: 'p1', organisationId: 'o', displayName: 'Ali', locale: 'da' } });
    await p.identity.create({ data: { id: 'i1', personId: 'p1', platform: 'discord', externalId: '999' } });
    await p.membership.create({ data: { id: 'm1', personId: 'p1', groupId: 'g', role: 'staff' } });
    await p.conversation.create({ data: { id: 'c', groupId: 'g', platform: 'discord', channelId: 'chan' } });
    const dir = createPulje({ db: db() }).directory;
    expect(await dir.person({ platform: 'discord', externalId: '999' })).toEqual({
      personId: 'p1',
      displayName: 'Ali',
      locale: 'da',
    });
    expect(await dir.person({ platform: 'web', externalId: 'p1' })).toMatchObject({ personId: 'p1' });
    expect(await dir.person({ platform: 'slack', externalId: 'p1' })).toBeNull();
    expect(await dir.conversation({ platform: 'discord', channelId: 'chan' })).toEqual({
      conversationId: 'c',
      groupId: 'g',
      groupName: 'Klubben',
      locale: 'en',
    });
    expect(await dir.conversation({ platform: 'discord', channelId: 'other' })).toBeNull();
    expect(await dir.role('p1', 'g')).toBe('staff');
    expect(await dir.role('p2', 'g')).toBeNull();
    expect(await dir.accountOf('p1', 'discord')).toBe('999');
    expect(await dir.accountOf('p1', 'slack')).toBeNull();
  });
});
