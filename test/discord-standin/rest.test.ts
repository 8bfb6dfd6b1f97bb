import {
  ApplicationCommandOptionType,
  AttachmentBuilder,
  ChannelType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  Routes,
  TextChannel,
  ThreadChannel,
  type Message,
  type RateLimitData,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { connect } from './fixtures.ts';
import { nextInteraction } from '../support/discord/client.ts';
import { makeGuild, makeMember, makeTextChannel, makeUser, overwrite } from '../support/discord/index.ts';

function textChannel(client: { channels: { cache: Map<string, unknown> } }, id: string): TextChannel {
  const channel = client.channels.cache.get(id);
  if (!(channel instanceof TextChannel)) throw new Error(`expected text channel ${id} in the client's cache`);
  return channel;
}

describe('Discord stand-in: REST with the real discord.js Client', () => {
  it('a 429 is retried by discord.js transparently and the request then succeeds', async () => {
    const { discord, client } = await connect();
    const rateLimits: RateLimitData[] = [];
    client.rest.on('rateLimited', (info) => rateLimits.push(info));
    discord.rateLimitNext('POST /channels/{channel_id}/messages', { retryAfter: 0.05 });

    const sent = await textChannel(client, discord.defaultChannelId).send('Afstemningen er åben');

    const posts = discord.requests.filter((r) => r.template === '/channels/{channel_id}/messages' && r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(posts[0]?.response).toMatchObject({ retry_after: 0.05, global: false });
    expect(discord.messages(discord.defaultChannelId).map((m) => [m.id, m.content])).toEqual([[sent.id, 'Afstemningen er åben']]);
    // discord.js read the headers: it held the retry back itself and said so.
    expect(rateLimits).toEqual([expect.objectContaining({ method: 'POST', route: '/channels/:id/messages', limit: 5, global: false })]);
  });

  it('DMs: a user with closed DMs gives 50007; an open one receives the message', async () => {
    const closed = makeUser({ username: 'lukket' });
    const open = makeUser({ username: 'åben' });
    const { discord, client } = await connect({ users: [closed, open], closedDms: [closed.id] });

    const closedUser = await client.users.fetch(closed.id);
    const err = await closedUser.send('Din runde starter i dag').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect(err).toMatchObject({ status: 403, code: 50007, message: 'Cannot send messages to this user' });

    const sent = await (await client.users.fetch(open.id)).send('Din runde starter i dag');
    expect(discord.dmsTo(open.id).map((m) => [m.id, m.content])).toEqual([[sent.id, 'Din runde starter i dag']]);
    expect(discord.dmsTo(closed.id)).toEqual([]);
    expect(discord.requests.filter((r) => r.path === '/users/@me/channels').map((r) => r.body)).toEqual([
      { recipient_id: closed.id },
      { recipient_id: open.id },
    ]);
  });

  it('threads: from a channel and from a message; messages land in the thread', async () => {
    const { discord, client } = await connect();
    const channel = textChannel(client, discord.defaultChannelId);
    const thread = await channel.threads.create({ name: 'Forslag: skatepark' });
    expect(thread).toBeInstanceOf(ThreadChannel);
    expect(thread.parentId).toBe(channel.id);
    await thread.send('Hvad skal den koste?');
    expect(discord.messages(thread.id).map((m) => m.content)).toEqual(['Hvad skal den koste?']);
    // discord.js asks for a public thread unless told otherwise.
    expect(discord.requests.find((r) => r.template === '/channels/{channel_id}/threads')?.body).toMatchObject({
      name: 'Forslag: skatepark',
      type: ChannelType.PublicThread,
    });
    expect(discord.store.channels.get(thread.id)).toMatchObject({
      parent_id: channel.id,
      name: 'Forslag: skatepark',
      type: ChannelType.PublicThread,
    });
    expect(thread.type).toBe(ChannelType.PublicThread);

    const root = await channel.send('Nyt forslag: musikudstyr');
    const fromMessage = await root.startThread({ name: 'Musikudstyr' });
    expect(fromMessage.id).toBe(root.id);
    expect(discord.store.messages.get(root.id)?.threadId).toBe(fromMessage.id);
    await expect(root.startThread({ name: 'Igen' })).rejects.toThrow();
  });

  it('application commands are stored, and define the types of dispatched options', async () => {
    const { discord, client } = await connect();
    await client.application.commands.set([
      {
        name: 'stem',
        description: 'Giv point til et forslag',
        options: [
          {
            name: 'forslag',
            description: 'Hvilket',
            type: ApplicationCommandOptionType.String,
            required: true,
            choices: [{ name: 'Skatepark', value: 'p1' }],
          },
          { name: 'point', description: 'Hvor mange', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 10 },
          { name: 'hvem', description: 'På vegne af', type: ApplicationCommandOptionType.User },
        ],
      },
    ]);
    await client.application.commands.set([{ name: 'opsæt', description: 'Opsæt puljen' }], discord.defaultGuild.id);
    expect(discord.commands.global.map((c) => c.name)).toEqual(['stem']);
    expect(discord.commands.guild(discord.defaultGuild.id).map((c) => c.name)).toEqual(['opsæt']);
    const firstId = discord.commands.global[0]?.id;
    await client.application.commands.set([{ name: 'stem', description: 'Ny tekst' }]);
    expect(discord.commands.global[0]?.id).toBe(firstId);

    await client.application.commands.set([
      {
        name: 'stem',
        description: 'Giv point til et forslag',
        options: [
          {
            name: 'forslag',
            description: 'Hvilket',
            type: ApplicationCommandOptionType.String,
            required: true,
            choices: [{ name: 'Skatepark', value: 'p1' }],
          },
          { name: 'point', description: 'Hvor mange', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 10 },
          { name: 'hvem', description: 'På vegne af', type: ApplicationCommandOptionType.User },
        ],
      },
    ]);
    expect(() => discord.sendSlashCommand({ name: 'stem', options: { point: 3 } })).toThrow(/needs option "forslag"/);
    expect(() => discord.sendSlashCommand({ name: 'stem', options: { forslag: 'p9' } })).toThrow(/not one of the choices/);
    expect(() => discord.sendSlashCommand({ name: 'stem', options: { forslag: 'p1', point: 11 } })).toThrow(/above 10/);
    expect(() => discord.sendSlashCommand({ name: 'stem', options: { forslag: 'p1', farve: 'rød' } })).toThrow(/no option "farve"/);

    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'stem', options: { forslag: 'p1', point: 3, hvem: discord.defaultUser } });
    const i = await arrives;
    if (!i.isChatInputCommand()) throw new Error('expected a slash command');
    expect(i.commandId).toBe(discord.commands.global[0]?.id);
    expect(i.options.getString('forslag')).toBe('p1');
    expect(i.options.getInteger('point')).toBe(3);
    expect(i.options.getUser('hvem')?.id).toBe(discord.defaultUser.id);
    expect(i.options.getMember('hvem')).not.toBeNull();
    await i.reply({ content: 'Stemme modtaget' });
    expect((await discord.waitForResponse(rec.id)).response.type).toBe(4);
  });

  it('channel messages: reply to a message, edit, delete, fetch', async () => {
    const { discord, client } = await connect();
    const channel = textChannel(client, discord.defaultChannelId);
    const first = await channel.send('Runde 1 er åben');
    const reply = await first.reply('Husk at stemme');
    expect(discord.store.messages.get(reply.id)?.messageReference).toMatchObject({ message_id: first.id });
    const edited = await first.edit('Runde 1 er lukket');
    expect(edited.editedTimestamp).not.toBeNull();
    expect(discord.store.messages.get(first.id)?.history.map((h) => (h.body as { content?: string }).content)).toEqual([
      'Runde 1 er åben',
      'Runde 1 er lukket',
    ]);
    const fetched = await channel.messages.fetch({ limit: 10 });
    expect([...fetched.values()].map((m: Message) => m.content)).toEqual(['Husk at stemme', 'Runde 1 er lukket']);
    await reply.delete();
    expect(discord.messages(channel.id).map((m) => m.content)).toEqual(['Runde 1 er lukket']);
    await expect(channel.messages.fetch({ message: reply.id, force: true })).rejects.toMatchObject({ code: 10008 });
  });

  it("editing: only the bot's own messages (50005), and a deleted one is unknown (10008), as Discord refuses them", async () => {
    const { discord, client } = await connect();
    const channel = textChannel(client, discord.defaultChannelId);
    const someone = discord.sendUserMessage({ content: 'Husk at stemme!' });
    const edit = (id: string) => client.rest.patch(Routes.channelMessage(channel.id, id), { body: { content: 'ændret', components: [] } });
    await expect(edit(someone.id)).rejects.toMatchObject({ status: 403, code: 50005 });
    expect(discord.store.messages.get(someone.id)).toMatchObject({ content: 'Husk at stemme!', editedAt: null });

    // The bot's own message, deleted by a moderator in the app: gone for edits.
    const own = await channel.send({ content: 'Runde 1', components: [] });
    discord.deleteMessage(own.id);
    await expect(edit(own.id)).rejects.toMatchObject({ status: 404, code: 10008 });
    await expect(edit('1234567890123456789')).rejects.toMatchObject({ status: 404, code: 10008 });
  });

  it('files: multipart bodies are validated from payload_json and the bytes are kept', async () => {
    const { discord, client } = await connect();
    const arrives = nextInteraction(client);
    const rec = discord.sendSlashCommand({ name: 'eksport' });
    const i = await arrives;
    if (!i.isChatInputCommand()) throw new Error('expected a slash command');
    const pb = 'META\nkey;value\nbudget;50000\n';
    await i.reply({
      content: 'Resultatet som pabulib-fil',
      files: [new AttachmentBuilder(Buffer.from(pb), { name: 'runde.pb', description: 'Runde 1' })],
    });
    const reply = await i.fetchReply();
    expect(reply.attachments.first()).toMatchObject({ name: 'runde.pb', size: pb.length, description: 'Runde 1' });
    const stored = discord.interaction(rec.id).original?.attachments[0];
    expect(stored?.data.toString('utf8')).toBe(pb);
    expect(stored?.id).toBe(reply.attachments.first()?.id);
    expect(discord.requests.find((r) => r.method === 'POST' && r.files.length)?.files.map((f) => f.field)).toEqual(['files[0]']);

    // An edit that lists no attachments removes them, as on Discord.
    await i.editReply({ content: 'Uden fil', attachments: [] });
    expect(discord.interaction(rec.id).original?.attachments).toEqual([]);
  });

  it('the bot without Send Messages in a channel gets 50013', async () => {
    const locked = makeTextChannel({ name: 'kun-voksne' });
    const guild = makeGuild({ channels: [makeTextChannel({ name: 'generelt' }), locked] });
    locked.permission_overwrites = [overwrite(guild.id, { deny: ['SendMessages'] })];
    const { discord, client } = await connect({ guilds: [guild] });
    await expect(textChannel(client, locked.id).send('Hej')).rejects.toMatchObject({ status: 403, code: 50013 });
    expect(discord.messages(locked.id)).toEqual([]);
  });

  it('members: by REST and by the gateway (op 8 → GUILD_MEMBERS_CHUNK)', async () => {
    const maja = makeUser({ username: 'maja' });
    const mads = makeUser({ username: 'mads' });
    const guild = makeGuild({ members: [makeMember(maja), makeMember(mads)] });
    const { discord, client } = await connect(
      { guilds: [guild], privilegedIntents: ['GuildMembers'] },
      { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] },
    );
    const g = client.guilds.cache.get(guild.id)!;
    expect((await g.members.fetch({ user: maja.id, force: true })).user.username).toBe('maja');
    const found = await g.members.fetch({ query: 'ma', limit: 10 });
    expect([...found.values()].map((m) => m.user.username).sort()).toEqual(['mads', 'maja']);
    await expect(g.members.fetch({ user: '123', force: true })).rejects.toMatchObject({ code: 10007 });
    await expect(g.members.list({ limit: 10 })).resolves.toHaveProperty('size', 4);
    // events/gateway § HTTP Restrictions: List Guild Members needs GUILD_MEMBERS enabled for the app.
    discord.enablePrivilegedIntents(['GuildMembers'], false);
    await expect(g.members.list({ limit: 10 })).rejects.toMatchObject({ status: 403, code: 50001 });
  });

  it('user messages reach the client per intents; content only with MESSAGE_CONTENT', async () => {
    const { discord, client } = await connect({}, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    const seen = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
    discord.sendUserMessage({ content: 'Hvornår lukker afstemningen?' });
    const m = await seen;
    expect(m.author.id).toBe(discord.defaultUser.id);
    expect(m.content).toBe('');

    // Mentioned, the bot sees the content anyway; over REST the same rule holds.
    const mentioned = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
    discord.sendUserMessage({ content: `<@${discord.bot.id}> hvornår?` });
    expect((await mentioned).content).toBe(`<@${discord.bot.id}> hvornår?`);
    const channel = textChannel(client, discord.defaultChannelId);
    const fetched = await channel.messages.fetch({ limit: 10 });
    expect([...fetched.values()].map((x) => x.content).sort()).toEqual(['', `<@${discord.bot.id}> hvornår?`].sort());

    const { discord: d2, client: c2 } = await connect(
      { privilegedIntents: ['MessageContent'] },
      { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] },
    );
    const seen2 = new Promise<Message>((resolve) => c2.once(Events.MessageCreate, resolve));
    d2.sendUserMessage({ content: 'Hvornår lukker afstemningen?' });
    expect((await seen2).content).toBe('Hvornår lukker afstemningen?');
    const again = await textChannel(c2, d2.defaultChannelId).messages.fetch({ limit: 1, cache: false });
    expect(again.first()?.content).toBe('Hvornår lukker afstemningen?');
  });

  it('unknown and unimplemented routes answer 404 and are recorded as errors', async () => {
    const { discord, client } = await connect();
    await expect(client.rest.get('/nonsense/route')).rejects.toMatchObject({ status: 404 });
    await expect(client.rest.get(Routes.guildBans(discord.defaultGuild.id))).rejects.toMatchObject({ status: 404 });
    expect(discord.takeErrors().map((e) => [e.kind, e.message])).toEqual([
      ['route', "GET /nonsense/route is not a route of Discord's API"],
      ['unimplemented', expect.stringContaining('does not implement GET /guilds/{guild_id}/bans')],
    ]);
  });
});
