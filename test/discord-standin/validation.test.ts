import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  DiscordAPIError,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextChannel,
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { connect } from './fixtures.ts';
import { nextInteraction } from '../support/discord/client.ts';

function chatInput(i: Interaction): ChatInputCommandInteraction {
  if (!i.isChatInputCommand()) throw new Error(`expected a slash command, got interaction type ${i.type}`);
  return i;
}

const sixButtons = Array.from({ length: 6 }, (_, n) => ({ type: 2, style: 1, label: `Forslag ${n + 1}`, custom_id: `stem:${n + 1}` }));

describe('Discord stand-in: invalid bodies from the real discord.js Client get 400 {code: 50035}', () => {
  it('6 buttons in a row (discord.js lets it through): refused, recorded, and the interaction stays open', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'afstemning' });
    const i = chatInput(await arrives);

    const err = await i.reply({ content: 'Stem her', components: [{ type: 1, components: sixButtons }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect(err).toMatchObject({ status: 400, code: 50035 });
    // discord.js understands the nested error form and names the field.
    expect((err as DiscordAPIError).message).toContain(
      'data.components[0].components[BASE_TYPE_MAX_LENGTH]: Must be 5 or fewer in length.',
    );

    const [violation] = discord.takeViolations();
    expect(violation).toMatchObject({ method: 'POST', template: '/interactions/{interaction_id}/{interaction_token}/callback' });
    expect(violation?.sources).toEqual(expect.arrayContaining(['schema', 'limits']));
    expect(violation?.issues.map((x) => x.path.join('.'))).toContain('data.components.0.components');
    expect(discord.interaction(rec.id).attempts).toEqual([expect.objectContaining({ status: 400, code: 50035 })]);
    expect(discord.interaction(rec.id).response).toBeUndefined();
    expect(discord.messages(discord.defaultChannelId)).toEqual([]);

    // Nothing was acknowledged, so a valid answer still goes through (discord.js did not mark it replied either).
    await i.reply({ content: 'Stem her', components: [{ type: 1, components: sixButtons.slice(0, 5) }] });
    expect(discord.interaction(rec.id).response?.type).toBe(4);
  });

  it('content over 2000 characters in a channel message: only the documented limit catches it', async () => {
    const { discord, client } = await connect();
    const channel = client.channels.cache.get(discord.defaultChannelId);
    if (!(channel instanceof TextChannel)) throw new Error('expected a text channel');
    await expect(channel.send('x'.repeat(2001))).rejects.toMatchObject({ status: 400, code: 50035 });
    expect(discord.takeViolations().map((v) => [v.sources, v.issues.map((x) => x.path.join('.'))])).toEqual([[['limits'], ['content']]]);
    await channel.send('x'.repeat(2000));
    expect(discord.messages(discord.defaultChannelId)).toHaveLength(1);
  });

  it('a select sharing its row with a button', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    discord.sendSlashCommand({ name: 'stem' });
    const i = chatInput(await arrives);
    const row = new ActionRowBuilder<ButtonBuilder | StringSelectMenuBuilder>().addComponents(
      new StringSelectMenuBuilder().setCustomId('vælg').addOptions({ label: 'Skatepark', value: 'p1' }),
      new ButtonBuilder().setCustomId('ok').setLabel('OK').setStyle(ButtonStyle.Primary),
    );
    await expect(i.reply({ components: [row] })).rejects.toMatchObject({ code: 50035 });
    expect(discord.takeViolations()[0]?.issues.map((x) => x.code)).toEqual(['COMPONENT_LAYOUT_WIDTH_EXCEEDED']);
  });

  it('a modal with 6 rows (ModalBuilder lets it through)', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    discord.sendSlashCommand({ name: 'forslag' });
    const i = chatInput(await arrives);
    const modal = new ModalBuilder().setCustomId('forslag:nyt').setTitle('Nyt forslag');
    for (let n = 0; n < 6; n++) {
      modal.addComponents(
        new ActionRowBuilder<TextInputBuilder>().addComponents(
          new TextInputBuilder().setCustomId(`felt${n}`).setLabel(`Felt ${n}`).setStyle(TextInputStyle.Short),
        ),
      );
    }
    await expect(i.showModal(modal)).rejects.toMatchObject({ code: 50035 });
    expect(discord.takeViolations()[0]?.issues.map((x) => x.path.join('.'))).toContain('data.components');
  });

  it('an empty message gets 50006', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status' });
    const i = chatInput(await arrives);
    await expect(i.reply({ content: '' })).rejects.toMatchObject({ status: 400, code: 50006 });
    expect(discord.interaction(rec.id).attempts[0]).toMatchObject({ code: 50006 });
  });
});

describe('Discord stand-in: allowed_mentions on messages carrying user text', () => {
  it("refuses user text sent without allowed_mentions ('user-text', the default)", async () => {
    // A client configured without allowedMentions sends none, so Discord would parse @everyone in user text.
    const { discord, client } = await connect({}, { allowedMentions: undefined });
    const arrives = nextInteraction(client);
    discord.sendSlashCommand({ name: 'forslag', options: { titel: 'Fest for alle @everyone' } });
    const i = chatInput(await arrives);

    await expect(i.reply({ content: `Nyt forslag: ${i.options.getString('titel', true)}` })).rejects.toMatchObject({ code: 50035 });
    expect(discord.takeViolations()[0]).toMatchObject({
      sources: ['mentions'],
      issues: [expect.objectContaining({ code: 'STANDIN_ALLOWED_MENTIONS_REQUIRED' })],
    });

    await expect(
      i.reply({ content: `Nyt forslag: ${i.options.getString('titel', true)}`, allowedMentions: { parse: ['everyone'] } }),
    ).rejects.toMatchObject({ code: 50035 });
    expect(discord.takeViolations()[0]?.issues[0]?.code).toBe('STANDIN_ALLOWED_MENTIONS_PARSE');

    // Text of the bot's own needs nothing under 'user-text' …
    await i.reply({ content: 'Tak, dit forslag er modtaget.' });
    // … but does under 'all'.
    discord.mentionStrictness = 'all';
    await expect(i.followUp({ content: 'Afstemningen åbner i morgen.' })).rejects.toMatchObject({ code: 50035 });
    expect(discord.takeViolations()).toHaveLength(1);
  });

  it('accepts user text when the client sets allowedMentions: { parse: [] }', async () => {
    const { discord, client } = await connect({ mentionStrictness: 'all' });
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'forslag', options: { titel: 'Fest for alle @everyone' } });
    const i = chatInput(await arrives);
    await i.reply({ content: `Nyt forslag: ${i.options.getString('titel', true)}` });
    expect(discord.interaction(rec.id).original?.allowedMentions).toEqual({ parse: [] });
  });
});
