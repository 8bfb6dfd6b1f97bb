import { expect, it } from 'vitest';
import { reply, type InboundEventInput, type Router } from '../../src/conversation/index.ts';
import { createRouter } from '../../src/app.ts';
import { verifyLogs } from '../../src/db/decision-log.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { describeEachEngine, type TestDatabase } from '../support/databases.ts';
import { discordLike } from './surfaces.ts';

let n = 0;
const event = (
  externalId: string,
  opts: {
    channelId?: string;
    roles?: Array<'staff' | 'server_admin'>;
    roleIds?: string[];
    platform?: 'discord' | 'web';
    kind?: 'command' | 'message';
  } = {},
): InboundEventInput => {
  const platform = opts.platform ?? 'discord';
  const base = {
    idempotencyKey: `e${++n}`,
    actor: { platform, externalId, displayName: `Navn ${externalId}`, roles: opts.roles ?? [], roleIds: opts.roleIds ?? [] },
    conversation: { platform, channelId: opts.channelId ?? 'kanal-1' },
  };
  return opts.kind === 'message' ? { ...base, kind: 'message', text: 'hej' } : { ...base, kind: 'command', name: 'whoami' };
};

async function world(db: TestDatabase) {
  const pulje = createPulje({ db });
  const { group, admin, organisation } = await pulje.setup.createOrganisation({
    name: 'Kommune',
    group: { name: 'Klubben', locale: 'da' },
    admin: { displayName: 'Admin', platform: 'discord', externalId: 'admin-1' },
  });
  await pulje.setup.bindConversation({ personId: admin.id }, { groupId: group.id, platform: 'discord', channelId: 'kanal-1' });
  const router = createRouter({ pulje, defaultLocale: 'da', flows: false });
  router.command({
    name: 'whoami',
    description: 'command.help.description',
    handler: (ctx) => reply.private(`${ctx.person.displayName}:${ctx.role}`),
  });
  return { pulje, router, group, admin, organisation };
}

const say = async (router: Router, e: InboundEventInput) => {
  const out = await router.handle(e, { limits: discordLike });
  const r = out.replies[0];
  return r?.kind === 'send' ? r.messages[0]!.text.map((s) => s.text).join('') : undefined;
};

