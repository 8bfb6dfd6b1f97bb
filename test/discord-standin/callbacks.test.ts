import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  DiscordAPIError,
  MessageFlags,
  ModalBuilder,
  REST,
  Routes,
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { nextInteraction, nextInteractions } from '../support/discord/client.ts';
import { ManualClock, snowflakeTime, type DiscordStandIn } from '../support/discord/index.ts';
import { connect, raw } from './fixtures.ts';

function chatInput(i: Interaction | undefined): ChatInputCommandInteraction {
  if (!i?.isChatInputCommand()) throw new Error(`expected a slash command, got interaction type ${String(i?.type)}`);
  return i;
}

/** A callback exactly as given (discord.js would refuse some of these bodies itself). */
const callback = (discord: DiscordStandIn, i: { id: string; token: string }, body: unknown) =>
  raw(discord, 'POST', `/interactions/${i.id}/${i.token}/callback`, body, { auth: false });

const modal = (id = 'forslag:nyt') =>
  new ModalBuilder()
    .setCustomId(id)
    .setTitle('Nyt forslag')
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId('titel').setLabel('Titel').setStyle(TextInputStyle.Short),
      ),
    );

describe('Discord stand-in: the 3-second and 15-minute windows count from the interaction’s creation', () => {
  it('delivered 3.5 s after it was created (gateway lag): its snowflake says so, and any first callback gets 10062', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status', lagMs: 3500 });
    const i = chatInput(await arrives);
    expect(rec.dispatchedAt - rec.createdAt).toBe(3500);
    expect(snowflakeTime(i.id)).toBe(rec.createdAt);
    expect(i.createdTimestamp).toBe(rec.createdAt);
    expect(rec.deadlineAt).toBe(rec.createdAt + 3000);

    const err = await i.deferReply().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect(err).toMatchObject({ status: 404, code: 10062 });
    expect(discord.interaction(rec.id).late).toBe(true);
    expect(discord.interaction(rec.id).response).toBeUndefined();
    expect(discord.interaction(rec.id).attempts[0]?.reason).toMatch(/after the interaction was created/);
    // The token died with the deadline: its webhook is unknown.
    const followup = await raw(discord, 'POST', `/webhooks/${discord.applicationId}/${i.token}`, { content: 'Hallo?' }, { auth: false });
    expect(followup).toMatchObject({ status: 404, body: { code: 10015 } });
    expect(discord.messages(discord.defaultChannelId)).toEqual([]);
  });

  it('with lag, less of the 3 s is left: 1 s after a 2 s lag is on time, 1.001 s is not (ManualClock)', async () => {
    const clock = new ManualClock();
    const { discord, client } = await connect({ clock });
    const arrive = nextInteractions(client, 2);
    const onTime = discord.sendSlashCommand({ name: 'status', lagMs: 2000 });
    const late = discord.sendSlashCommand({ name: 'status', lagMs: 2000 });
    const [a, b] = (await arrive).map(chatInput);
    clock.advance(1000);
    await a!.reply({ content: 'Nået' });
    clock.advance(1);
    await expect(b!.reply({ content: 'For sent' })).rejects.toMatchObject({ code: 10062 });
    expect(discord.interaction(onTime.id).response?.type).toBe(4);
    expect(discord.interaction(late.id).late).toBe(true);
  });

  it('edits and follow-ups: 15 minutes from creation (not from acknowledgement), then 401 {code: 50027}', async () => {
    const clock = new ManualClock();
    const { discord, client } = await connect({ clock });
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'optælling' });
    const i = chatInput(await arrives);
    clock.advance(2500);
    await i.deferReply();
    clock.advance(15 * 60_000 - 2500);
    await i.editReply({ content: 'Optalt.' });
    clock.advance(1);
    await expect(i.followUp({ content: 'For sent' })).rejects.toMatchObject({ status: 401, code: 50027 });
    await expect(i.editReply({ content: 'For sent' })).rejects.toMatchObject({ status: 401, code: 50027 });
    expect(discord.interaction(rec.id).tokenExpiresAt).toBe(rec.createdAt + 15 * 60_000);
  });
});

