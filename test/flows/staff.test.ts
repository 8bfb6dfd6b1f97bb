import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import type { Shown } from '../../adapters/shell/chat-place.ts';
import {
  Chat,
  buttonsOf,
  expectNothingChanged,
  expectPrivateRefusal,
  flowWorld,
  replyTexts,
  selectsOf,
  textOf,
  votingRound,
} from './harness.ts';
import { ideasRound } from '../support/rounds.ts';

describeEachEngine('staff flows', (db) => {
  it('/bind links a new channel to a group the person staffs, and admins may create a group for it', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const fresh = new Chat(w.router, w.chat.limits, 'chan-2');

    // A young person cannot bind; nothing is created.
    const refused = await expectNothingChanged(db(), () => fresh.command(w.youth[0]!, 'bind'));
    expectPrivateRefusal(refused, /^Det er kun medarbejdere eller administratorer, der kan gøre det\.$/);

    // Staff pick their group from a list; a pedagogue (not an admin) is not offered a new group.
    await fresh.command(w.staff, 'bind');
    const choose = fresh.last(w.staff);
    expect(choose.recipient).toBe(w.staff.key);
    expect(selectsOf(choose.message)[0]!.options.map((o) => o.label)).toEqual(['Ungerådet']);
    expect(buttonsOf(choose.message).map((b) => b.label)).not.toContain('Opret ny gruppe');
    await fresh.choose(w.staff, choose, [w.groupId]);
    expect(textOf(choose.message)).toBe('Kanalen er koblet til Ungerådet.');
    expect(textOf(fresh.lastPublic().message)).toContain('Hej, Ungerådet! 👋');
    expect(await db().prisma.conversation.findFirstOrThrow({ where: { channelId: 'chan-2' } })).toMatchObject({
      groupId: w.groupId,
      platform: 'discord',
    });
    expect(await db().prisma.logEntry.count({ where: { kind: 'binding' } })).toBe(2);

    // Bound now: the channel answers as the group's, and binding again changes nothing.
    expectPrivateRefusal(
      await expectNothingChanged(db(), () => fresh.command(w.staff, 'bind')),
      /^Kanalen er allerede koblet til Ungerådet\.$/,
    );
    expect(replyTexts(await fresh.command(w.youth[0]!, 'help'))).toContain('/foreslå');

    // An admin names a group that does not exist yet: it is created (in the person's language) and bound.
    const third = new Chat(w.router, w.chat.limits, 'chan-3');
    await third.send(w.admin, { kind: 'command', name: 'bind', text: 'Pigegruppen', localeHint: 'en' });
    const group = await db().prisma.group.findFirstOrThrow({ where: { name: 'Pigegruppen' } });
    expect(await db().prisma.conversation.findFirstOrThrow({ where: { channelId: 'chan-3' } })).toMatchObject({ groupId: group.id });
    expect(group.locale).toBe('en');
    expect(textOf(third.lastPublic().message)).toContain('Hi, Pigegruppen! 👋');
    // A pedagogue cannot create groups: a name that is not theirs is refused.
    const fourth = new Chat(w.router, w.chat.limits, 'chan-4');
    const unknown = await expectNothingChanged(db(), () => fourth.command(w.staff, 'bind', 'Drengegruppen'));
    expectPrivateRefusal(unknown, /du er ikke voksen i en gruppe, der hedder "Drengegruppen"/);
    // By name, a group they staff binds directly.
    await fourth.command(w.staff, 'kobl', 'ungerådet');
    expect(await db().prisma.conversation.findFirstOrThrow({ where: { channelId: 'chan-4' } })).toMatchObject({ groupId: w.groupId });
    // Suggestions while typing the name: only groups the person staffs.
    expect(
      await w.router.complete({
        command: 'bind',
        arg: 'name',
        partial: 'ung',
        actor: { platform: 'discord', externalId: w.staff.externalId },
        conversation: { platform: 'discord', channelId: 'chan-9' },
      }),
    ).toEqual([{ label: 'Ungerådet', value: 'Ungerådet' }]);
  });

  it('sets up a round with selects and a form: ballot type, rule and limits', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    await w.chat.command(w.staff, 'nyrunde');
    await w.chat.submit(w.staff, { title: 'Sommerpuljen', amount: '10.000 kr.' });
    const settings = w.chat.last(w.staff);
    expect(textOf(settings.message)).toContain('Runden er oprettet som kladde.');
    const [types, rules] = selectsOf(settings.message);
    expect(types!.options.find((o) => o.selected)?.value).toBe('approval');
    expect(rules!.options.map((o) => o.value)).toEqual(['greedy', 'greedy-no-skip', 'greedy-threshold', 'equal-shares']);

    await w.chat.choose(w.staff, settings, ['cumulative'], 0);
    let round = await db().prisma.round.findFirstOrThrow();
    expect(round).toMatchObject({ ballotType: 'cumulative', rule: 'greedy', points: 10 });
    expect(textOf(settings.message)).toContain('10 point pr. person');

    await w.chat.choose(w.staff, settings, ['equal-shares'], 1);
    round = await db().prisma.round.findFirstOrThrow();
    expect(round).toMatchObject({ rule: 'equal-shares', completion: 'add1' });

    await w.chat.click(w.staff, settings, 'Flere indstillinger');
    expect(w.chat.form(w.staff).inputs.map((i) => [i.name, i.initial])).toEqual([
      ['points', '10'],
      ['min_picks', undefined],
      ['max_picks', undefined],
    ]);
    await w.chat.submit(w.staff, { points: '5', min_picks: '', max_picks: '3' });
    round = await db().prisma.round.findFirstOrThrow();
    expect(round).toMatchObject({ points: 5, minPicks: null, maxPicks: 3 });

    // Yes/no brings its own rule; back to approval brings "most votes first" back.
    await w.chat.choose(w.staff, settings, ['yesno'], 0);
    expect(await db().prisma.round.findFirstOrThrow()).toMatchObject({
      ballotType: 'yesno',
      rule: 'yes-no',
      points: null,
      maxPicks: null,
      thresholdNum: 1,
      thresholdDen: 2,
    });
    await w.chat.choose(w.staff, settings, ['approval'], 0);
    expect(await db().prisma.round.findFirstOrThrow()).toMatchObject({ ballotType: 'approval', rule: 'greedy' });

    await w.chat.click(w.staff, settings, 'Ret navn og beløb');
    expect(w.chat.form(w.staff).inputs.map((i) => i.initial)).toEqual(['Sommerpuljen', '10.000 kr.']);
    await w.chat.submit(w.staff, { title: 'Vinterpuljen', amount: '12.500,50' });
    expect(await db().prisma.round.findFirstOrThrow()).toMatchObject({ title: 'Vinterpuljen', amount: 1_250_050 });
    // Every change is in the log.
    expect(await db().prisma.logEntry.count({ where: { kind: 'config', data: { contains: 'round_configured' } } })).toBe(6);
  });

  it('feasibility notes and moderation are announced as decisions (a hidden idea by its number only), with the reason also in the log', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    const staff = { personId: w.staff.personId };
    const round = await ideasRound(w.pulje, staff, w.groupId);
    const [author, other] = w.youth as [(typeof w.youth)[0], (typeof w.youth)[0]];
    for (const title of ['Trampolin på taget', 'Grill']) {
      await w.chat.command(author, 'propose');
      await w.chat.submit(author, { title, description: 'Det bliver godt.', cost: '3.000' });
    }

    // Staff see who proposed; young people do not.
    await w.chat.command(w.staff, 'proposals', '1');
    const card = w.chat.last(w.staff);
    expect(textOf(card.message)).toContain('Lavet af\nAya');
    await w.chat.command(other, 'idé', '#1');
    expect(textOf(w.chat.last(other).message)).not.toContain('Aya');

    await w.chat.click(w.staff, card, 'Kan ikke lade sig gøre');
    expect(w.chat.form(w.staff).inputs.map((i) => i.name)).toEqual(['note']);
    const noted = await w.chat.submit(w.staff, { note: 'Taget må ikke bruges af sikkerhedsgrunde.' });
    expect(noted.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['public']);
    const note = textOf(w.chat.lastPublic().message);
    expect(note).toContain('Idé #1 kan ikke lade sig gøre');
    expect(note).toContain('De voksne har vurderet, at #1 "Trampolin på taget" ikke kan lade sig gøre, så det er ikke med på listen.');
    expect(note).toContain('Hvem besluttede det\nPia Pædagog (medarbejder)');
    expect(note).toContain('Hvorfor\nTaget må ikke bruges af sikkerhedsgrunde.');
    expect(note).not.toContain('Aya');
    expect(replyTexts(await w.chat.command(other, 'proposals'))).toContain('ikke muligt');

    // A note is required.
    await w.chat.command(w.staff, 'proposals', '2');
    const second = w.chat.last(w.staff);
    await w.chat.click(w.staff, second, 'Kan ikke lade sig gøre');
    expectPrivateRefusal(await expectNothingChanged(db(), () => w.chat.submit(w.staff, { note: '  ' })), /Skriv en begrundelse/);

    // Eligible again: announced too.
    await w.chat.command(w.staff, 'proposals', '1');
    await w.chat.click(w.staff, w.chat.last(w.staff), 'Kan alligevel lade sig gøre');
    expect(textOf(w.chat.lastPublic().message)).toContain('"Trampolin på taget" kan alligevel lade sig gøre og er med igen.');

    // Hiding is announced too, but only that an idea was hidden, by whom and why, not what it said; the staff
    // member sees the idea as it is now. It leaves the others' list but not the author's.
    await w.chat.click(w.staff, second, 'Skjul');
    const hidden = await w.chat.submit(w.staff, { reason: 'Navn på en anden ung i teksten.' });
    expect(hidden.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['private', 'public']);
    const announced = textOf(w.chat.lastPublic().message);
    expect(announced).toContain('En idé er skjult');
    expect(announced).toContain('De voksne har skjult idé #2. Hvad der stod i den, vises ikke her.');
    expect(announced).toContain('Hvorfor\nNavn på en anden ung i teksten.');
    expect(announced).not.toContain('Grill');
    expect(replyTexts(await w.chat.command(other, 'proposals'))).not.toContain('Grill');
    expect(replyTexts(await w.chat.command(author, 'proposals'))).toMatch(/#2 Grill\n3\.000 kr\. · skjult · din idé/);

    const log = replyTexts(await w.chat.command(w.staff, 'log'));
    expect(log).toContain('Sommerpuljen: idé #2 blev skjult\nBegrundelse: Navn på en anden ung i teksten.');
    expect(log).toContain('Sommerpuljen: idé #1 blev markeret som ikke mulig\nBegrundelse: Taget må ikke bruges af sikkerhedsgrunde.');
    expect(log).toContain('· Pia Pædagog');
  });

  it('authors edit and withdraw their idea until voting opens', async () => {
    const w = await flowWorld(db(), { youth: 2, locale: 'en' });
    const staff = { personId: w.staff.personId };
    const round = await w.pulje.rounds.create(staff, {
      groupId: w.groupId,
      title: 'Summer pot',
      amount: 1_000_000,
      ballotType: 'approval',
      rule: 'greedy',
    });
    await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
    const author = w.youth[0]!;
    // What is typed after the command fills in the form.
    await w.chat.command(author, 'propose', '800 Pizza');
    expect(w.chat.form(author).inputs.map((i) => [i.name, i.initial])).toEqual([
      ['title', 'Pizza'],
      ['description', undefined],
      ['cost', '800'],
      ['category', undefined],
    ]);
    await w.chat.submit(author, { title: 'Pizza', description: 'Friday pizza.', cost: '800' });
    // Their own answer, then the group's announcement of the new idea (which names no one).
    const [mine, announced] = w.chat.visibleTo(author).slice(-2) as [Shown, Shown];
    expect(announced.recipient).toBeNull();
    expect(textOf(announced.message)).toContain('New idea: #1 Pizza');
    expect(textOf(mine.message)).toContain('You can edit your idea or take it back until voting opens.');
    // Others see no edit buttons on it.
    await w.chat.command(w.youth[1]!, 'proposals', '1');
    expect(buttonsOf(w.chat.last(w.youth[1]!).message).map((b) => b.label)).not.toContain('Edit');

    await w.chat.click(author, mine, 'Edit');
    expect(w.chat.form(author).inputs.map((i) => i.initial)).toEqual(['Pizza', 'Friday pizza.', 'DKK 800', undefined]);
    await w.chat.submit(author, { title: 'Pizza night', description: 'Friday pizza.', cost: '1,200', category: 'food' });
    expect(await db().prisma.proposal.findFirstOrThrow()).toMatchObject({ title: 'Pizza night', cost: 120_000, category: 'food' });

    await w.chat.click(author, mine, 'Take back');
    expect(textOf(mine.message)).toContain('Do you want to take back "Pizza night"? This can’t be undone.');
    await w.chat.click(author, mine, 'No, keep it');
    expect(await db().prisma.proposal.findFirstOrThrow()).toMatchObject({ status: 'submitted' });
    await w.chat.click(author, mine, 'Take back');
    await w.chat.click(author, mine, 'Yes, take it back');
    expect(textOf(mine.message)).toContain('Your idea has been taken back.');
    expect(await db().prisma.proposal.findFirstOrThrow()).toMatchObject({ status: 'withdrawn' });
  });

  it('records progress on funded ideas for everyone to see', async () => {
    const w = await flowWorld(db(), { youth: 2 });
    const { round } = await votingRound(w, [400_000, 700_000], {}, ['Skatepark', 'Lydanlæg']);
    for (const y of w.youth)
      await w.pulje.ballots.cast({ personId: y.personId }, { roundId: round.id, choice: { type: 'approval', picks: [1] } });
    await w.pulje.rounds.close({ personId: w.staff.personId }, { roundId: round.id });

    await w.chat.command(w.staff, 'progress');
    const card = w.chat.last(w.staff);
    expect(textOf(card.message)).toContain('Brugt indtil nu: 0 kr. af 4.000 kr.');
    expect(textOf(card.message)).not.toContain('Lydanlæg');
    await w.chat.click(w.staff, card, 'Opdatér #1');
    await w.chat.click(w.staff, w.chat.last(w.staff), 'I gang');
    expect(w.chat.form(w.staff).title).toBe('#1: I gang');
    // Money spent needs a note; a percentage over 100 is refused.
    expectPrivateRefusal(
      await expectNothingChanged(db(), () => w.chat.submit(w.staff, { progress: '40', spent: '1.000', note: '' })),
      /note mangler/,
    );
    await w.chat.click(w.staff, card, 'Opdatér #1');
    await w.chat.click(w.staff, w.chat.last(w.staff), 'I gang');
    expectPrivateRefusal(
      await expectNothingChanged(db(), () => w.chat.submit(w.staff, { progress: '150', spent: '', note: '' })),
      /fremdrift skal være et helt tal fra 0 til 100/,
    );
    await w.chat.click(w.staff, card, 'Opdatér #1');
    await w.chat.click(w.staff, w.chat.last(w.staff), 'I gang');
    const saved = await w.chat.submit(w.staff, { progress: '40 %', spent: '1.000', note: 'Brædder og skruer er købt.' });
    expect(saved.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['public']);
    const news = w.chat.lastPublic().message.cards[0]!;
    expect(news.title).toBe('Nyt om #1 Skatepark');
    expect(news.body.map((b) => b.text).join('')).toBe(
      'I gang · 40 % · brugt 1.000 kr. af 4.000 kr.\nBrugt denne gang: 1.000 kr.\n\nBrædder og skruer er købt.',
    );

    // Anyone sees it; young people get no update buttons.
    const seen = await w.chat.command(w.youth[1]!, 'fremdrift');
    expect(replyTexts(seen)).toContain('I gang · 40 % · brugt 1.000 kr. af 4.000 kr.\nBrædder og skruer er købt.');
    expect(buttonsOf(w.chat.last(w.youth[1]!).message)).toEqual([]);
    expect(await db().prisma.implementationUpdate.count()).toBe(1);
  });

  it('the decision log pages newest first, in the reader’s language', async () => {
    const w = await flowWorld(db(), { youth: 3, locale: 'en' });
    const { round } = await votingRound(w, [100_000, 200_000, 300_000]);
    await w.pulje.rounds.close({ personId: w.staff.personId }, { roundId: round.id });
    const outcome = await w.chat.command(w.staff, 'log');
    const page = w.chat.last(w.staff);
    const first = textOf(page.message);
    expect(first).toContain('Decision log: Ungerådet');
    expect(first).toContain('Page 1 of 2');
    // Newest first: the result comes before voting opened.
    expect(first.indexOf('Sommerpuljen: result published')).toBeLessThan(first.indexOf('Sommerpuljen: ideas → voting'));
    expect(outcome.replies.map((r) => r.kind === 'send' && r.visibility)).toEqual(['private']);
    await w.chat.click(w.staff, page, 'Next ▶');
    const second = textOf(page.message);
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain('The group "Ungerådet" was created');
    expect(second).toContain('New young person in the group');
  });

  it('/help shows each person the commands they may use, described in their language', async () => {
    const w = await flowWorld(db(), { youth: 1 });
    const names = (text: string) => [...text.matchAll(/^\/(\S+)/gm)].map((m) => m[1]);
    const youthHelp = replyTexts(await w.chat.command(w.youth[0]!, 'help'));
    // In Danish, the Danish names (which every surface accepts), in Danish alphabetical order.
    expect(names(youthHelp)).toEqual([
      'alder',
      'beslutninger',
      'deltagelse',
      'foreslå',
      'forslag',
      'fremdrift',
      'glemmig',
      'hjælp',
      'kobl',
      'kvittering',
      'logud',
      'minedata',
      'minstemme',
      'resultat',
      'resume',
      'runde',
      'sprog',
      'stem',
      'støtte',
    ]);
    expect(youthHelp).toContain('/stem\nStem – det er hemmeligt');
    expect(youthHelp).toContain('/forslag [nummer]');
    // More commands than fit one card: the help is paged (▶ for the rest).
    const firstPage = replyTexts(await w.chat.command(w.staff, 'help'));
    const staffHelp = `${firstPage}\n${replyTexts(await w.chat.click(w.staff, w.chat.last(w.staff), '▶'))}`;
    expect(names(staffHelp)).toEqual([
      'alder',
      'beslutninger',
      'deltagelse',
      'forlæng',
      'forslag',
      'fremdrift',
      'frister',
      'følg',
      'genåbn',
      'glemmig',
      'hjælp',
      'kobl',
      'logbog',
      'logud',
      'luk',
      'minedata',
      'nyrunde',
      'openideas',
      'openvoting',
      'overblik',
      'overstyringer',
      'resultat',
      'resume',
      'runde',
      'sparring',
      'sprog',
      'staffsettings',
      'stopfølg',
      'støtte',
    ]);
    // Every command has a description and argument hints in both languages.
    for (const locale of ['da', 'en'] as const) {
      for (const c of w.router.describeCommands(locale)) {
        expect(c.description, c.name).toMatch(/\S/);
        expect(c.description, c.name).not.toMatch(/^(flow|command|staff)\./);
        for (const a of c.args) expect(a.hint).not.toMatch(/^(flow|field|staff)\./);
      }
    }
  });

  it('/help in an English group is in English', async () => {
    const w = await flowWorld(db(), { youth: 1, locale: 'en' });
    const help = replyTexts(await w.chat.command(w.staff, 'help'));
    expect(help).toContain('/newround\nStart a new round with a pot of money');
    expect(help).toContain('/bind [group name] [staff role]\nLink this channel to a group (for staff)');
  });
});
