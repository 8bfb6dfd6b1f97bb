import { expect, it } from 'vitest';
import { discord } from '../../src/conversation/index.ts';
import { t } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { gate, OPTIONS, testFlows } from './flows.ts';
import { button, buttons, discordWorld, readable, selects, unescapeDiscord } from './harness.ts';

describeEachEngine('Discord adapter: answers', (db) => {
  it('answers a command at once (type 4), privately, as an embed, and tells nobody about the time it took', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const rec = w.discord.sendSlashCommand({ name: 'help', user: w.youth[0] });
    const r = await w.discord.waitForResponse(rec.id);
    expect(r.response.type).toBe(4);
    expect(r.original).toMatchObject({ ephemeral: true, loading: false });
    expect(r.response.data?.allowed_mentions).toEqual({ parse: [] });
    const embed = r.response.data?.embeds?.[0] as Record<string, any>;
    expect(embed.title).toBe('Det kan jeg hjælpe med');
    // /help lists the slash commands this young person can use, by the names Discord knows them by.
    expect((embed.fields as Array<{ name: string }>).map((f) => unescapeDiscord(f.name))).toContain('/idea');
    expect((embed.fields as Array<{ name: string }>).map((f) => unescapeDiscord(f.name))).not.toContain('/staffonly');
    expect(await w.settled(rec.id)).toMatchObject({ deferred: false, duplicate: false });
    expect(w.log.problems()).toEqual([]);
  });

  it('escapes markdown in user text where Discord renders it, keeps it plain where it does not, and never pings', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const text = '**fed** _kursiv_ @everyone <@123> # overskrift [link](https://x.dk) `kode`';
    const rec = w.discord.sendSlashCommand({ name: 'echo', options: { text }, user: w.youth[0] });
    const r = await w.discord.waitForResponse(rec.id);
    const data = r.response.data as Record<string, any>;
    expect(r.original?.ephemeral).toBe(false);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    // Escaped: every markdown character behind a backslash, "@" followed by a zero-width space.
    expect(data.content).not.toContain('**fed**');
    expect(data.content).toContain('\\*\\*fed\\*\\*');
    expect(data.content).toContain('@\u200beveryone');
    expect(unescapeDiscord(data.content)).toBe(text);
    const embed = data.embeds[0];
    expect(unescapeDiscord(embed.title)).toBe(text);
    expect(unescapeDiscord(embed.fields[0].name)).toBe(text);
    expect(unescapeDiscord(embed.fields[0].value)).toBe(text);
    // Styled spans: marks around the escaped text; inside code only backticks change (Discord shows backslashes there).
    expect(embed.description.startsWith('**\\*\\*fed\\*\\*')).toBe(true);
    expect(embed.description).toContain('`**fed** _kursiv_ @everyone <@123> # overskrift [link](https://x.dk) ˋkodeˋ`');
    // Footers are plain text on Discord.
    expect(embed.footer.text).toBe(text);

    // A number and a dot opening a line would become a renumbered list: the dot is escaped too.
    const listed = w.discord.sendSlashCommand({ name: 'echo', options: { text: '3. plads til Skatepark' }, user: w.youth[0] });
    const listedData = (await w.discord.waitForResponse(listed.id)).response.data as Record<string, any>;
    expect(listedData.content).toBe('3\\. plads til Skatepark');
    expect(listedData.embeds[0].title).toBe('3\\. plads til Skatepark');
  });

  it('opens a form as a modal (type 9) and hands the submitted fields to the flow', async () => {
    const calls: string[] = [];
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { calls }) });
    const rec = w.discord.sendSlashCommand({ name: 'idea', user: w.youth[1] });
    const shown = await w.discord.waitForResponse(rec.id);
    expect(shown.response.type).toBe(9);
    expect(shown.modal).toMatchObject({ title: 'Ny idé', custom_id: 'idea:new' });
    // Labels around the text inputs (Discord's current modal form), not action rows.
    expect(shown.modal!.components).toEqual([
      { type: 18, label: 'Titel', component: { type: 4, custom_id: 'title', style: 1, required: true, max_length: 80 } },
      {
        type: 18,
        label: 'Hvorfor?',
        component: { type: 4, custom_id: 'why', style: 2, required: false, max_length: 4000, placeholder: 'Fortæl' },
      },
      { type: 18, label: 'Pris', component: { type: 4, custom_id: 'cost', style: 1, required: false, max_length: 4000, value: '100' } },
    ]);

    const submit = w.discord.sendModalSubmit({ interactionId: rec.id, values: { title: 'Skatepark @here', why: 'Fordi' } });
    const answered = await w.discord.waitForResponse(submit.id);
    expect(answered.response.type).toBe(4);
    expect(answered.original).toMatchObject({ ephemeral: true });
    expect(unescapeDiscord(answered.original!.content)).toBe('Tak for idéen: Skatepark @here');
    expect(calls).toEqual([`idea:${JSON.stringify({ title: 'Skatepark @here', why: 'Fordi', cost: '100' })}`]);
  });

  it('pages a card with a long select and many buttons within 5 rows of 5, and pages on ◀ ▶', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const rec = w.discord.sendSlashCommand({ name: 'menu', user: w.youth[0] });
    const first = (await w.discord.waitForResponse(rec.id)).original!;
    expect(first.components).toHaveLength(5);
    expect(first.components.every((row: any) => row.components.length <= 5)).toBe(true);
    expect(selects(first)[0]!.options.map((o) => o.value)).toEqual(OPTIONS.slice(0, 25).map((o) => o.value));
    expect(buttons(first).map((b) => b.label)).toEqual([...Array.from({ length: 12 }, (_, i) => `Knap ${i + 1}`), '1/3', '▶']);

    const next = w.discord.sendButton({ customId: button(first, '▶'), message: first, user: w.youth[0] });
    expect((await w.discord.waitForResponse(next.id)).response.type).toBe(7);
    expect(selects(first)[0]!.options.map((o) => o.value)).toEqual(OPTIONS.slice(25, 50).map((o) => o.value));
    expect(
      buttons(first)
        .slice(-3)
        .map((b) => b.label),
    ).toEqual(['◀', '2/3', '▶']);

    const pick = w.discord.sendSelect({ customId: selects(first)[0]!.custom_id, values: ['o30'], message: first, user: w.youth[0] });
    expect((await w.discord.waitForResponse(pick.id)).response.type).toBe(7);
    expect(first).toMatchObject({ content: 'Du valgte o30', embeds: [], components: [] });
  });

  it('continues 30 buttons in a second message rather than breaking the 5-row limit', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const rec = w.discord.sendSlashCommand({ name: 'buttons', user: w.youth[0] });
    await w.settled(rec.id);
    const r = w.discord.interaction(rec.id);
    const messages = [r.original!, ...r.followups];
    expect(messages.map((m) => m.components.length)).toEqual([5, 1]);
    expect(messages.every((m) => !m.ephemeral)).toBe(true);
    expect(messages.flatMap((m) => buttons(m).map((b) => b.label))).toEqual(Array.from({ length: 30 }, (_, i) => `Knap ${i + 1}`));
  });

  it('sends several replies in order: the first as the answer, the rest as follow-ups, each with its own visibility', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const rec = w.discord.sendSlashCommand({ name: 'twice', user: w.youth[0] });
    await w.settled(rec.id);
    const r = w.discord.interaction(rec.id);
    expect([r.original!, ...r.followups].map((m) => [m.content, m.ephemeral])).toEqual([
      ['Først privat', true],
      ['Så offentligt', false],
      ['Og privat igen', true],
    ]);
    expect(
      w.discord
        .messages(w.bound.id)
        .filter((m) => !m.ephemeral)
        .map(readable),
    ).toEqual([expect.stringContaining('Så offentligt')]);
  });

  it('edits an earlier public message in place; one that cannot be edited becomes a private answer instead', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const posted = w.discord.sendSlashCommand({ name: 'echo', options: { text: 'Første udgave' }, user: w.pedagogue });
    await w.settled(posted.id);
    const original = w.discord.interaction(posted.id).original!;
    const edit = w.discord.sendSlashCommand({ name: 'retitle', options: { channel: w.bound.id, message: original.id }, user: w.pedagogue });
    await w.settled(edit.id);
    expect(original.embeds).toEqual([expect.objectContaining({ title: 'Rettet', description: 'Ny tekst' })]);
    expect(w.discord.requests.filter((r) => r.method === 'PATCH').map((r) => r.template)).toEqual([
      '/channels/{channel_id}/messages/{message_id}',
    ]);

    const gone = w.discord.sendSlashCommand({
      name: 'retitle',
      options: { channel: w.bound.id, message: '1234567890' },
      user: w.pedagogue,
    });
    await w.settled(gone.id);
    expect(w.discord.interaction(gone.id).original).toMatchObject({
      ephemeral: true,
      embeds: [expect.objectContaining({ title: 'Rettet' })],
    });
    expect(w.log.entries.map((e) => e.msg)).toContain('discord: could not edit an earlier message; answering privately instead');
  });

  it("a PuljeError is a private answer in the reader's language; a crash is a private apology, and logged", async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    const nope = w.discord.sendSlashCommand({ name: 'nope', user: w.youth[0] });
    expect((await w.discord.waitForResponse(nope.id)).original).toMatchObject({
      ephemeral: true,
      content: discord.escape(t('da', 'error.voting_closed')).value,
    });
    const boom = w.discord.sendSlashCommand({ name: 'boom', user: w.youth[0], locale: 'en-US' });
    const r = await w.discord.waitForResponse(boom.id);
    // The group speaks Danish, and that wins over the Discord client's English.
    expect(r.original).toMatchObject({ ephemeral: true, content: discord.escape(t('da', 'error.internal')).value });
    expect(w.log.entries.filter((e) => e.level === 'error').map((e) => e.msg)).toEqual(['conversation: handler failed']);
  });
});