describe('Discord stand-in: callback types and flags (receiving-and-responding § Interaction Response Object)', () => {
  it('message flags: only SUPPRESS_EMBEDS, EPHEMERAL, IS_COMPONENTS_V2, IS_VOICE_MESSAGE, SUPPRESS_NOTIFICATIONS in a reply; only EPHEMERAL in a deferral', async () => {
    const { discord, client } = await connect();
    const arrive = nextInteractions(client, 3);
    discord.sendSlashCommand({ name: 'status' });
    discord.sendSlashCommand({ name: 'status' });
    discord.sendSlashCommand({ name: 'status' });
    const [a, b, c] = (await arrive).map(chatInput);

    const loading = await callback(discord, a!, { type: 4, data: { content: 'Hej', flags: MessageFlags.Loading } });
    expect(loading).toMatchObject({
      status: 400,
      body: { code: 50035, errors: { data: { flags: { _errors: [{ code: 'MESSAGE_FLAGS_INVALID' }] } } } },
    });
    const v2 = await callback(discord, b!, { type: 5, data: { flags: MessageFlags.IsComponentsV2 } });
    expect(v2).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(discord.takeViolations().map((v) => v.issues.map((x) => x.code))).toEqual([
      ['MESSAGE_FLAGS_INVALID'],
      ['MESSAGE_FLAGS_INVALID'],
    ]);

    // Refused bodies acknowledge nothing: valid ones still go through.
    await a!.reply({ content: 'Hej', flags: MessageFlags.Ephemeral | MessageFlags.SuppressNotifications });
    await b!.deferReply({ flags: MessageFlags.Ephemeral });
    await c!.reply({ content: 'Hej' });
    // A follow-up may be ephemeral; a channel message may not.
    await c!.followUp({ content: 'Kun til dig', flags: MessageFlags.Ephemeral });
    const channelPost = await raw(discord, 'POST', `/channels/${discord.defaultChannelId}/messages`, {
      content: 'Til alle',
      flags: MessageFlags.Ephemeral,
      allowed_mentions: { parse: [] },
    });
    expect(channelPost).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(discord.takeViolations()).toHaveLength(1);
  });

  it('per interaction type: 8 only for autocomplete, 6/7 only for components, 9 never for a modal submit and only first', async () => {
    const { discord, client } = await connect();
    const arrive = nextInteractions(client, 4);
    const cmd1 = discord.sendSlashCommand({ name: 'status' });
    discord.sendSlashCommand({ name: 'status' });
    discord.sendSlashCommand({ name: 'forslag' });
    discord.sendAutocomplete({ name: 'find', subcommand: 'forslag', options: { titel: 'Sk' }, focused: 'titel' });
    const [x, y, f, auto] = await arrive;
    const refusedType = async (i: Interaction, body: unknown) => {
      const r = await callback(discord, i as unknown as { id: string; token: string }, body);
      expect(r).toMatchObject({
        status: 400,
        body: { code: 50035, errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID' }] } } },
      });
    };
    await refusedType(x!, { type: 8, data: { choices: [] } });
    await refusedType(x!, { type: 6 });
    await refusedType(x!, { type: 7, data: { content: 'x' } });
    await refusedType(x!, { type: 1 });
    await refusedType(auto!, { type: 4, data: { content: 'x' } });
    await refusedType(auto!, { type: 9, data: modal().toJSON() });
    expect(discord.interaction(cmd1.id).attempts.map((a) => a.code)).toEqual([50035, 50035, 50035, 50035]);

    // A modal only as the first answer: after a deferral it is a second acknowledgement.
    // (discord.js refuses this itself; sent raw, Discord's answer is "already acknowledged".)
    await chatInput(y).deferReply();
    expect(await callback(discord, y!, { type: 9, data: modal().toJSON() })).toMatchObject({ status: 400, body: { code: 40060 } });

    // Never in answer to a modal submit; type 7 only when the modal came from a message component.
    await chatInput(f).showModal(modal());
    const submitArrives = nextInteraction(client);
    const submit = discord.sendModalSubmit({ interactionId: f!.id, values: { titel: 'Skatepark' } });
    const s = await submitArrives;
    await refusedType(s, { type: 9, data: modal('igen').toJSON() });
    await refusedType(s, { type: 7, data: { content: 'x' } });
    if (!s.isModalSubmit()) throw new Error('expected a modal submit');
    await s.reply({ content: 'Gemt', flags: MessageFlags.Ephemeral });
    expect(discord.interaction(submit.id).response?.type).toBe(4);
    await (auto as { respond(c: unknown[]): Promise<void> }).respond([{ name: 'Skatepark', value: 'p1' }]);
  });

  it('a modal opened from a button may be answered with an update (7) of that message', async () => {
    const { discord, client } = await connect();
    const cArrives = nextInteraction(client);
    const cmd = discord.sendSlashCommand({ name: 'forslag' });
    await chatInput(await cArrives).reply({
      content: 'Nyt forslag?',
      components: [
        new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('nyt').setLabel('Nyt').setStyle(ButtonStyle.Primary),
        ),
      ],
    });
    const bArrives = nextInteraction(client);
    discord.sendButton({ customId: 'nyt' });
    const b = await bArrives;
    if (!b.isButton()) throw new Error('expected a button');
    await b.showModal(modal());
    const sArrives = nextInteraction(client);
    discord.sendModalSubmit({ interactionId: b.id, values: { titel: 'Skatepark' } });
    const s = await sArrives;
    if (!s.isModalSubmit() || !s.isFromMessage()) throw new Error('expected a modal submit from a message');
    await s.update({ content: 'Tak for forslaget', components: [] });
    expect(discord.interaction(cmd.id).original).toMatchObject({ content: 'Tak for forslaget', components: [] });
  });

  it('follow-ups return the message with or without ?wait=true ("wait is always true")', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status' });
    const i = chatInput(await arrives);
    await i.reply({ content: 'Først' });
    const r = await raw(
      discord,
      'POST',
      `/webhooks/${discord.applicationId}/${i.token}`,
      { content: 'Så', allowed_mentions: { parse: [] } },
      { auth: false },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ content: 'Så', webhook_id: discord.applicationId, id: discord.interaction(rec.id).followups[0]?.id });
    const got = await raw(discord, 'GET', `/webhooks/${discord.applicationId}/${i.token}/messages/${r.body.id}`, undefined, {
      auth: false,
    });
    expect(got.body).toMatchObject({ content: 'Så' });
    const gone = await raw(discord, 'DELETE', `/webhooks/${discord.applicationId}/${i.token}/messages/${r.body.id}`, undefined, {
      auth: false,
    });
    expect(gone.status).toBe(204);
    const again = await raw(discord, 'GET', `/webhooks/${discord.applicationId}/${i.token}/messages/${r.body.id}`, undefined, {
      auth: false,
    });
    expect(again).toMatchObject({ status: 404, body: { code: 10008 } });
  });

  it('40060 is not the end: when another process acknowledged first, edits of @original and follow-ups still work', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status' });
    const i = chatInput(await arrives);
    // Another replica got the same event and deferred (privately) before this one answered.
    discord.acknowledgeElsewhere(rec.id, { type: 5, data: { flags: MessageFlags.Ephemeral } });
    const err = await i.reply({ content: 'Mit svar' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 40060 });
    expect(discord.interaction(rec.id).attempts.map((a) => [a.status, a.code, a.elsewhere])).toEqual([
      [204, undefined, true],
      [400, 40060, undefined],
    ]);
    // discord.js marks nothing as replied after a refusal, so the token is used directly.
    const rest = new REST({ api: discord.apiBase }).setToken(discord.token);
    await rest.patch(Routes.webhookMessage(discord.applicationId, rec.token, '@original'), {
      body: { content: 'Svar fra den proces der kom sidst', allowed_mentions: { parse: [] } },
      auth: false,
    });
    await rest.post(Routes.webhook(discord.applicationId, rec.token), {
      body: { content: 'Og en opfølgning', flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
      auth: false,
    });
    const r = discord.interaction(rec.id);
    expect(r.original).toMatchObject({ content: 'Svar fra den proces der kom sidst', loading: false, ephemeral: true });
    expect(r.followups.map((m) => [m.content, m.ephemeral])).toEqual([['Og en opfølgning', true]]);
  });

  it('acknowledgeElsewhere follows the callback rules: too late is 10062 for the other process as well', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status', lagMs: 4000 });
    await arrives;
    expect(() => discord.acknowledgeElsewhere(rec.id)).toThrow(/Unknown interaction/);
    expect(discord.interaction(rec.id).attempts).toEqual([expect.objectContaining({ status: 404, code: 10062, elsewhere: true })]);
  });
});
