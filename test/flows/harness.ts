import { expect } from 'vitest';
import { buttonsOf, ChatPlace, type Person, type Shown, selectsOf, textOf } from '../../adapters/shell/chat-place.ts';
import type { Logger, Outcome, Router, SurfaceLimits } from '../../src/conversation/index.ts';
import { createRouter } from '../../src/app.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import type { TestDatabase } from '../support/databases.ts';
import { manualClock, snapshot } from '../usecases/fixtures.ts';
import { discordLike } from '../conversation/surfaces.ts';
import { ideasRound } from '../support/rounds.ts';

export type Member = Person & { personId: string };
export { buttonsOf, selectsOf, textOf, type Shown };

/**
 * A chat place driven through the router and the one delivery path, as an adapter would (the test surface that
 * ships with Pulje, adapters/shell): strict, so every message is checked against the surface's limits and an
 * update of a public message is refused outright (no flow may turn a card everyone sees into one person's answer).
 */
export class Chat extends ChatPlace {
  constructor(router: Router, limits: Readonly<SurfaceLimits>, channelId = 'chan-1', platform: 'discord' | 'slack' | 'web' = 'discord') {
    super(router, { limits, channelId, platform, strict: true });
  }
}

/** A round through the use cases up to voting, with one proposal per cost (by young members in turn). */
export async function votingRound(w: FlowWorld, costs: number[], settings: Record<string, unknown> = {}, titles?: string[]) {
  const staff = { personId: w.staff.personId };
  const round = await ideasRound(w.pulje, staff, w.groupId, settings);
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
    .flatMap((r) => (r.kind === 'send' ? r.messages : r.kind === 'form' || r.kind === 'retire' ? [] : [r.message, ...r.overflow]))
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
  const router = createRouter({ defaultLocale: 'da', pulje, logger: failOnError });
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
