import { AttachmentBuilder, ChannelType, EmbedBuilder, MessageFlags, PermissionFlagsBits, TextChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { nextInteraction } from '../support/discord/client.ts';
import { ChannelKind, makeGuild, makeTextChannel } from '../support/discord/index.ts';
import { connect, raw } from './fixtures.ts';

function text(client: { channels: { cache: Map<string, unknown> } }, id: string): TextChannel {
  const channel = client.channels.cache.get(id);
  if (!(channel instanceof TextChannel)) throw new Error(`expected text channel ${id}`);
  return channel;
}

describe('Discord stand-in: what the bot may post where (resources/message § Create Message, topics/permissions)', () => {
  it('without View Channel: 50001 Missing Access; without Send Messages: 50013 Missing Permissions', async () => {
    const { discord, client } = await connect();
    const id = discord.defaultChannelId;
    discord.denyBotPermissions(id, ['SendMessages']);
    await expect(text(client, id).send('Hej')).rejects.toMatchObject({ status: 403, code: 50013 });
    discord.denyBotPermissions(id, ['ViewChannel']);
    await expect(text(client, id).send('Hej')).rejects.toMatchObject({ status: 403, code: 50001 });
    // discord.js learnt it from CHANNEL_UPDATE, as it would from Discord.
    await discord.waitFor(
      () => (text(client, id).permissionsFor(client.user!)?.has(PermissionFlagsBits.ViewChannel) ? undefined : true),
      'the cache update',
    );
    discord.clearBotOverwrite(id);
    await text(client, id).send('Hej igen');
    expect(discord.messages(id).map((m) => m.content)).toEqual(['Hej igen']);
  });

  it('embeds need Embed Links, files Attach Files, replies Read Message History (160002)', async () => {
    const { discord, client } = await connect();
    const channel = text(client, discord.defaultChannelId);
    const first = await channel.send('Første');
    discord.denyBotPermissions(channel.id, ['EmbedLinks', 'AttachFiles', 'ReadMessageHistory']);
    await expect(channel.send({ embeds: [new EmbedBuilder().setTitle('Resultat')] })).rejects.toMatchObject({ code: 50013 });
    await expect(channel.send({ files: [new AttachmentBuilder(Buffer.from('x'), { name: 'x.txt' })] })).rejects.toMatchObject({
      code: 50013,
    });
    await expect(first.reply('Svar')).rejects.toMatchObject({ status: 403, code: 160002 });
    await channel.send('Bare tekst');
    expect(discord.messages(channel.id).map((m) => m.content)).toEqual(['Første', 'Bare tekst']);
  });

  it('threads: Create Public Threads to open one, Send Messages in Threads to post in it; one thread per message (160004)', async () => {
    const { discord, client } = await connect();
    const channel = text(client, discord.defaultChannelId);
    const root = await channel.send('Forslag: skatepark');
    const thread = await root.startThread({ name: 'Skatepark' });
    await expect(root.startThread({ name: 'Igen' })).rejects.toMatchObject({ status: 400, code: 160004 });
    await thread.send('Hvad koster den?');

    discord.denyBotPermissions(channel.id, ['SendMessagesInThreads']);
    await expect(thread.send('Igen')).rejects.toMatchObject({ code: 50013 });
    // Send Messages in the channel itself is another permission.
    await channel.send('Stadig her');
    discord.denyBotPermissions(channel.id, ['CreatePublicThreads']);
    await expect(channel.threads.create({ name: 'Ny tråd', type: ChannelType.PublicThread })).rejects.toMatchObject({ code: 50013 });
    const other = await channel.send('Andet forslag');
    await expect(other.startThread({ name: 'Andet' })).rejects.toMatchObject({ code: 50013 });

    // A locked thread takes messages only from those with Manage Threads.
    discord.clearBotOverwrite(channel.id);
    (discord.store.channels.get(thread.id)!.thread_metadata as { locked: boolean }).locked = true;
    await expect(thread.send('Låst?')).rejects.toMatchObject({ code: 160005 });
    discord.allowBotPermissions(channel.id, ['ManageThreads']);
    await thread.send('Moderator her');
  });

  it('forums: no messages straight into the channel (50008); a post needs Send Messages, not Create Public Threads', async () => {
    const forum = makeTextChannel({ name: 'idéer', type: ChannelKind.GuildForum });
    const guild = makeGuild({ channels: [makeTextChannel({ name: 'generelt' }), forum] });
    const { discord } = await connect({ guilds: [guild] });
    const direct = await raw(discord, 'POST', `/channels/${forum.id}/messages`, { content: 'Hej', allowed_mentions: { parse: [] } });
    expect(direct).toMatchObject({ status: 400, body: { code: 50008 } });
    discord.denyBotPermissions(forum.id, ['SendMessages']);
    discord.allowBotPermissions(forum.id, ['CreatePublicThreads']);
    const post = (name: string) =>
      raw(discord, 'POST', `/channels/${forum.id}/threads`, {
        name,
        message: { content: 'Første indlæg', allowed_mentions: { parse: [] } },
      });
    expect(await post('Skatepark')).toMatchObject({ status: 403, body: { code: 50013 } });
    discord.allowBotPermissions(forum.id, ['SendMessages']);
    expect(await post('Skatepark')).toMatchObject({ status: 201, body: { parent_id: forum.id, type: ChannelKind.PublicThread } });
  });

  it('interaction responses and follow-ups work without any channel permission; app_permissions says what the bot lacks', async () => {
    const { discord, client } = await connect();
    const id = discord.defaultChannelId;
    discord.denyBotPermissions(id, ['ViewChannel', 'SendMessages', 'EmbedLinks']);
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'status' });
    const i = await arrives;
    if (!i.isChatInputCommand()) throw new Error('expected a slash command');
    expect(i.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(false);
    expect(i.appPermissions.has(PermissionFlagsBits.ViewChannel)).toBe(false);
    await i.deferReply();
    await i.editReply({ content: 'Svar', embeds: [new EmbedBuilder().setTitle('Resultat')] });
    await i.followUp({ content: 'Og privat', flags: MessageFlags.Ephemeral });
    await i.followUp({ content: 'Og offentligt' });
    const r = discord.interaction(rec.id);
    expect([r.original, ...r.followups].map((m) => m?.content)).toEqual(['Svar', 'Og privat', 'Og offentligt']);
    // A bot post in the same channel is still refused.
    await expect(text(client, id).send('Direkte')).rejects.toMatchObject({ code: 50001 });
  });
});
