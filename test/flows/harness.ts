import { expect } from 'vitest';
import {
  createRouter,
  limitViolations,
  type FittedButton,
  type FittedForm,
  type FittedMessage,
  type FittedReply,
  type FittedSelect,
  type Logger,
  type Outcome,
  type Router,
  type SurfaceLimits,
} from '../../src/conversation/index.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import type { TestDatabase } from '../support/databases.ts';
import { manualClock, snapshot } from '../usecases/fixtures.ts';
import { discordLike } from '../conversation/surfaces.ts';

export interface Member {
  key: string;
  name: string;
  externalId: string;
  personId: string;
}

/** A message as one chat place shows it: to everyone, or only to its recipient. */
export interface Shown {
  id: string;
  recipient: string | null;
  message: FittedMessage;
}

/** Everything a person can read in a fitted message, joined. */
export function textOf(message: FittedMessage): string {
  return [
    ...message.text.map((s) => s.text),
    ...message.cards.flatMap((c) => [
      c.title ?? '',
      ...c.body.map((s) => s.text),
      ...c.fields.flatMap((f) => [f.label, f.value]),
      c.footer ?? '',
      ...c.rows.flatMap((r) =>
        r.kind === 'buttons' ? r.buttons.map((b) => b.label) : [r.select.placeholder ?? '', ...r.select.options.map((o) => o.label)],
      ),
    ]),
  ]
    .filter(Boolean)
    .join('\n');
}

export function buttonsOf(message: FittedMessage): FittedButton[] {
  return message.cards.flatMap((c) => c.rows.flatMap((r) => (r.kind === 'buttons' ? r.buttons : [])));
}

export function selectsOf(message: FittedMessage): FittedSelect[] {
  return message.cards.flatMap((c) => c.rows.flatMap((r) => (r.kind === 'select' ? [r.select] : [])));
}

/**
 * A chat place driven through the router the way an adapter would: public replies go to everyone, private ones
 * to the actor, an update replaces the message whose control was used (keeping who may see it). Every reply is
 * checked against the surface's limits, and an update of a public message is refused outright: no flow may turn
 * a card everyone sees into one person's answer.
 */
export class Chat {
  readonly messages: Shown[] = [];
  private readonly forms = new Map<string, FittedForm>();
  private seq = 0;
  private keys = 0;

  constructor(
    /** Replaceable, to let another "process" (router) take the next event in the same chat place. */
    public router: Router,
    readonly limits: Readonly<SurfaceLimits>,
    readonly channelId = 'chan-1',
    readonly platform: 'discord' | 'slack' | 'web' = 'discord',
  ) {}

  private base(who: Member, key?: string) {
    return {
      idempotencyKey: key ?? `${this.channelId}-k${++this.keys}`,
      actor: { platform: this.platform, externalId: who.externalId, displayName: who.name },
      conversation: { platform: this.platform, channelId: this.channelId },
    };
  }

  private push(recipient: string | null, message: FittedMessage): Shown {
    const shown = { id: `m${++this.seq}`, recipient, message };
    this.messages.push(shown);
    return shown;
  }

  private check(message: FittedMessage): void {
    expect(limitViolations(message, this.limits)).toEqual([]);
  }

  private apply(who: Member, replies: FittedReply[], sourceId?: string): void {
    for (const r of replies) {
      if (r.kind === 'form') {
        this.forms.set(who.key, r.form);
        continue;
      }
      if (r.kind === 'send') {
        for (const m of r.messages) {
          this.check(m);
          this.push(r.visibility === 'private' ? who.key : null, m);
        }
        continue;
      }
      const targetId = r.kind === 'update' ? sourceId : r.ref.messageId;
      const target = this.messages.find((m) => m.id === targetId);
      this.check(r.message);
      for (const m of r.overflow) this.check(m);
      if (target) {
        if (target.recipient === null)
          throw new Error(`a ${r.kind} would replace public message ${target.id}: ${textOf(r.message).slice(0, 200)}`);
        target.message = r.message;
      } else this.push(who.key, r.message);
      for (const m of r.overflow) this.push(target?.recipient ?? who.key, m);
    }
  }

  async send(who: Member, event: Record<string, unknown>, sourceId?: string, key?: string): Promise<Outcome> {
    const outcome = await this.router.handle({ ...this.base(who, key), ...event } as never, { limits: this.limits });
    this.apply(who, outcome.replies, sourceId);
    return outcome;
  }

