import { expect, it } from 'vitest';
import { verifyLogs } from '../../src/db/decision-log.ts';
import { describeEachEngine } from '../support/databases.ts';
import { DAY, HOUR, expectRefusedUnchanged, world } from './fixtures.ts';

describeEachEngine('setup', (db) => {
  it('bootstraps an organisation with its first group and admin, and resolves people by platform account', async () => {
    const w = await world(db(), 2);
    const resolved = await w.pulje.setup.resolveActor({ platform: 'discord', externalId: 'u1' });
    expect(resolved).toEqual({
      person: { id: w.youth[1]!.personId, organisationId: w.organisationId, displayName: 'Ung 1', locale: null },
      memberships: [{ groupId: w.groupId, personId: w.youth[1]!.personId, role: 'youth' }],
    });
    expect(await w.pulje.setup.resolveActor({ platform: 'slack', externalId: 'u1' })).toBeNull();
    expect(await w.pulje.setup.membership(w.admin, { groupId: w.groupId })).toEqual({
      groupId: w.groupId,
      personId: w.admin.personId,
      role: 'admin',
    });
    // Role grants are part of the decision log.
    const log = await w.pulje.log.read(w.staff, { groupId: w.groupId });
    expect(log.filter((e) => e.data.action === 'member_added').map((e) => e.data.role)).toEqual(['admin', 'staff', 'youth', 'youth']);
    expect((await verifyLogs(db().prisma, [w.groupId]))[0]!.ok).toBe(true);
  });

  it('lets staff add young people, and only admins give staff roles', async () => {
    const w = await world(db(), 1);
    const added = await w.pulje.setup.addMember(w.staff, {
      groupId: w.groupId,
      role: 'youth',
      platform: 'slack',
      externalId: 'S1',
      displayName: 'Sofie',
      locale: 'en',
    });
    expect(added.person).toMatchObject({ displayName: 'Sofie', locale: 'en' });
    const e = await expectRefusedUnchanged(
      db().prisma,
      () =>
        w.pulje.setup.addMember(w.staff, { groupId: w.groupId, role: 'staff', platform: 'slack', externalId: 'S2', displayName: 'Søren' }),
      'forbidden',
    );
    expect(e.localize('da')).toBe('Det er kun administratorer, der kan gøre det.');
    await expectRefusedUnchanged(
      db().prisma,
      () =>
        w.pulje.setup.addMember(w.youth[0]!, {
          groupId: w.groupId,
          role: 'youth',
          platform: 'slack',
          externalId: 'S3',
          displayName: 'Sara',
        }),
      'forbidden',
    );
  });

  it('adds a known person to a second group without a new person, and refuses them twice', async () => {
    const w = await world(db(), 1);
    const second = await w.pulje.setup.createGroup(w.admin, { organisationId: w.organisationId, name: 'Ungdomsklubben', locale: 'en' });
    expect(second.locale).toBe('en');
    expect((await w.pulje.setup.membership(w.admin, { groupId: second.id })).role).toBe('admin');
    const again = await w.pulje.setup.addMember(w.admin, { groupId: second.id, role: 'youth', platform: 'discord', externalId: 'u0' });
    expect(again.person.id).toBe(w.youth[0]!.personId);
    expect(await db().prisma.person.count()).toBe(3);
    const e = await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.setup.addMember(w.admin, { groupId: second.id, role: 'youth', platform: 'discord', externalId: 'u0' }),
      'invalid_input',
    );
    expect(e.localize('en')).toBe("I couldn't use that: Ung 0 is already in the group");
    // A new account needs a name.
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.setup.addMember(w.admin, { groupId: second.id, role: 'youth', platform: 'discord', externalId: 'new' }),
      'invalid_input',
    );
    // Only an admin in the organisation creates groups.
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.setup.createGroup(w.staff, { organisationId: w.organisationId, name: 'X' }),
      'forbidden',
    );
  });

  it('keeps accounts within their organisation', async () => {
    const w = await world(db(), 1);
    const other = await w.pulje.setup.createOrganisation({
      name: 'Køge',
      group: { name: 'Unge' },
      admin: { displayName: 'K', platform: 'web', externalId: 'koege-admin' },
    });
    await expectRefusedUnchanged(
      db().prisma,
      () =>
        w.pulje.setup.addMember(
          { personId: other.admin.id },
          { groupId: other.group.id, role: 'youth', platform: 'discord', externalId: 'u0' },
        ),
      'invalid_input',
    );
    await expectRefusedUnchanged(
      db().prisma,
      () =>
        w.pulje.setup.createOrganisation({
          name: 'Y',
          group: { name: 'G' },
          admin: { displayName: 'Y', platform: 'discord', externalId: 'u0' },
        }),
      'invalid_input',
    );
    // Nobody acts in a group they are not in.
    await expectRefusedUnchanged(
      db().prisma,
      () =>
        w.pulje.setup.addMember(
          { personId: other.admin.id },
          { groupId: w.groupId, role: 'youth', platform: 'web', externalId: 'z', displayName: 'Z' },
        ),
      'not_member',
    );
  });

  it('binds a chat channel to one group, logged; binding it again changes nothing', async () => {
    const w = await world(db(), 1);
    const c = await w.pulje.setup.bindConversation(w.staff, { groupId: w.groupId, platform: 'discord', channelId: 'C1' });
    expect(c).toMatchObject({ groupId: w.groupId, platform: 'discord', channelId: 'C1' });
    expect(await w.pulje.setup.resolveGroup({ platform: 'discord', channelId: 'C1' })).toMatchObject({
      id: w.groupId,
      name: 'Ungerådet',
      locale: 'da',
    });
    expect(await w.pulje.setup.resolveGroup({ platform: 'slack', channelId: 'C1' })).toBeNull();
    const entries = async () => (await w.pulje.log.read(w.staff, { groupId: w.groupId })).filter((e) => e.kind === 'binding');
    expect(await entries()).toHaveLength(1);
    expect((await w.pulje.setup.bindConversation(w.staff, { groupId: w.groupId, platform: 'discord', channelId: 'C1' })).id).toBe(c.id);
    expect(await entries()).toHaveLength(1);
    // Naming a staff role for it is a change, logged; naming the same again is not; leaving it out keeps it.
    const withRole = await w.pulje.setup.bindConversation(w.staff, {
      groupId: w.groupId,
      platform: 'discord',
      channelId: 'C1',
      staffRoleId: 'R1',
    });
    expect(withRole).toMatchObject({ id: c.id, staffRoleId: 'R1' });
    await w.pulje.setup.bindConversation(w.staff, { groupId: w.groupId, platform: 'discord', channelId: 'C1', staffRoleId: 'R1' });
    await w.pulje.setup.bindConversation(w.staff, { groupId: w.groupId, platform: 'discord', channelId: 'C1' });
    expect((await entries()).map((e) => (e.data as { staffRoleId?: string }).staffRoleId ?? null)).toEqual([null, 'R1']);

    const second = await w.pulje.setup.createGroup(w.admin, { organisationId: w.organisationId, name: 'Anden' });
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.setup.bindConversation(w.admin, { groupId: second.id, platform: 'discord', channelId: 'C1' }),
      'invalid_input',
    );
    await expectRefusedUnchanged(
      db().prisma,
      () => w.pulje.setup.bindConversation(w.youth[0]!, { groupId: w.groupId, platform: 'discord', channelId: 'C2' }),
      'forbidden',
    );
  });

  it('notes activity in batches: once an hour per person, written when a day old, all in one write', async () => {
    const w = await world(db(), 3);
    const seenAt = async () =>
      (await db().prisma.person.findMany({ where: { id: { in: w.youth.map((y) => y.personId) } }, orderBy: { displayName: 'asc' } })).map(
        (p) => p.lastSeenAt?.toISOString() ?? null,
      );
    const start = w.clock.now().toISOString();
    await w.pulje.directory.seen(w.youth[0]!.personId);
    await w.pulje.directory.seen(w.youth[1]!.personId);
    // Noted, not yet written: the request that noted it did not wait for a write.
    expect(await seenAt()).toEqual([null, null, null]);
    await w.pulje.directory.flushSeen();
    expect(await seenAt()).toEqual([start, start, null]);

    // Within the hour nothing more is noted; a day later it is written again.
    w.clock.advance(HOUR / 2);
    await w.pulje.directory.seen(w.youth[0]!.personId);
    await w.pulje.directory.flushSeen();
    expect(await seenAt()).toEqual([start, start, null]);
    w.clock.advance(DAY);
    const later = w.clock.now().toISOString();
    await w.pulje.directory.seen(w.youth[0]!.personId);
    await w.pulje.directory.seen(w.youth[2]!.personId);
    await w.pulje.directory.flushSeen();
    expect(await seenAt()).toEqual([later, start, later]);
  });
});