describeEachEngine('enrolment of people new to Pulje in a bound channel', (db) => {
  it('someone new becomes a youth member, once, and the decision log says so', async () => {
    const { router, group } = await world(db());
    expect(await say(router, event('ung-1'))).toBe('Navn ung-1:youth');
    expect(await say(router, event('ung-1'))).toBe('Navn ung-1:youth');
    const people = await db().prisma.identity.findMany({ where: { externalId: 'ung-1' } });
    expect(people).toHaveLength(1);
    const entries = await db().prisma.logEntry.findMany({ where: { groupId: group.id, kind: 'config' }, orderBy: { seq: 'asc' } });
    const added = entries.map((e) => JSON.parse(e.data) as Record<string, unknown>).filter((d) => d.action === 'member_added');
    expect(added).toEqual([
      expect.objectContaining({ role: 'admin' }),
      { action: 'member_added', personId: people[0]!.personId, role: 'youth', via: 'discord', platformRoles: [] },
    ]);
    expect((await verifyLogs(db().prisma, [group.id]))[0]?.ok).toBe(true);
  });

  it('the platform staff role or server admin makes a newcomer staff', async () => {
    const { router } = await world(db());
    expect(await say(router, event('paedagog', { roles: ['staff'] }))).toBe('Navn paedagog:staff');
    expect(await say(router, event('it-admin', { roles: ['server_admin'] }))).toBe('Navn it-admin:staff');
  });

  it("a binding's staff role (by id) makes a newcomer staff; the platform's default staff role counts only where none was chosen", async () => {
    const { router, pulje, admin, group } = await world(db());
    await pulje.setup.bindConversation(
      { personId: admin.id },
      { groupId: group.id, platform: 'discord', channelId: 'kanal-2', staffRoleId: 'r-voksen' },
    );
    expect(await say(router, event('p1', { channelId: 'kanal-2', roleIds: ['r-andet', 'r-voksen'] }))).toBe('Navn p1:staff');
    expect(await say(router, event('p2', { channelId: 'kanal-2', roles: ['staff'], roleIds: ['r-andet'] }))).toBe('Navn p2:youth');
    expect(await say(router, event('p3', { channelId: 'kanal-2', roles: ['server_admin'] }))).toBe('Navn p3:staff');
    // kanal-1 was bound without one: the default (the adapter's 'staff') decides there, role ids do not.
    expect(await say(router, event('p4', { roleIds: ['r-voksen'] }))).toBe('Navn p4:youth');
    expect(await say(router, event('p5', { roles: ['staff'] }))).toBe('Navn p5:staff');
  });

  it('only the first time: a later platform role does not change a membership', async () => {
    const { router } = await world(db());
    expect(await say(router, event('ung-2'))).toBe('Navn ung-2:youth');
    expect(await say(router, event('ung-2', { roles: ['staff'] }))).toBe('Navn ung-2:youth');
  });

  it('an existing person of the organisation joins this group as well', async () => {
    const { router, pulje, admin, group, organisation } = await world(db());
    const other = await pulje.setup.createGroup({ personId: admin.id }, { organisationId: organisation.id, name: 'Anden gruppe' });
    await pulje.setup.addMember(
      { personId: admin.id },
      { groupId: other.id, role: 'youth', platform: 'discord', externalId: 'kendt', displayName: 'Kendt' },
    );
    expect(await say(router, event('kendt'))).toBe('Kendt:youth');
    expect(await db().prisma.membership.count({ where: { groupId: group.id, person: { displayName: 'Kendt' } } })).toBe(1);
  });

  it('nobody joins by using an unbound channel, by chatting, by web, or from another organisation', async () => {
    const { router, pulje } = await world(db());
    expect(await say(router, event('ung-3', { channelId: 'ubundet' }))).toMatch(/Jeg kender dig ikke/);
    expect((await router.handle(event('ung-3', { kind: 'message' }), { limits: discordLike })).replies).toEqual([]);
    expect(await db().prisma.identity.count({ where: { externalId: 'ung-3' } })).toBe(0);

    await pulje.setup.createOrganisation({
      name: 'Anden kommune',
      group: { name: 'G' },
      admin: { displayName: 'Fremmed', platform: 'discord', externalId: 'fremmed' },
    });
    expect(await say(router, event('fremmed'))).toBe('Du er ikke med i denne gruppe.');

    const web = await router.handle(event('ung-4', { platform: 'web', channelId: 'kanal-1' }), { limits: discordLike });
    expect(web.person).toBeNull();
  });

  it('typing a command argument is using Pulje: a newcomer joins and gets suggestions; outside a bound channel nobody does', async () => {
    const { router } = await world(db());
    router.command({
      name: 'vis',
      description: 'command.help.description',
      args: [{ name: 'x', hint: 'field.title', complete: (ctx) => [{ label: ctx.role ?? '-', value: 'a' }] }],
      handler: () => undefined,
    });
    const typing = (channelId: string) =>
      router.complete({
        actor: { platform: 'discord', externalId: 'ung-5', displayName: 'x' },
        conversation: { platform: 'discord', channelId },
        command: 'vis',
        arg: 'x',
        partial: '',
      });
    expect(await typing('ubundet')).toEqual([]);
    expect(await db().prisma.identity.count({ where: { externalId: 'ung-5' } })).toBe(0);
    expect(await typing('kanal-1')).toEqual([{ label: 'youth', value: 'a' }]);
    expect(await db().prisma.identity.count({ where: { externalId: 'ung-5' } })).toBe(1);
  });

  it('two first interactions at once make one person and one membership', async () => {
    const { router, group } = await world(db());
    const outs = await Promise.all([say(router, event('ung-6')), say(router, event('ung-6')), say(router, event('ung-6'))]);
    expect(outs).toEqual(['Navn ung-6:youth', 'Navn ung-6:youth', 'Navn ung-6:youth']);
    expect(await db().prisma.identity.count({ where: { externalId: 'ung-6' } })).toBe(1);
    expect(await db().prisma.membership.count({ where: { groupId: group.id } })).toBe(2);
    expect((await verifyLogs(db().prisma, [group.id]))[0]?.ok).toBe(true);
  });
});
