import { openAIModel } from '../../adapters/model/openai.ts';
import { createRouter } from '../../src/app.ts';
import type { FittedMessage, Router, SurfaceLimits } from '../../src/conversation/index.ts';
import type { ModelClient } from '../../src/staff/model.ts';
import type { Notifier, NoticeResult } from '../../src/staff/notifier.ts';
import { createPulje, type Pulje } from '../../src/usecases/index.ts';
import { discordLike } from '../conversation/surfaces.ts';
import { Chat, failOnError, type Member } from '../flows/harness.ts';
import type { TestDatabase } from '../support/databases.ts';
import type { OpenAIStandIn } from '../support/openai/index.ts';
import { manualClock } from '../usecases/fixtures.ts';

export { textOf, buttonsOf } from '../flows/harness.ts';
export type { Member };

/** The real model adapter on the real openai SDK, pointed at the stand-in. */
export function standInModel(standIn: OpenAIStandIn, o: { timeoutMs?: number; maxRetries?: number } = {}): ModelClient {
  return openAIModel({
    baseURL: standIn.baseURL,
    apiKey: standIn.apiKey,
    model: 'gpt-4o-mini',
    timeoutMs: o.timeoutMs ?? 5000,
    maxRetries: o.maxRetries ?? 0,
  });
}

/** A notifier that keeps what it was asked to send (jobs' tests read it). */
export function recordingNotifier(result: NoticeResult = 'sent') {
  const notices: Array<{ personId: string; groupId: string; body: unknown }> = [];
  const announcements: Array<{ groupId: string; body: unknown }> = [];
  const notifier: Notifier = {
    async announce(groupId, body) {
      announcements.push({ groupId, body });
      return 1;
    },
    async notify(personId, groupId, body) {
      notices.push({ personId, groupId, body });
      return result;
    },
    async retire() {},
  };
  return { notifier, notices, announcements };
}

export interface StaffWorld {
  pulje: Pulje;
  router: Router;
  chat: Chat;
  clock: ReturnType<typeof manualClock>;
  groupId: string;
  conversationId: string;
  admin: Member;
  staff: Member;
  youth: Member[];
}

/**
 * A group on Discord-like accounts (channel chan-1 bound): an admin, the pedagogue Pia Pædagog and young people
 * with the given names; the router has every flow and, optionally, a model.
 */
export async function staffWorld(
  db: TestDatabase,
  opts: {
    locale?: 'da' | 'en';
    youth?: readonly string[];
    model?: ModelClient;
    limits?: Readonly<SurfaceLimits>;
    retentionDays?: number;
  } = {},
): Promise<StaffWorld> {
  const clock = manualClock();
  const pulje = createPulje({ db, clock: clock.now, retentionDays: opts.retentionDays ?? 30 });
  const boot = await pulje.setup.createOrganisation({
    name: 'Roskilde Kommune',
    group: { name: 'Ungerådet', locale: opts.locale ?? 'da' },
    admin: { displayName: 'Anne Admin', platform: 'discord', externalId: 'd-admin' },
  });
  const groupId = boot.group.id;
  const admin: Member = { key: 'admin', name: 'Anne Admin', externalId: 'd-admin', personId: boot.admin.id };
  const add = async (key: string, name: string, role: 'youth' | 'staff') => {
    const { person } = await pulje.setup.addMember(
      { personId: admin.personId },
      { groupId, role, platform: 'discord', externalId: `d-${key}`, displayName: name },
    );
    return { key, name, externalId: `d-${key}`, personId: person.id };
  };
  const staff = await add('staff', 'Pia Pædagog', 'staff');
  const youth: Member[] = [];
  for (const [i, name] of (opts.youth ?? ['Aya Hansen', 'Jonas Berg', 'Sofie Jensen']).entries())
    youth.push(await add(`y${i}`, name, 'youth'));
  const conversation = await pulje.setup.bindConversation(
    { personId: admin.personId },
    { groupId, platform: 'discord', channelId: 'chan-1' },
  );
  const router = createRouter({
    defaultLocale: 'da',
    pulje,
    logger: failOnError,
    staff: { ...(opts.model ? { model: opts.model } : {}), now: clock.now },
  });
  const chat = new Chat(router, opts.limits ?? discordLike);
  return { pulje, router, chat, clock, groupId, conversationId: conversation.id, admin, staff, youth };
}

/** Sends free chat messages as members, in order, one minute apart. */
export async function talk(w: StaffWorld, lines: ReadonlyArray<readonly [Member, string]>): Promise<void> {
  for (const [who, text] of lines) {
    w.clock.advance(60_000);
    const outcome = await w.chat.send(who, { kind: 'message', text });
    if (outcome.duplicate) throw new Error('a message was taken for a duplicate');
  }
}

/** A fitted message's text (cards included), for assertions. */
export type { FittedMessage };
