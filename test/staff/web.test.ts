import { afterEach, expect, it } from 'vitest';
import { Hub } from '../../adapters/web/hub.ts';
import { WEB_LIMITS } from '../../adapters/web/limits.ts';
import { webNotices } from '../../adapters/web/notices.ts';
import { webStore } from '../../adapters/web/store.ts';
import { fitMessage } from '../../src/conversation/index.ts';
import { ballotAction } from '../../src/flows/ballot.ts';
import { button } from '../../src/flows/common.ts';
import { phaseScope } from '../../src/flows/rounds.ts';
import { translator } from '../../src/i18n/index.ts';
import { startWebServer, type WebServer } from '../../adapters/web/server.ts';
import { createRouter } from '../../src/app.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { staffJobs } from '../../src/staff/jobs.ts';
import { createNotifier } from '../../src/staff/notifier.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { failOnError } from '../flows/harness.ts';
import { describeEachEngine, type TestDatabase } from '../support/databases.ts';
import { HOUR, manualClock } from '../usecases/fixtures.ts';
import { readEvents, signIn } from '../web/harness.ts';

type Message = {
  id: string;
  private: boolean;
  author: string;
  text?: string;
  body?: {
    text: Array<{ text: string }>;
    cards: Array<{ title?: string; body: Array<{ text: string }>; rows: Array<{ buttons?: Array<{ id: string; label: string }> }> }>;
  };
};
const textOf = (m: Message) =>
  m.text ??
  [...(m.body?.text ?? []).map((s) => s.text), ...(m.body?.cards ?? []).flatMap((c) => [c.title ?? '', ...c.body.map((s) => s.text)])].join(
    '\n',
  );

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A Danish group with a pedagogue (Mette, admin) and young web members with these names, on a hand-moved clock. */
async function klubben(database: TestDatabase, names: readonly string[]) {
  const clock = manualClock();
  const pulje = createPulje({ db: database, clock: clock.now });
  const boot = await pulje.setup.createOrganisation({
    name: 'Køge',
    group: { name: 'Klubben', locale: 'da' },
    admin: { displayName: 'Mette', platform: 'web', externalId: 'mette' },
  });
  const staff = { personId: boot.admin.id };
  const youth: string[] = [];
  for (const name of names)
    youth.push(
      (await pulje.setup.addMember(staff, { groupId: boot.group.id, role: 'youth', platform: 'web', externalId: name, displayName: name }))
        .person.id,
    );
  return { clock, pulje, boot, staff, youth, hub: new Hub() };
}