  command(who: Member, name: string, text?: string, key?: string): Promise<Outcome> {
    return this.send(who, { kind: 'command', name, ...(text !== undefined ? { text } : {}) }, undefined, key);
  }

  private source(messageId: string) {
    return { platform: this.platform, channelId: this.channelId, messageId };
  }

  /** Presses the button whose label matches on a message `who` can see. */
  async click(who: Member, shown: Shown, label: string | RegExp, key?: string): Promise<Outcome> {
    expect(this.visibleTo(who)).toContain(shown);
    const all = buttonsOf(shown.message);
    const b = all.find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label)));
    if (!b) throw new Error(`no button ${label} on ${shown.id}; there are: ${all.map((x) => x.label).join(' | ')}`);
    if (b.disabled) throw new Error(`button ${b.label} is disabled`);
    return this.send(who, { kind: 'action', actionId: b.id, source: this.source(shown.id) }, shown.id, key);
  }

  /** Sends an action id as a (possibly forged or stale) control on a message. */
  action(who: Member, actionId: string, shown?: Shown, values: string[] = [], key?: string): Promise<Outcome> {
    return this.send(who, { kind: 'action', actionId, values, ...(shown ? { source: this.source(shown.id) } : {}) }, shown?.id, key);
  }

  async choose(who: Member, shown: Shown, values: string[], index = 0): Promise<Outcome> {
    const select = selectsOf(shown.message)[index];
    if (!select) throw new Error(`no select ${index} on ${shown.id}`);
    for (const v of values) expect(select.options.map((o) => o.value)).toContain(v);
    return this.send(who, { kind: 'action', actionId: select.id, values, source: this.source(shown.id) }, shown.id);
  }

  /** The form the router last opened for `who`. */
  form(who: Member): FittedForm {
    const form = this.forms.get(who.key);
    if (!form) throw new Error(`no form open for ${who.key}`);
    return form;
  }

  async submit(who: Member, fields: Record<string, string>, key?: string): Promise<Outcome> {
    const form = this.form(who);
    this.forms.delete(who.key);
    const known = new Set(form.inputs.map((i) => i.name));
    for (const name of Object.keys(fields)) expect(known, `form ${form.id} has no input ${name}`).toContain(name);
    return this.send(who, { kind: 'form', formId: form.id, fields }, undefined, key);
  }

  visibleTo(who: Member): Shown[] {
    return this.messages.filter((m) => m.recipient === null || m.recipient === who.key);
  }

  /** The newest message `who` can see. */
  last(who: Member): Shown {
    const shown = this.visibleTo(who).at(-1);
    if (!shown) throw new Error(`nothing visible to ${who.key}`);
    return shown;
  }

  lastPublic(): Shown {
    const shown = this.messages.filter((m) => m.recipient === null).at(-1);
    if (!shown) throw new Error('no public message');
    return shown;
  }

  /** All text `who` can read in this chat place. */
  transcript(who: Member): string {
    return this.visibleTo(who)
      .map((m) => textOf(m.message))
      .join('\n');
  }
}

/** A round through the use cases up to voting, with one proposal per cost (by young members in turn). */
export async function votingRound(w: FlowWorld, costs: number[], settings: Record<string, unknown> = {}, titles?: string[]) {
  const staff = { personId: w.staff.personId };
  const round = await w.pulje.rounds.create(staff, {
    groupId: w.groupId,
    title: 'Sommerpuljen',
    amount: 1_000_000,
    ballotType: 'approval',
    rule: 'greedy',
    ...settings,
  });
  await w.pulje.rounds.openIdeas(staff, { roundId: round.id });
  const proposals = [];
  for (const [i, cost] of costs.entries()) {
    const author = w.youth[i % w.youth.length]!;
    proposals.push(
      await w.pulje.proposals.submit(
        { personId: author.personId },
        { roundId: round.id, title: titles?.[i] ?? `Idé ${i + 1}`, description: `Beskrivelse af idé ${i + 1}.`, cost },
      ),
    );
  }
  await w.pulje.rounds.openVoting(staff, { roundId: round.id });
  return { round, proposals };
}

/** Replies as a person sees them: sends and updates in order (forms excluded). */
export function replyTexts(outcome: Outcome): string {
  return outcome.replies
    .flatMap((r) => (r.kind === 'send' ? r.messages : r.kind === 'form' ? [] : [r.message, ...r.overflow]))
    .map(textOf)
    .join('\n');
}

