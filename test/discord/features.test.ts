import { expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { makeMember, makeRole, makeUser, type RoleObject, type UserObject } from '../support/discord/index.ts';
import { testFlows } from './flows.ts';
import { button, ChannelKind, discordWorld, readable, STAFF_ROLE_NAME, unescapeDiscord, type World } from './harness.ts';

/** A role made in Server Settings while Pulje runs: Discord tells connected bots (GUILD_ROLE_CREATE). */
function addRole(w: World, role: RoleObject) {
  w.guild.roles.push(role);
  w.discord.dispatch('GUILD_ROLE_CREATE', { guild_id: w.guild.id, role });
}

describeEachEngine('Discord adapter: roles', (db) => {
  /** What /whoami says: name | Pulje role | platform roles | group. */
  const whoami =
    (w: World) =>
    async (user: UserObject, channelId = w.bound.id) => {
      const rec = w.discord.sendSlashCommand({ name: 'whoami', user, channelId });
      return unescapeDiscord((await w.discord.waitForResponse(rec.id)).original!.content);
    };

  it("the binding's staff role (by id) and the server admins are staff; everyone else is youth; newcomers join the bound group", async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const admins = makeRole({ name: 'Admins', permissions: ['Administrator'] });
    const itPerson = makeUser({ username: 'it', globalName: 'IT-Ib' });
    w.guild.roles.push(admins);
    w.guild.members.push(makeMember(itPerson, { roles: [admins] }));
    const who = whoami(w);
    expect(await who(w.pedagogue)).toBe('Pia Pædagog|staff|-|Ungerådet');
    expect(await who(w.owner)).toBe('Anne Admin|admin|server_admin|Ungerådet');
    expect(await who(itPerson)).toBe('IT-Ib|staff|server_admin|Ungerådet');
    expect(await who(w.youth[0]!)).toBe('Aya|youth|-|Ungerådet');
    // Using Pulje where nothing is bound makes nobody a member of anything.
    expect(await who(w.youth[1]!, w.other.id)).toBe('-|-|-|-');

    const roles = await db().prisma.membership.findMany({
      where: { groupId: w.groupId },
      include: { person: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(roles.map((m) => [m.person.displayName, m.role])).toEqual([
      ['Anne Admin', 'admin'],
      ['Pia Pædagog', 'staff'],
      ['IT-Ib', 'staff'],
      ['Aya', 'youth'],
    ]);
    // The decision log says which role made the pedagogue staff.
    const grants = (await db().prisma.logEntry.findMany({ where: { groupId: w.groupId, kind: 'config' } })).map(
      (e) => JSON.parse(e.data) as Record<string, unknown>,
    );
    expect(grants).toContainEqual(expect.objectContaining({ role: 'staff', via: 'discord', staffRoleId: w.staffRole.id }));
  });

  it('staff cannot be spoofed: a role with the staff role’s name is no proof, nor is the default role where the binding names its own', async () => {
    // Anyone allowed to manage roles can make a role called "Pædagog" and give it to themselves.
    const copy = makeRole({ name: STAFF_ROLE_NAME });
    const oldRole = makeRole({ name: 'Medarbejder' });
    const w = await discordWorld(db(), { register: (r) => testFlows(r), staffRole: () => oldRole.id });
    for (const role of [copy, oldRole]) addRole(w, role);
    const [aya, bo] = w.youth as [UserObject, UserObject];
    w.guild.members.find((m) => m.user.id === aya.id)!.roles.push(copy.id);
    // DISCORD_STAFF_ROLE is only a default: this binding chose the pedagogue's role.
    w.guild.members.find((m) => m.user.id === bo.id)!.roles.push(oldRole.id);
    const who = whoami(w);
    expect(await who(aya)).toBe('Aya|youth|-|Ungerådet');
    expect(await who(bo)).toBe('Bo|youth|staff|Ungerådet');
    expect(await who(w.pedagogue)).toBe('Pia Pædagog|staff|-|Ungerådet');
  });

  it('where the binding names no staff role, DISCORD_STAFF_ROLE (an id) is the default; a role name is refused, loudly', async () => {
    const byId = await discordWorld(db(), { register: (r) => testFlows(r), bind: { staffRole: false }, staffRole: (s) => s.staffRole.id });
    expect(await whoami(byId)(byId.pedagogue)).toBe('Pia Pædagog|staff|staff|Ungerådet');
    expect(byId.log.problems()).toEqual([]);

    const byName = await discordWorld(db(), {
      register: (r) => testFlows(r),
      bind: { staffRole: false },
      staffRole: () => STAFF_ROLE_NAME,
    });
    expect(byName.log.entries.filter((e) => e.level === 'error').map((e) => e.msg)).toEqual([
      'discord: DISCORD_STAFF_ROLE must be a role id (Developer Mode → right-click the role → Copy Role ID); role names are not used',
    ]);
    expect(await whoami(byName)(byName.pedagogue)).toBe('Pia Pædagog|youth|-|Ungerådet');
  });

  it('staff commands are hidden from young people (default_member_permissions); staff see them once an admin allows their role', async () => {
    const w = await discordWorld(db(), { flows: true, integrations: false });
    const names = (user: UserObject) => w.discord.visibleCommands({ user, channelId: w.bound.id }).map((c) => c.name);
    const staffCommands = w.router.describeCommands('da').filter((c) => c.roles && !c.roles.includes('youth'));
    expect(staffCommands.map((c) => c.name)).toEqual(expect.arrayContaining(['newround', 'openideas', 'openvoting', 'close', 'log']));
    for (const c of staffCommands)
      expect(w.discord.commands.guild(w.guild.id).find((x) => x.name === c.name)?.default_member_permissions).toBe('32');
    expect(names(w.youth[0]!)).toEqual(expect.arrayContaining(['help', 'propose', 'vote', 'receipt', 'results']));
    for (const c of staffCommands) expect(names(w.youth[0]!)).not.toContain(c.name);
    expect(w.discord.commandAvailability({ name: 'newround', user: w.youth[0]!, channelId: w.bound.id }).available).toBe(false);
    // Until an admin allows the staff role (Server Settings → Integrations), only Manage Server shows them.
    expect(names(w.pedagogue)).not.toContain('newround');
    expect(names(w.owner)).toContain('newround');
    w.discord.setCommandPermissions('app', [{ id: w.staffRole.id, type: 'role', permission: true }]);
    for (const c of staffCommands) expect(names(w.pedagogue)).toContain(c.name);
    for (const c of staffCommands) expect(names(w.youth[0]!)).not.toContain(c.name);
  });

  it('the router still checks: a staff command an admin opened to everyone is refused to young people, and works for staff', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const command = w.discord.commands.guild(w.guild.id).find((c) => c.name === 'staffonly')!;
    w.discord.setCommandPermissions(command, [{ id: w.guild.id, type: 'role', permission: true }]);
    const refused = w.discord.sendSlashCommand({ name: 'staffonly', user: w.youth[0] });
    const r = await w.discord.waitForResponse(refused.id);
    expect(r.original?.ephemeral).toBe(true);
    expect(unescapeDiscord(r.original!.content)).toMatch(/^Det er kun /);
    const allowed = w.discord.sendSlashCommand({ name: 'staffonly', user: w.pedagogue });
    expect((await w.discord.waitForResponse(allowed.id)).original).toMatchObject({ ephemeral: true, content: 'Kun for voksne' });
  });

  it('/bind in a linked channel with another staff role: staff of its group change it (logged); a young person may not', async () => {
    const w = await discordWorld(db(), { flows: true });
    const adults = makeRole({ name: 'Voksne' });
    addRole(w, adults);
    const asYouth = w.discord.sendSlashCommand({ name: 'bind', options: { staffrole: adults }, user: w.youth[0] });
    expect(unescapeDiscord((await w.discord.waitForResponse(asYouth.id)).original!.content)).toMatch(/^Det er kun /);
    const changed = w.discord.sendSlashCommand({ name: 'bind', options: { staffrole: adults }, user: w.owner });
    expect(unescapeDiscord((await w.discord.waitForResponse(changed.id)).original!.content)).toBe(
      translator('da')('flow.bind.staff_role_set'),
    );
    expect((await db().prisma.conversation.findFirstOrThrow({ where: { channelId: w.bound.id } })).staffRoleId).toBe(adults.id);
    const log = (await db().prisma.logEntry.findMany({ where: { groupId: w.groupId, kind: 'binding' }, orderBy: { seq: 'asc' } })).map(
      (e) => JSON.parse(e.data) as Record<string, unknown>,
    );
    expect(log.at(-1)).toMatchObject({ action: 'staff_role_changed', staffRoleId: adults.id });
    // Someone new with the new role joins as staff; the old role no longer makes anyone staff.
    const newcomer = makeUser({ username: 'ny', globalName: 'Ny Voksen' });
    w.guild.members.push(makeMember(newcomer, { roles: [adults] }));
    const seen = w.discord.sendSlashCommand({ name: 'help', user: newcomer });
    await w.settled(seen.id);
    const person = await db().prisma.identity.findFirstOrThrow({ where: { externalId: newcomer.id } });
    expect((await db().prisma.membership.findFirstOrThrow({ where: { personId: person.personId } })).role).toBe('staff');
  });
});

describeEachEngine('Discord adapter: threads, DMs and suggestions', (db) => {
  it('a public card inviting discussion gets a thread; using Pulje in the thread counts as the bound channel', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const rec = w.discord.sendSlashCommand({ name: 'share', options: { title: 'Skatepark ved **hallen**' }, user: w.youth[0] });
    await w.settled(rec.id);
    const message = w.discord.interaction(rec.id).original!;
    expect(message.ephemeral).toBe(false);
    const threadId = message.threadId!;
    expect(w.discord.store.channels.get(threadId)).toMatchObject({ name: '#1 Skatepark ved **hallen**', parent_id: w.bound.id, type: 11 });

    const inThread = w.discord.sendSlashCommand({ name: 'whoami', user: w.youth[1], channelId: threadId });
    expect(unescapeDiscord((await w.discord.waitForResponse(inThread.id)).original!.content)).toBe('Bo|youth|-|Ungerådet');
  });

  it('a receipt is also sent by DM, without its buttons; with DMs closed, the voter is told privately to keep it', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const vote = async (user: (typeof w.youth)[number]) => {
      const open = w.discord.sendSlashCommand({ name: 'ballot', user });
      await w.settled(open.id);
      const ballot = w.discord.interaction(open.id).original!;
      const click = w.discord.sendButton({ customId: button(ballot, 'Send'), message: ballot, user });
      await w.settled(click.id);
      return { ballot, click: w.discord.interaction(click.id) };
    };
    const open = await vote(w.youth[0]!);
    expect(open.ballot.embeds[0]).toMatchObject({ title: 'Kvittering' });
    const dms = w.discord.dmsTo(w.youth[0]!.id);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toMatchObject({ components: [], allowedMentions: { parse: [] } });
    expect(readable(dms[0]!)).toContain('K7Q-2MX-9PD');
    expect(open.click.followups).toEqual([]);

    w.discord.setDmsClosed(w.youth[1]!.id);
    const closed = await vote(w.youth[1]!);
    expect(w.discord.dmsTo(w.youth[1]!.id)).toEqual([]);
    expect(closed.click.followups.map((m) => [m.ephemeral, unescapeDiscord(m.content)])).toEqual([
      [true, expect.stringMatching(/^Jeg kunne ikke sende dig en kopi/)],
    ]);
    expect(closed.ballot.embeds[0]).toMatchObject({ title: 'Kvittering' });
  });

  it('the direct() API sends reminders by DM and says when it cannot', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    w.discord.addUser(w.youth[0]!);
    w.discord.addUser(w.youth[1]!);
    await w.pulje.setup.addMember(
      { personId: w.adminPersonId },
      { groupId: w.groupId, role: 'youth', platform: 'discord', externalId: w.youth[0]!.id, displayName: 'Aya' },
    );
    await w.pulje.setup.addMember(
      { personId: w.adminPersonId },
      { groupId: w.groupId, role: 'youth', platform: 'discord', externalId: w.youth[1]!.id, displayName: 'Bo' },
    );
    const people = await db().prisma.identity.findMany({ where: { externalId: { in: [w.youth[0]!.id, w.youth[1]!.id] } } });
    const personOf = (id: string) => people.find((p) => p.externalId === id)!.personId;
    w.discord.setDmsClosed(w.youth[1]!.id);

    expect(await w.adapter.direct(personOf(w.youth[0]!.id), { text: 'Husk at stemme – @everyone' })).toBe('sent');
    expect(w.discord.dmsTo(w.youth[0]!.id).map((m) => unescapeDiscord(m.content))).toEqual(['Husk at stemme – @everyone']);
    expect(await w.adapter.direct(personOf(w.youth[1]!.id), { text: 'Husk at stemme' })).toBe('closed');
    expect(await w.adapter.direct('no-such-person', { text: 'x' })).toBe('unknown');
  });

  it('DMs to a whole group go out one at a time, spaced; a 429 holds back every DM after it for as long as Discord said', async () => {
    // Discord's DM buckets, scaled down with the spacing (5 in 5 s against one a second in production).
    const window = { limit: 5, windowMs: 500 };
    const w = await discordWorld(db(), {
      register: (r) => testFlows(r),
      dmPacing: { intervalMs: 60, retries: 3 },
      standIn: { rateLimits: { buckets: { 'dm-open': window, 'dm-send': window } } },
    });
    const members = Array.from({ length: 8 }, (_, n) => makeUser({ username: `m${n}` }));
    const people: string[] = [];
    for (const u of members) {
      w.discord.addUser(u);
      const added = await w.pulje.setup.addMember(
        { personId: w.adminPersonId },
        { groupId: w.groupId, role: 'youth', platform: 'discord', externalId: u.id, displayName: u.username },
      );
      people.push(added.person.id);
    }
    w.discord.rateLimitNext('POST /channels/{channel_id}/messages', { retryAfter: 0.3 });
    const results = await Promise.all(people.map((p) => w.adapter.direct(p, { text: 'Husk at stemme i morgen' })));
    expect(results).toEqual(people.map(() => 'sent'));
    for (const u of members) expect(w.discord.dmsTo(u.id).map((m) => m.content)).toEqual(['Husk at stemme i morgen']);

    const isDm = (r: { template?: string; path: string }) =>
      r.template === '/users/@me/channels' ||
      (r.template === '/channels/{channel_id}/messages' && w.discord.store.channels.get(r.path.split('/')[2]!)?.type === ChannelKind.DM);
    const dms = w.discord.requests.filter(isDm);
    // Never two DM requests within the spacing (a little less, for timer rounding).
    expect(w.discord.peakRequests(isDm, 55)).toBe(1);
    const limited = dms.findIndex((r) => r.status === 429);
    expect(limited).toBeGreaterThan(0);
    expect(dms[limited + 1]!.realAt - dms[limited]!.realAt).toBeGreaterThanOrEqual(295);
    expect(w.discord.throttles.filter((x) => !x.scripted)).toEqual([]);
  });

  it('suggests choices while an argument is typed (also to someone new), within 25 choices of 100 characters; none outside', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const rec = w.discord.sendAutocomplete({ name: 'pick', options: { proposal: 'Ska' }, focused: 'proposal', user: w.youth[0] });
    const r = await w.discord.waitForResponse(rec.id);
    expect(r.response.type).toBe(8);
    expect(r.choices).toHaveLength(25);
    expect(r.choices![0]).toEqual({ name: 'x'.repeat(99) + '…', value: 'long-label' });
    expect(r.choices![1]).toEqual({ name: 'Ska idé 1', value: 'p1' });
    expect(r.choices!.some((c) => String((c as { value: unknown }).value).length > 100)).toBe(false);

    const outside = w.discord.sendAutocomplete({
      name: 'pick',
      options: { proposal: 'Ska' },
      focused: 'proposal',
      user: w.youth[1],
      channelId: w.other.id,
    });
    expect((await w.discord.waitForResponse(outside.id)).choices).toEqual([]);
    // Typing where nothing is bound makes nobody a member.
    expect(await db().prisma.identity.count({ where: { externalId: w.youth[1]!.id } })).toBe(0);

    const chosen = w.discord.sendSlashCommand({ name: 'pick', options: { proposal: 'p7' }, user: w.youth[0] });
    expect(unescapeDiscord((await w.discord.waitForResponse(chosen.id)).original!.content)).toBe('Valgt: p7');
  });
});
