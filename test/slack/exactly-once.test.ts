import { afterEach, expect, it } from 'vitest';
import { startSlack, type SettledReport } from '../../adapters/slack/index.ts';
import { startWebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { slackWorld, type SlackWorld } from './harness.ts';

let w: SlackWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** A round open for ideas in the group bound to #general, with Kari as staff. */
async function ideasOpen(world: SlackWorld) {
  const admin = { personId: world.adminPersonId };
  await world.pulje.setup.bindConversation(admin, { groupId: world.groupId, platform: 'slack', channelId: world.channel('general') });
  const kari = await world.pulje.setup.addMember(admin, {
    groupId: world.groupId,
    role: 'staff',
    platform: 'slack',
    externalId: world.user('kari'),
    displayName: 'Kari',
  });
  await world.pulje.setup.addMember(admin, {
    groupId: world.groupId,
    role: 'youth',
    platform: 'slack',
    externalId: world.user('ida'),
    displayName: 'Ida',
  });
  const staff = { personId: kari.person.id };
  const round = await world.pulje.rounds.create(staff, {
    groupId: world.groupId,
    title: 'Sommerpuljen',
    amount: 1_000_000,
    ballotType: 'approval',
    rule: 'greedy',
  });
  await world.pulje.rounds.openIdeas(staff, { roundId: round.id });
}

describeEachEngine('Slack deliveries act once', (db) => {
  it('an Events API delivery Slack retries (X-Slack-Retry-Num 1–3) is captured once, deduplicated on event_id in the database', async () => {
    // Slack retries an event whose answer it did not get in time; a 1 ms window makes every answer late.
    w = await slackWorld(db(), { standIn: { ackDeadlineMs: 1 } });
    await ideasOpen(w);
    const delivery = await w.slack.userPosts({
      channelId: w.channel('general'),
      userId: w.user('ida'),
      text: 'Vi vil have en bordtennisplade',
    });
    expect(delivery!.attempts.map((a) => a.request.headers['x-slack-retry-num'])).toEqual([undefined, '1', '2', '3']);
    await w.settled(4);
    expect(await db().prisma.discussionMessage.count()).toBe(1);
    expect(w.reports.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await db().prisma.processedEvent.count({ where: { key: { contains: delivery!.eventId } } })).toBe(1);
    w.slack.takeViolations('late-ack');
    expect(w.log.problems()).toEqual([]);
  });

  it('a repeated interaction payload (the same modal submission twice, on this instance and on another) stores one proposal and answers once', async () => {
    w = await slackWorld(db());
    await ideasOpen(w);
    const ida = w.user('ida');
    await w.slack.sendSlashCommand({ userId: ida, text: 'foreslå', channelId: w.channel('general') });
    await w.settled(1);
    const view = w.slack.views({ userId: ida, type: 'modal' }).find((v) => v.open)!;
    const values = {
      title: { title: { value: 'Skatepark' } },
      description: { description: { value: 'En rampe.' } },
      cost: { cost: { value: '4.000' } },
    };
    const first = await w.slack.sendViewSubmission({ userId: ida, viewId: view.id, values });
    await w.settled(2);
    // The same signed request again, byte for byte (a client or proxy repeating it).
    const again = await fetch(`${w.web!.url}/slack/events`, { method: 'POST', headers: first.request.headers, body: first.request.body });
    expect(again.status).toBe(200);
    await w.settled(3);
    expect(await db().prisma.proposal.count()).toBe(1);
    expect(w.reports.map((r) => [r.kind, r.duplicate])).toEqual([
      ['command', false],
      ['form', false],
      ['form', true],
    ]);
    const thanks = w.slack.messages(w.channel('general')).filter((m) => m.ephemeralFor === ida && m.text.includes('#1'));
    expect(thanks).toHaveLength(1);

    // A second Pulje instance on the same database gets the same request (a load balancer trying again elsewhere).
    const pulje = createPulje({ db: db() });
    const router = createRouter({ pulje, defaultLocale: 'da' });
    const web = await startWebServer({
      config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
      router,
      pulje,
      port: 0,
    });
    let settled: ((r: SettledReport) => void) | undefined;
    const reported = new Promise<SettledReport>((resolve) => (settled = resolve));
    const other = await startSlack({
      config: {
        SLACK_BOT_TOKEN: w.slack.botToken,
        SLACK_SIGNING_SECRET: w.slack.signingSecret,
        SLACK_APP_TOKEN: undefined,
        SLACK_API_URL: w.slack.apiUrl,
        PULJE_LOCALE: 'da',
      },
      router,
      pulje,
      mount: web.mount,
      retries: 0,
      onSettled: (r) => settled?.(r),
    });
    try {
      const elsewhere = await fetch(`${web.url}/slack/events`, {
        method: 'POST',
        headers: first.request.headers,
        body: first.request.body,
      });
      expect(elsewhere.status).toBe(200);
      expect(await reported).toMatchObject({ kind: 'form', duplicate: true });
      expect(await db().prisma.proposal.count()).toBe(1);
    } finally {
      await other.close();
      await web.close();
    }
    expect(w.log.problems()).toEqual([]);
  });
});