/** A flow that fails unexpectedly fails the test, with its error, instead of answering "something went wrong". */
export const failOnError: Logger = {
  error(obj) {
    throw (obj as { err?: unknown }).err ?? new Error(JSON.stringify(obj));
  },
  warn() {},
  info() {},
};

export interface FlowWorld {
  pulje: Pulje;
  router: Router;
  chat: Chat;
  clock: ReturnType<typeof manualClock>;
  groupId: string;
  organisationId: string;
  admin: Member;
  staff: Member;
  youth: Member[];
  /** Someone in the organisation who is in no group. */
  outsider: Member;
}

/**
 * An organisation with one group (its language `locale`) on Discord-like accounts: an admin, a pedagogue and
 * `youth` young people; the channel is bound to the group unless `bind` is false.
 */
export async function flowWorld(
  db: TestDatabase,
  opts: { locale?: 'da' | 'en'; youth?: number; limits?: Readonly<SurfaceLimits>; bind?: boolean } = {},
): Promise<FlowWorld> {
  const clock = manualClock();
  const pulje = createPulje({ db, clock: clock.now });
  const boot = await pulje.setup.createOrganisation({
    name: 'Roskilde Kommune',
    group: { name: 'Ungerådet', locale: opts.locale ?? 'da' },
    admin: { displayName: 'Anne Admin', platform: 'discord', externalId: 'd-admin' },
  });
  const groupId = boot.group.id;
  const admin: Member = { key: 'admin', name: 'Anne Admin', externalId: 'd-admin', personId: boot.admin.id };
  const adminActor = { personId: admin.personId };
  const add = async (key: string, name: string, role: 'youth' | 'staff') => {
    const { person } = await pulje.setup.addMember(adminActor, {
      groupId,
      role,
      platform: 'discord',
      externalId: `d-${key}`,
      displayName: name,
    });
    return { key, name, externalId: `d-${key}`, personId: person.id };
  };
  const staff = await add('staff', 'Pia Pædagog', 'staff');
  const names = ['Aya', 'Bo', 'Cem', 'Dina', 'Emil', 'Freja', 'Gustav', 'Hana', 'Ida', 'Jonas', 'Kai', 'Lea'];
  const youth: Member[] = [];
  for (let i = 0; i < (opts.youth ?? 3); i++) youth.push(await add(`y${i}`, names[i] ?? `Ung ${i}`, 'youth'));
  // In the organisation but in no group: created through a second group that is then left alone.
  const other = await pulje.setup.createGroup(adminActor, { organisationId: boot.organisation.id, name: 'Andre', locale: 'da' });
  const { person: outsiderPerson } = await pulje.setup.addMember(adminActor, {
    groupId: other.id,
    role: 'youth',
    platform: 'discord',
    externalId: 'd-outsider',
    displayName: 'Olga',
  });
  const outsider: Member = { key: 'outsider', name: 'Olga', externalId: 'd-outsider', personId: outsiderPerson.id };
  if (opts.bind !== false) await pulje.setup.bindConversation(adminActor, { groupId, platform: 'discord', channelId: 'chan-1' });
  const router = createRouter({ prisma: db.prisma, defaultLocale: 'da', pulje, logger: failOnError });
  const chat = new Chat(router, opts.limits ?? discordLike);
  return { pulje, router, chat, clock, groupId, organisationId: boot.organisation.id, admin, staff, youth, outsider };
}

/** Runs `act`, which must be refused, and checks the database is exactly as before (drafts included). */
export async function expectNothingChanged(db: TestDatabase, act: () => Promise<Outcome>): Promise<Outcome> {
  const before = { ...(await snapshot(db.prisma)), drafts: await db.prisma.ballotDraft.findMany({ orderBy: { id: 'asc' } }) };
  const outcome = await act();
  const after = { ...(await snapshot(db.prisma)), drafts: await db.prisma.ballotDraft.findMany({ orderBy: { id: 'asc' } }) };
  expect(after).toEqual(before);
  return outcome;
}

/** The replies of a refused request: exactly one private message, with no leftover placeholder. */
export function expectPrivateRefusal(outcome: Outcome, pattern?: RegExp): string {
  expect(outcome.duplicate).toBe(false);
  expect(outcome.replies).toHaveLength(1);
  const r = outcome.replies[0]!;
  expect(r.kind === 'send' ? r.visibility : r.kind).toBe('private');
  const text = replyTexts(outcome);
  expect(text).not.toMatch(/\{\w+\}/);
  if (pattern) expect(text).toMatch(pattern);
  return text;
}
