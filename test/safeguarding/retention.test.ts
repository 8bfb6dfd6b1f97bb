import { afterEach, expect, it } from 'vitest';
import { Hub } from '../../adapters/web/hub.ts';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { staffJobs } from '../../src/staff/jobs.ts';
import { nobody } from '../../src/staff/notifier.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { pseudonymFor } from '../../src/usecases/retention.ts';
import { failOnError } from '../flows/harness.ts';
import { describeEachEngine } from '../support/databases.ts';
import { ideasRound } from '../support/rounds.ts';
import { DAY } from '../usecases/fixtures.ts';
import { staffWorld, talk } from '../staff/harness.ts';
import { client, signIn } from '../web/harness.ts';

// Retention (issue 15 item 4) on a fake clock: the scheduler's retention job removes what is past its time and
// reports how much; activity keeps a name; sessions and invites can be revoked.

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describeEachEngine('retention', (db) => {
  it('the retention job: web chat text past the window, crisis notes unlinked, inactive people pseudonymised, links and old audit gone', async () => {
    const w = await staffWorld(db(), { retentionDays: 30 });
    const pulje = createPulje({ db: db(), clock: w.clock.now, retentionDays: 30, inactiveMonths: 6, auditMonths: 12 });
    const router = createRouter({ defaultLocale: 'da', pulje, logger: failOnError, staff: { now: w.clock.now } });
    const [aya, jonas] = w.youth as [(typeof w.youth)[0], (typeof w.youth)[0]];
    // Rows get the database's own time when created; the fake clock is the world's time here.
    await db().prisma.person.updateMany({ data: { createdAt: w.clock.now() } });
    // Aya writes on Discord (captured, noted as activity) and says something the crisis lists know.
    w.chat.router = router;
    await talk(w, [[aya, 'jeg vil ikke leve mere']]);
    await db().prisma.webMessage.create({
      data: {
        id: 'w1',
        conversationId: w.conversationId,
        author: 'member',
        authorId: aya.personId,
        authorName: 'Aya',
        body: '{"text":"hej"}',
        createdAt: w.clock.now(),
      },
    });
    await db().prisma.webMessage.create({
      data: { id: 'w2', conversationId: w.conversationId, author: 'pulje', body: '{"text":"Resultat"}', createdAt: w.clock.now() },
    });
    await pulje.privacy.exportLink({ personId: aya.personId });
    // A refused form's values, kept for its next opening.
    await pulje.formDrafts.keep(aya.personId, 'proposal:new:x', { title: 'Skatepark', cost: 'ca. 3000' });
    await pulje.discussion.members({ personId: w.staff.personId }, { groupId: w.groupId });
    // Discord cards kept for a retire that never took them off: one of a round still running, one of a round gone.
    const running = await ideasRound(pulje, w.staff, w.groupId);
    const card = (scope: string, messageId: string) =>
      pulje.publicCards.keep({
        ref: { platform: 'discord', channelId: '111', messageId },
        workspace: '',
        message: { text: [], cards: [{ body: [], fields: [], tone: 'neutral', rows: [{ kind: 'buttons', buttons: [] }], scope }] } as never,
      });
    await card(`round:${running.id}:ideas`, '201');
    await card('round:gone:voting', '202');
    const scheduler = createScheduler({ jobs: staffJobs({ pulje, notifier: nobody }), leases: pulje.jobRuns, now: w.clock.now });

    // Nothing is past its time yet (the link has an hour).
    const first = await scheduler.fire('retention', new Date(w.clock.now().getTime() + 60_000));
    expect(first.outcome).toBe('ran');
    expect(first.result).toEqual({
      webMessages: 0,
      alertsUnlinked: 0,
      pseudonymised: 0,
      exportLinks: 0,
      auditEntries: 0,
      formDrafts: 0,
      publicCards: 1,
      dashboardLinks: 0,
      dashboardSessions: 0,
    });

    // 31 days on: text and the crisis note's person go; the public result card stays; the link expired.
    w.clock.advance(31 * DAY);
    const second = await scheduler.fire('retention', w.clock.now());
    expect(second.result).toEqual({
      webMessages: 1,
      alertsUnlinked: 1,
      pseudonymised: 0,
      exportLinks: 1,
      auditEntries: 0,
      formDrafts: 1,
      publicCards: 0,
      dashboardLinks: 0,
      dashboardSessions: 0,
    });
    expect((await db().prisma.webMessage.findMany()).map((m) => m.id)).toEqual(['w2']);
    // The running round's card stays until the round is done.
    expect((await db().prisma.publicCard.findMany()).map((c) => c.messageId)).toEqual(['201']);
    await db().prisma.round.update({ where: { id: running.id }, data: { phase: 'done' } });
    expect((await pulje.retention.run()).publicCards).toBe(1);
    expect(await db().prisma.publicCard.count()).toBe(0);
    expect(await db().prisma.safeguardingAlert.count({ where: { personId: null, level: 'urgent' } })).toBe(1);

    // Seven months on: Jonas never used Pulje, Aya last did 7 months ago, and Sofie writes now: she keeps her name.
    w.clock.advance(6 * 30 * DAY);
    await talk(w, [[w.youth[2]!, 'Jeg er her stadig']]);
    const third = await scheduler.fire('retention', w.clock.now());
    const people = new Map((await db().prisma.person.findMany()).map((p) => [p.id, p]));
    expect(people.get(aya.personId)!.displayName).toBe(pseudonymFor(aya.personId));
    expect(people.get(jonas.personId)!.displayName).toMatch(/^Deltager [0-9A-F]{6}$/);
    expect(people.get(w.youth[2]!.personId)!.displayName).toBe('Sofie Jensen');
    expect((third.result as { pseudonymised: number }).pseudonymised).toBeGreaterThanOrEqual(2);
    // The audit is kept 12 months: the read 7 months ago is still there; 6 months later it is not.
    expect(await db().prisma.accessAudit.count()).toBeGreaterThan(0);
    w.clock.advance(6 * 30 * DAY);
    const fourth = await scheduler.fire('retention', w.clock.now());
    expect((fourth.result as { auditEntries: number }).auditEntries).toBeGreaterThan(0);
    // Each run's report is kept with the run.
    const runs = await db().prisma.jobRun.findMany({ where: { job: 'retention' } });
    expect(runs).toHaveLength(4);
    expect(runs.every((r) => r.state === 'done' && r.result !== null)).toBe(true);
  });

  it('the retention job deletes used or expired dashboard links and signed-out or expired dashboard sessions', async () => {
    const w = await staffWorld(db());
    const pulje = createPulje({ db: db(), clock: w.clock.now });
    const staff = { personId: w.staff.personId };
    const access = pulje.dashboardAccess;
    const live = (await access.redeem((await access.issueLink(staff)).token))!;
    const signedOut = (await access.redeem((await access.issueLink(staff)).token))!;
    await access.signOut(signedOut.token);
    await access.issueLink(staff);
    const counts = async () => [await db().prisma.dashboardLink.count(), await db().prisma.dashboardSession.count()];
    expect(await counts()).toEqual([3, 2]);
    // Now: the two used links and the signed-out session go; the open link and the live session stay.
    expect(await pulje.retention.run()).toMatchObject({ dashboardLinks: 2, dashboardSessions: 1 });
    expect(await counts()).toEqual([1, 1]);
    expect((await access.viewer(live.token))?.personId).toBe(w.staff.personId);
    // 13 hours on, the open link (15 minutes) and the session (12 hours) have expired.
    w.clock.advance(13 * 3600_000);
    expect(await pulje.retention.run()).toMatchObject({ dashboardLinks: 1, dashboardSessions: 1 });
    expect(await counts()).toEqual([0, 0]);
  });

  it('sessions and invites expire (signed), and /signout revokes the ones already issued', async () => {
    const pulje = createPulje({ db: db() });
    const boot = await pulje.setup.createOrganisation({
      name: 'Dragør',
      group: { name: 'Netværket', locale: 'da' },
      admin: { displayName: 'Mette', platform: 'web', externalId: 'mette' },
    });
    const aya = (
      await pulje.setup.addMember(
        { personId: boot.admin.id },
        { groupId: boot.group.id, role: 'youth', platform: 'web', externalId: 'aya', displayName: 'Aya' },
      )
    ).person.id;
    const router = createRouter({ defaultLocale: 'da', pulje, logger: failOnError });
    server = await startWebServer({
      config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
      router,
      pulje,
      port: 0,
      hub: new Hub(),
    });
    const admin = await signIn(server.url, boot.admin.id);
    const invite = await admin.api.post('/api/invites', { personId: aya, groupId: boot.group.id });
    expect(invite.status).toBe(201);
    const me = await signIn(server.url, aya);
    const room = me.conversations[0]!.id;
    expect((await me.api.get('/api/me')).status).toBe(200);
    const out = await me.api.post(`/api/conversations/${room}/messages`, { text: '/logud' });
    expect(JSON.stringify(out.body)).toContain('Du er logget ud alle steder');
    expect((await me.api.get('/api/me')).status).toBe(401);
    expect((await me.api.get(`/api/conversations/${room}/messages`)).status).toBe(401);
    const opened = await client(server.url).get(new URL(invite.body.url).pathname);
    expect(opened.status).toBe(403);
    expect(await pulje.webChat.isMember(aya, boot.group.id)).toBe(true);
    // A new sign-in works at once.
    expect((await (await signIn(server.url, aya)).api.get('/api/me')).status).toBe(200);
  });
});