describeEachEngine('staff notices in the web chat', (db) => {
  it('the reminder is a private message in the web room, pushed live, and its one tap opts out; the result at the deadline is posted for all', async () => {
    const { clock, pulje, boot, staff, youth, hub } = await klubben(db(), ['Aya', 'Bo']);
    const router = createRouter({ defaultLocale: 'da', pulje, logger: failOnError });
    server = await startWebServer({
      config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
      router,
      pulje,
      port: 0,
      hub,
    });
    const aya = await signIn(server.url, youth[0]!);
    const bo = await signIn(server.url, youth[1]!);
    const room = aya.conversations[0]!.id;

    const round = await pulje.rounds.create(staff, {
      groupId: boot.group.id,
      title: 'Sommerpuljen',
      amount: 1_000_000,
      ballotType: 'approval',
      rule: 'greedy',
      votingDeadline: new Date(clock.now().getTime() + 12 * HOUR),
    });
    await pulje.rounds.openIdeas(staff, { roundId: round.id });
    await pulje.proposals.submit({ personId: youth[0]! }, { roundId: round.id, title: 'Bænke', description: 'x', cost: 1000 });
    await pulje.rounds.openVoting(staff, { roundId: round.id });

    const notifier = createNotifier([webNotices({ pulje, hub })], pulje.notices);
    const scheduler = createScheduler({ jobs: staffJobs({ pulje, notifier }), leases: pulje.jobRuns, now: clock.now });
    const live = await readEvents(`${server.url}/api/conversations/${room}/events`, aya.token, (events) =>
      events.some((e) => e.data?.author === 'pulje' && JSON.stringify(e.data).includes('lukker snart')),
    );
    expect((await scheduler.fire('reminders', new Date('2026-03-01T10:10:00Z'))).outcome).toBe('ran');
    const pushed = (await live.done).find((e) => e.data?.author === 'pulje')!.data as Message;
    expect(pushed.private).toBe(true);
    expect(textOf(pushed)).toContain('Afstemningen om Sommerpuljen lukker snart');
    // Only its recipient sees it.
    const boSees: Message[] = (await bo.api.get(`/api/conversations/${room}/messages`)).body.messages;
    expect(boSees.filter((m) => m.author === 'pulje' && m.private && textOf(m).includes('lukker snart'))).toHaveLength(1);
    const ayaSees: Message[] = (await aya.api.get(`/api/conversations/${room}/messages`)).body.messages;
    const reminder = ayaSees.find((m) => m.id === pushed.id)!;
    const stop = reminder.body!.cards[0]!.rows[0]!.buttons!.find((b) => b.label === 'Ingen påmindelser')!;
    const pressed = await aya.api.post(`/api/conversations/${room}/actions`, { messageId: reminder.id, actionId: stop.id });
    expect(textOf(pressed.body.messages[0])).toContain('du får ingen påmindelser fra denne gruppe');
    expect(await pulje.reminders.optedOut({ personId: youth[0]! }, { groupId: boot.group.id })).toBe(true);

    // The room's voting announcement, as the flow posts it when staff open voting in the chat.
    const [announcement] = fitMessage(
      {
        cards: [
          {
            title: 'Nu kan I stemme: Sommerpuljen',
            body: 'Stem på de idéer, du synes om.',
            controls: [button('Stem', ballotAction.open(round.id), 'primary')],
            scope: phaseScope(round.id, 'voting'),
          },
        ],
      },
      WEB_LIMITS,
    );
    const card = await webStore(pulje).addPulje(room, announcement!, null);

    // At the deadline, everyone in the room sees the result.
    clock.advance(13 * HOUR);
    expect((await scheduler.fire('deadlines', new Date('2026-03-01T23:00:00Z'))).outcome).toBe('ran');
    const after: Message[] = (await bo.api.get(`/api/conversations/${room}/messages`)).body.messages;
    const result = after.filter((m) => m.author === 'pulje' && !m.private).at(-1)!;
    expect(textOf(result)).toContain('Fristen for at stemme i Sommerpuljen er nået');
    expect(textOf(result)).toContain('Resultat');
    // And the announcement's Stem is gone, its text kept, with a word on why.
    const retired = after.find((m) => m.id === card.view.id)!;
    expect(retired.body!.cards[0]).toMatchObject({
      title: 'Nu kan I stemme: Sommerpuljen',
      rows: [],
      footer: translator('da')('flow.retire.voting'),
    });
  });

  it('after a result each young voter is asked "did you have a real say?" on their own, once; one tap answers it', async () => {
    const { clock, pulje, boot, staff, youth, hub } = await klubben(db(), ['Aya', 'Bo', 'Cem']);
    server = await startWebServer({
      config: { HOST: '127.0.0.1', PORT: 0, PULJE_DEMO: true, PULJE_LOCALE: 'da' },
      router: createRouter({ defaultLocale: 'da', pulje, logger: failOnError }),
      pulje,
      port: 0,
      hub,
    });
    const [aya, bo, cem] = await Promise.all(youth.map((id) => signIn(server!.url, id)));
    const room = aya!.conversations[0]!.id;
    const round = await pulje.rounds.create(staff, {
      groupId: boot.group.id,
      title: 'Sommerpuljen',
      amount: 1_000_000,
      ballotType: 'approval',
      rule: 'greedy',
    });
    await pulje.rounds.openIdeas(staff, { roundId: round.id });
    await pulje.proposals.submit({ personId: youth[0]! }, { roundId: round.id, title: 'Bænke', description: 'x', cost: 1000 });
    await pulje.rounds.openVoting(staff, { roundId: round.id });
    // Aya and Bo vote; Cem does not.
    for (const id of youth.slice(0, 2))
      await pulje.ballots.cast({ personId: id }, { roundId: round.id, choice: { type: 'approval', picks: [1] } });

    const notifier = createNotifier([webNotices({ pulje, hub })], pulje.notices);
    const scheduler = createScheduler({ jobs: staffJobs({ pulje, notifier }), leases: pulje.jobRuns, now: clock.now });
    // Nothing to ask before there is a result.
    expect((await scheduler.fire('say', new Date('2026-03-01T10:05:00Z'))).result).toEqual({ sent: 0, undelivered: 0 });
    await pulje.rounds.close(staff, { roundId: round.id });
    clock.advance(HOUR);
    expect((await scheduler.fire('say', new Date('2026-03-01T11:05:00Z'))).result).toEqual({ sent: 2, undelivered: 0 });
    // Once: the next slot sends nobody anything.
    expect((await scheduler.fire('say', new Date('2026-03-01T11:15:00Z'))).result).toEqual({ sent: 0, undelivered: 0 });

    const asked = async (who: typeof aya) =>
      ((await who!.api.get(`/api/conversations/${room}/messages`)).body.messages as Message[]).filter(
        (m) => m.author === 'pulje' && textOf(m).includes('Havde du reelt noget at skulle have sagt?'),
      );
    const [question] = await asked(aya);
    expect(question!.private).toBe(true);
    expect(textOf(question!)).toContain('Om «Sommerpuljen», som der nu er en afgørelse på.');
    expect(await asked(bo)).toHaveLength(1);
    // Only voters are asked, and each sees only their own question.
    expect(await asked(cem)).toHaveLength(0);

    const four = question!.body!.cards[0]!.rows[0]!.buttons!.find((b) => b.label === '4')!;
    const pressed = await aya!.api.post(`/api/conversations/${room}/actions`, { messageId: question!.id, actionId: four.id });
    expect(textOf(pressed.body.messages[0])).toContain('Tak! Du svarede 4.');
    expect(await db().prisma.sayTally.findMany({ where: { roundId: round.id }, select: { score: true, n: true } })).toEqual([
      { score: 4, n: 1 },
    ]);
    // Asked once means once: the result does not ask Bo again.
    expect(await pulje.voice.shouldAsk({ personId: youth[1]! }, { roundId: round.id })).toBe(false);
  });
});
