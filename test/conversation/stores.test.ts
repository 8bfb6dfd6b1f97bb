import { expect, it } from 'vitest';
import { createPulje } from '../../src/usecases/index.ts';
import { openDatabase } from '../../src/db/database.ts';
import { describeEachEngine } from '../support/databases.ts';

describeEachEngine('handled events (pulje.events)', (db) => {
  it('lets exactly one of many concurrent claims through, also from another connection', async () => {
    const other = await openDatabase(db().url);
    try {
      const stores = [createPulje({ db: db() }).events, createPulje({ db: other }).events];
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.claim('discord:evt-1')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await stores[0]!.claim('discord:evt-2')).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('releases a claim so a redelivery can retry, and prunes old keys', async () => {
    const store = createPulje({ db: db() }).events;
    expect(await store.claim('k')).toBe(true);
    await store.release('k');
    expect(await store.claim('k')).toBe(true);
    expect(await store.prune(new Date(Date.now() + 1000))).toBe(1);
    expect(await store.claim('k')).toBe(true);
  });
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
