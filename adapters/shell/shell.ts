// `npm run shell [-- --as <name>]`: Pulje in a terminal, on the same database as `npm start` (Hubot's Shell
// adapter). It speaks as one person of the demo or of any group, in that group's web room, through the same
// router, flows and delivery path as every other surface. SQLite allows one process at a time: stop `npm start`
// first, or point DATABASE_URL at another file.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { composePulje } from '../../src/app.ts';
import { ConfigError, loadConfig } from '../../src/config/env.ts';
import { silentLogger, splitSlashCommand, type FittedMessage } from '../../src/conversation/index.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { buttonsOf, ChatPlace, selectsOf, type Shown } from './chat-place.ts';
import { SHELL_LIMITS } from './limits.ts';

const { values } = parseArgs({ options: { as: { type: 'string' } }, strict: true });
if (existsSync('.env')) process.loadEnvFile('.env');
let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const app = await composePulje({ config, logger: silentLogger, migrate: true, exclusive: true });
const { pulje, router } = app;
if (config.PULJE_DEMO) await seedDemo(pulje, config.PULJE_LOCALE);

const people = await pulje.webChat.demoPeople();
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
// Lines are read from one iterator, so none is lost while Pulje answers (piped input arrives all at once).
const lines = rl[Symbol.asyncIterator]();
async function ask(prompt: string): Promise<string | undefined> {
  process.stdout.write(prompt);
  const next = await lines.next();
  return next.done ? undefined : next.value;
}

async function choosePerson(name?: string) {
  const wanted = name?.toLowerCase();
  const found = wanted ? people.find((p) => p.displayName.toLowerCase().startsWith(wanted)) : undefined;
  if (found) return found;
  out('Who are you? (type the start of a name)');
  for (const p of people) out(`  ${p.displayName}  (${p.groups.map((g) => `${g.name}: ${g.role}`).join(', ')})`);
  const answer = ((await ask('> ')) ?? '').trim().toLowerCase();
  return people.find((p) => p.displayName.toLowerCase().startsWith(answer)) ?? people[0]!;
}

function render(shown: Shown, numbered: { next: number; ids: Map<number, { shown: Shown; label: string }> }): string {
  const m: FittedMessage = shown.message;
  const lines: string[] = [];
  const text = m.text.map((s) => s.text).join('');
  if (text) lines.push(text);
  for (const c of m.cards) {
    if (c.title) lines.push(`┃ ${c.title}`);
    const body = c.body.map((s) => s.text).join('');
    if (body) lines.push(...body.split('\n').map((l) => `┃ ${l}`));
    for (const f of c.fields) lines.push(`┃   ${f.label}: ${f.value}`);
    if (c.footer) lines.push(`┃ ${c.footer}`);
  }
  const buttons = buttonsOf(m).filter((b) => !b.disabled);
  if (buttons.length) {
    lines.push(
      `  ${buttons
        .map((b) => {
          const n = numbered.next++;
          numbered.ids.set(n, { shown, label: b.label });
          return `[${n}] ${b.label}`;
        })
        .join('  ')}`,
    );
  }
  for (const [i, s] of selectsOf(m).entries()) lines.push(`  (select ${i}: ${s.options.map((o) => `${o.value}=${o.label}`).join(', ')})`);
  return `${shown.recipient ? '(only you) ' : ''}${lines.join('\n')}`;
}

let person = await choosePerson(values.as);
const rooms = await pulje.webChat.rooms(person.id);
if (!rooms.length) {
  out(`${person.displayName} is in no group.`);
  process.exit(1);
}
const room = rooms[0]!;
const place = new ChatPlace(router, { limits: SHELL_LIMITS, channelId: room.groupId, platform: 'web', strict: false });
let seen = 0;
const numbered = { next: 1, ids: new Map<number, { shown: Shown; label: string }>() };
const who = () => ({ key: person.id, name: person.displayName, externalId: person.id });
const show = () => {
  for (const m of place.messages.slice(seen)) if (!m.recipient || m.recipient === person.id) out(render(m, numbered));
  seen = place.messages.length;
};

out(`${person.displayName} in ${room.groupName}. Type /help, a message, [n] to press button n, :as <name>, :quit.`);
for (;;) {
  const line = ((await ask('> ')) ?? ':quit').trim();
  if (!line) continue;
  if (line === ':quit') break;
  if (line.startsWith(':as ')) {
    person = await choosePerson(line.slice(4));
    out(`now ${person.displayName}`);
    continue;
  }
  const press = /^\[?(\d+)\]?$/.exec(line);
  if (press) {
    const target = numbered.ids.get(Number(press[1]));
    if (!target) out('no such button');
    else await place.click(who(), target.shown, target.label).catch((e: unknown) => out(String(e)));
  } else {
    const command = splitSlashCommand(line);
    await (command ? place.command(who(), command.name, command.text) : place.send(who(), { kind: 'message', text: line }));
  }
  show();
  // A form opened: ask for each input in turn, then submit it.
  try {
    const form = place.form(who());
    out(`┃ ${form.title}`);
    const fields: Record<string, string> = {};
    for (const input of form.inputs) fields[input.name] = (await ask(`  ${input.label}${input.required ? ' *' : ''}: `)) ?? '';
    await place.submit(who(), fields);
    show();
  } catch {
    // No form open.
  }
}
rl.close();
await app.close();