describeEachEngine('Discord adapter: acknowledging in time', (db) => {
  it('defers a slow command (type 5, ephemeral) and edits the answer in when it is ready', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }), ack: { afterMs: 20, deadlineMs: 60_000 } });
    const rec = w.discord.sendSlashCommand({ name: 'slow', user: w.youth[0] });
    const deferred = await w.discord.waitForResponse(rec.id);
    expect(deferred.response.type).toBe(5);
    expect(deferred.original).toMatchObject({ ephemeral: true, loading: true });
    slow.open();
    expect(await w.discord.waitForEdit(rec.id)).toMatchObject({
      target: '@original',
      body: { content: 'Færdig', allowed_mentions: { parse: [] } },
    });
    expect(deferred.original).toMatchObject({ ephemeral: true, loading: false, content: 'Færdig' });
    expect(await w.settled(rec.id)).toMatchObject({ deferred: true });
  });

  it('a slow public answer after a deferral goes to the channel as a follow-up, and the private "thinking…" message goes away', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }), ack: { afterMs: 20, deadlineMs: 60_000 } });
    const rec = w.discord.sendSlashCommand({ name: 'slowpublic', user: w.youth[0] });
    expect((await w.discord.waitForResponse(rec.id)).response.type).toBe(5);
    slow.open();
    await w.settled(rec.id);
    const visible = w.discord.messages(w.bound.id);
    expect(visible.map((m) => [readable(m).trim(), m.ephemeral])).toEqual([['Resultat\nAlle kan se dette.', false]]);
    expect(w.discord.interaction(rec.id).original?.deleted).toBe(true);
  });

  it('defers a slow button as an update (type 6) and edits the message the button sits on', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }), ack: { afterMs: 20, deadlineMs: 60_000 } });
    const open = w.discord.sendSlashCommand({ name: 'ballot', user: w.youth[0] });
    // With so short a budget the ballot itself may come deferred; either way it is complete once settled.
    await w.settled(open.id);
    const ballot = w.discord.interaction(open.id).original!;
    const click = w.discord.sendButton({ customId: button(ballot, 'Send'), message: ballot, user: w.youth[0] });
    expect((await w.discord.waitForResponse(click.id)).response.type).toBe(6);
    slow.open();
    expect(await w.discord.waitForEdit(click.id)).toMatchObject({ target: '@original', messageId: ballot.id });
    expect(ballot.embeds[0]).toMatchObject({ title: 'Kvittering' });
    expect(ballot.ephemeral).toBe(true);
  });

  it('a form that is ready only after the deferral cannot be a modal any more: the person is asked to try again', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }), ack: { afterMs: 20, deadlineMs: 60_000 } });
    const rec = w.discord.sendSlashCommand({ name: 'slowform', user: w.youth[0] });
    expect((await w.discord.waitForResponse(rec.id)).response.type).toBe(5);
    slow.open();
    await w.settled(rec.id);
    const i = w.discord.interaction(rec.id);
    expect(i.modal).toBeUndefined();
    expect(i.original).toMatchObject({ ephemeral: true, loading: false, content: 'Det tog for lang tid at åbne formularen. Prøv igen.' });
  });

  it('close() waits for an answer in progress before logging out', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }), ack: { afterMs: 20, deadlineMs: 60_000 } });
    const rec = w.discord.sendSlashCommand({ name: 'slow', user: w.youth[0] });
    expect((await w.discord.waitForResponse(rec.id)).response.type).toBe(5);
    let closed = false;
    const closing = w.adapter.close().then(() => (closed = true));
    slow.open();
    expect(await w.discord.waitForEdit(rec.id)).toMatchObject({ body: { content: 'Færdig' } });
    // When the answer reached Discord, the adapter was still connected and close() still waiting.
    expect(closed).toBe(false);
    expect(w.discord.gateway.sessions.some((x) => x.connection?.open)).toBe(true);
    await closing;
    expect(closed).toBe(true);
    expect(w.log.problems()).toEqual([]);
  });

  it('defers by the deadline even before the database has said whether the event is new', async () => {
    const slow = gate();
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { slow: slow.promise }), ack: { afterMs: 60_000, deadlineMs: 20 } });
    const rec = w.discord.sendSlashCommand({ name: 'slow', user: w.youth[0] });
    expect((await w.discord.waitForResponse(rec.id)).response.type).toBe(5);
    slow.open();
    expect((await w.discord.waitForEdit(rec.id)).body).toMatchObject({ content: 'Færdig' });
  });
});
