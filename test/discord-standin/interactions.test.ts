import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  DiscordAPIError,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { connect } from './fixtures.ts';
import { nextInteraction, nextInteractions } from '../support/discord/client.ts';
import { ManualClock, makeGuild, makeMember, makeRole, makeUser } from '../support/discord/index.ts';

function chatInput(i: Interaction | undefined): ChatInputCommandInteraction {
  if (!i?.isChatInputCommand()) throw new Error(`expected a slash command, got interaction type ${String(i?.type)}`);
  return i;
}

const voteButtons = (): ActionRowBuilder<ButtonBuilder> =>
  new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId('stem:ja').setLabel('Ja').setStyle(ButtonStyle.Success),
    new ButtonBuilder().setCustomId('stem:nej').setLabel('Nej').setStyle(ButtonStyle.Danger),
  );

describe('Discord stand-in: interactions with the real discord.js Client', () => {
  it('slash command answered with reply (type 4): the message is stored in the channel', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'forslag', options: { titel: 'Skatepark' } });
    const i = chatInput(await arrives);
    expect(i.commandName).toBe('forslag');
    expect(i.options.getString('titel')).toBe('Skatepark');
    expect(i.user.id).toBe(discord.defaultUser.id);
    expect(i.guildId).toBe(discord.defaultGuild.id);
    expect(i.channelId).toBe(discord.defaultChannelId);

    await i.reply({ content: `Tak! Dit forslag "${i.options.getString('titel')}" er modtaget.` });

    const answered = await discord.waitForResponse(rec.id);
    expect(answered.response.type).toBe(4);
    expect(answered.response.data?.content).toBe('Tak! Dit forslag "Skatepark" er modtaget.');
    expect(answered.original).toMatchObject({
      via: 'interaction-reply',
      ephemeral: false,
      channelId: discord.defaultChannelId,
      content: answered.response.data?.content,
    });
    expect(discord.messages(discord.defaultChannelId).map((m) => m.content)).toEqual(['Tak! Dit forslag "Skatepark" er modtaget.']);
    expect(answered.attempts).toEqual([expect.objectContaining({ type: 4, status: 204 })]);
    expect(answered.acknowledgedAt! - answered.dispatchedAt).toBeLessThanOrEqual(discord.interactionDeadlineMs);
  });

  it('deferReply (type 5, ephemeral) then editReply fills the "thinking" message', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'resultat' });
    const i = chatInput(await arrives);

    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const deferred = await discord.waitForResponse(rec.id);
    expect(deferred.response.type).toBe(5);
    expect(deferred.original).toMatchObject({ loading: true, ephemeral: true, content: '' });

    const edited = await i.editReply({ content: 'Skateparken fik flest stemmer.' });
    expect(edited.id).toBe(deferred.original?.id);
    expect(edited.flags.has(MessageFlags.Ephemeral)).toBe(true);
    expect(await discord.waitForEdit(rec.id)).toMatchObject({ target: '@original', body: { content: 'Skateparken fik flest stemmer.' } });
    expect(deferred.original).toMatchObject({ loading: false, ephemeral: true, content: 'Skateparken fik flest stemmer.' });
    expect(discord.requests.find((r) => r.method === 'PATCH')?.path).toMatch(/\/messages\/@original$/);
  });

  it('followUp after a reply is a new message; after a defer the first follow-up fills the deferred one', async () => {
    const { discord, client } = await connect();
    const arrive = nextInteractions(client, 2);
    const recA = discord.sendSlashCommand({ name: 'status' });
    const recB = discord.sendSlashCommand({ name: 'status' });
    const [iA, iB] = (await arrive).map(chatInput);
    const a = { rec: recA, i: iA! };
    const b = { rec: recB, i: iB! };

    await a.i.reply({ content: 'Runden er åben.' });
    const extra = await a.i.followUp({ content: 'Kun til dig: du har ikke stemt endnu.', flags: MessageFlags.Ephemeral });
    const followup = await discord.waitForFollowup(a.rec.id);
    expect(extra.id).toBe(followup.id);
    expect(followup.id).not.toBe(discord.interaction(a.rec.id).original?.id);
    expect(followup).toMatchObject({ via: 'interaction-followup', ephemeral: true, content: 'Kun til dig: du har ikke stemt endnu.' });

    await b.i.deferReply();
    const filled = await b.i.followUp({ content: 'Færdig.' });
    expect(filled.id).toBe(discord.interaction(b.rec.id).original?.id);
    expect(discord.interaction(b.rec.id).original).toMatchObject({ loading: false, content: 'Færdig.' });
    const second = await b.i.followUp({ content: 'Og en ting til.' });
    expect(second.id).not.toBe(filled.id);
    expect(discord.interaction(b.rec.id).followups.map((m) => m.content)).toEqual(['Færdig.', 'Og en ting til.']);
  });

  it('a button click is answered with update (type 7): the message it sits on changes', async () => {
    const { discord, client } = await connect();
    const commandArrives = nextInteraction(client);
    const command = discord.sendSlashCommand({ name: 'afstemning' });
    const c = chatInput(await commandArrives);
    await c.reply({ content: 'Skal vi bygge en skatepark?', components: [voteButtons()] });
    const posted = discord.interaction(command.id).original!;

    const clickArrives = nextInteraction(client);
    const click = discord.sendButton({ customId: 'stem:ja' });
    const b = await clickArrives;
    if (!b.isButton()) throw new Error('expected a button');
    expect(b.customId).toBe('stem:ja');
    expect(b.message.id).toBe(posted.id);
    await b.update({ content: 'Tak for din stemme.', components: [] });

    expect((await discord.waitForResponse(click.id)).response.type).toBe(7);
    expect(posted).toMatchObject({ content: 'Tak for din stemme.', components: [] });
    expect(posted.editedAt).not.toBeNull();
    expect(() => discord.sendButton({ customId: 'stem:ja', message: posted })).toThrow(/no component with custom_id "stem:ja"/);
  });

  it('a modal is shown (type 9), then submitted, then answered', async () => {
    const { discord, client } = await connect();
    const commandArrives = nextInteraction(client);
    const command = discord.sendSlashCommand({ name: 'forslag' });
    const c = chatInput(await commandArrives);
    await c.showModal(
      new ModalBuilder()
        .setCustomId('forslag:nyt')
        .setTitle('Nyt forslag')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId('titel').setLabel('Titel').setStyle(TextInputStyle.Short).setMaxLength(80),
          ),
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId('beskrivelse').setLabel('Beskrivelse').setStyle(TextInputStyle.Paragraph).setRequired(false),
          ),
        ),
    );
    const shown = await discord.waitForResponse(command.id);
    expect(shown.response.type).toBe(9);
    expect(shown.modal).toMatchObject({ custom_id: 'forslag:nyt', title: 'Nyt forslag' });

    // What the Discord client itself would not let through never becomes an interaction.
    expect(() => discord.sendModalSubmit({ interactionId: command.id, values: {} })).toThrow(/titel is required/);
    expect(() => discord.sendModalSubmit({ interactionId: command.id, values: { titel: 'x'.repeat(81) } })).toThrow(/at most 80/);
    expect(() => discord.sendModalSubmit({ interactionId: command.id, values: { titel: 'Skatepark', alder: '15' } })).toThrow(
      /no field "alder"/,
    );

    const submitArrives = nextInteraction(client);
    const submit = discord.sendModalSubmit({ interactionId: command.id, values: { titel: 'Skatepark', beskrivelse: 'Ved hallen' } });
    const m = await submitArrives;
    if (!m.isModalSubmit()) throw new Error('expected a modal submit');
    expect(m.customId).toBe('forslag:nyt');
    expect(m.fields.getTextInputValue('titel')).toBe('Skatepark');
    expect(m.fields.getTextInputValue('beskrivelse')).toBe('Ved hallen');
    expect(m.user.id).toBe(discord.interaction(command.id).userId);
    await m.reply({ content: `Forslaget "${m.fields.getTextInputValue('titel')}" er gemt.`, flags: MessageFlags.Ephemeral });
    expect((await discord.waitForResponse(submit.id)).original).toMatchObject({
      ephemeral: true,
      content: 'Forslaget "Skatepark" er gemt.',
    });
  });

  it('a select menu: values offered are picked, the message is updated', async () => {
    const { discord, client } = await connect();
    const commandArrives = nextInteraction(client);
    discord.sendSlashCommand({ name: 'stem' });
    const c = chatInput(await commandArrives);
    const menu = new StringSelectMenuBuilder()
      .setCustomId('stem:vælg')
      .setMinValues(1)
      .setMaxValues(2)
      .addOptions({ label: 'Skatepark', value: 'p1' }, { label: 'Musikudstyr', value: 'p2' }, { label: 'Madklub', value: 'p3' });
    await c.reply({
      content: 'Vælg op til to forslag',
      components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
      flags: MessageFlags.Ephemeral,
    });

    expect(() => discord.sendSelect({ customId: 'stem:vælg', values: ['p1', 'p9'] })).toThrow(/offers no value "p9"/);
    expect(() => discord.sendSelect({ customId: 'stem:vælg', values: ['p1', 'p2', 'p3'] })).toThrow(/takes 1–2 values/);
    const arrives = nextInteraction(client);
    const rec = discord.sendSelect({ customId: 'stem:vælg', values: ['p1', 'p3'] });
    const s = await arrives;
    if (!s.isStringSelectMenu()) throw new Error('expected a select');
    expect(s.values).toEqual(['p1', 'p3']);
    await s.update({ content: `Du stemte på ${s.values.length} forslag.`, components: [] });
    expect((await discord.waitForResponse(rec.id)).original).toMatchObject({ ephemeral: true, content: 'Du stemte på 2 forslag.' });
  });

  it('autocomplete (type 4) is answered with choices (type 8)', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendAutocomplete({ name: 'find', subcommand: 'forslag', options: { titel: 'Ska' }, focused: 'titel' });
    const a = await arrives;
    if (!a.isAutocomplete()) throw new Error('expected autocomplete');
    expect(a.options.getSubcommand()).toBe('forslag');
    expect(a.options.getFocused(true)).toMatchObject({ name: 'titel', value: 'Ska' });
    await a.respond([{ name: 'Skatepark', value: 'p1' }]);
    const answered = await discord.waitForResponse(rec.id);
    expect(answered.response.type).toBe(8);
    expect(answered.choices).toEqual([{ name: 'Skatepark', value: 'p1' }]);
  });

  it('member roles and permissions reach the bot; a DM command carries a user and no member', async () => {
    const adult = makeRole({ name: 'Voksen', permissions: ['ManageGuild'] });
    const pedagogue = makeUser({ username: 'pædagog' });
    const youth = makeUser({ username: 'ung' });
    const guild = makeGuild({ roles: [adult], members: [makeMember(youth), makeMember(pedagogue)] });
    const { discord, client } = await connect({ guilds: [guild] });

    const [asAdult, asYouth, asAdmin, inDm] = await (async () => {
      const arrive = nextInteractions(client, 4);
      discord.sendSlashCommand({ name: 'runde', user: pedagogue, roles: [adult] });
      discord.sendSlashCommand({ name: 'runde', user: youth });
      discord.sendSlashCommand({ name: 'runde', user: youth, permissions: ['Administrator'] });
      discord.sendSlashCommand({ name: 'runde', user: youth, guildId: null });
      return arrive;
    })();
    expect(asAdult?.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(asAdult?.inCachedGuild() && asAdult.member.roles.cache.has(adult.id)).toBe(true);
    expect(asYouth?.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    expect(asYouth?.memberPermissions?.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(asAdmin?.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(true);
    expect(inDm?.inGuild()).toBe(false);
    expect(inDm?.user.id).toBe(youth.id);
    await chatInput(inDm).reply({ content: 'Hej fra Pulje' });
    expect(discord.dmsTo(youth.id).map((m) => m.content)).toEqual(['Hej fra Pulje']);
  });

  it('a second acknowledgement of the same interaction gets 40060 (duplicate delivery)', async () => {
    const { discord, client } = await connect();
    const arrive = nextInteractions(client, 2);
    const rec = discord.sendSlashCommand({ name: 'status' });
    discord.redeliver(rec.id);
    const [first, second] = (await arrive).map(chatInput);
    if (!first || !second) throw new Error('expected two deliveries');
    expect(second.id).toBe(first.id);
    expect(second.token).toBe(first.token);
    expect(discord.interaction(rec.id).deliveries).toHaveLength(2);

    await first.reply({ content: 'Svar 1' });
    const err = await second.reply({ content: 'Svar 2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect(err).toMatchObject({ status: 400, code: 40060, message: 'Interaction has already been acknowledged.' });
    expect(discord.interaction(rec.id).attempts.map((a) => [a.status, a.code])).toEqual([
      [204, undefined],
      [400, 40060],
    ]);
    expect(discord.messages(discord.defaultChannelId).map((m) => m.content)).toEqual(['Svar 1']);
  });

  it('a first callback after the 3 s deadline gets 10062; one at the deadline is accepted', async () => {
    const clock = new ManualClock();
    const { discord, client } = await connect({ clock });
    const arrive = nextInteractions(client, 2);
    const late = discord.sendSlashCommand({ name: 'status' });
    const onTime = discord.sendSlashCommand({ name: 'status' });
    const [lateI, onTimeI] = (await arrive).map(chatInput);
    if (!lateI || !onTimeI) throw new Error('expected two interactions');

    clock.advance(3000);
    await onTimeI.reply({ content: 'Lige i tide' });
    clock.advance(1);
    const err = await lateI.reply({ content: 'For sent' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect(err).toMatchObject({ status: 404, code: 10062, message: 'Unknown interaction' });

    expect(discord.interaction(late.id).late).toBe(true);
    expect(discord.interaction(late.id).response).toBeUndefined();
    await expect(discord.waitForResponse(late.id)).rejects.toThrow(/refused with 404 \{code: 10062\}/);
    expect((await discord.waitForResponse(onTime.id)).response.type).toBe(4);
    expect(discord.messages(discord.defaultChannelId).map((m) => m.content)).toEqual(['Lige i tide']);
  });

  it('edits and follow-ups are accepted for 15 minutes (acknowledged at once: from creation), then 50027', async () => {
    const clock = new ManualClock();
    const { discord, client } = await connect({ clock });
    const arrive = nextInteraction(client);
    discord.sendSlashCommand({ name: 'optælling' });
    const i = chatInput(await arrive);
    await i.deferReply();
    clock.advance(15 * 60_000);
    await i.editReply({ content: 'Optalt.' });
    clock.advance(1);
    const err = await i.followUp({ content: 'For sent' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: 50027 });
  });

  it('withResponse returns the callback response with the created message', async () => {
    const { discord, client } = await connect();
    const arrive = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status' });
    const i = chatInput(await arrive);
    const response = await i.reply({ content: 'Åben', withResponse: true });
    expect(response.resource?.message?.id).toBe(discord.interaction(rec.id).original?.id);
    expect(response.resource?.message?.content).toBe('Åben');
    expect(response.interaction.id).toBe(rec.id);
  });
});
