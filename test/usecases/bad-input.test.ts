import { expect, it } from 'vitest';
import type { ErrorCode } from '../../src/core/errors.ts';
import { describeEachEngine } from '../support/databases.ts';
import { expectRefusedUnchanged, votingRound, world, type World } from './fixtures.ts';

type Case = [name: string, run: () => Promise<unknown>, code?: ErrorCode];

/** Malformed requests for every use case: wrong types, missing or empty fields, values out of range. */
function badRequests(w: World, ids: { roundId: string; proposalId: string }): Case[] {
  const { pulje: p, staff, admin } = w;
  const youth = w.youth[0]!;
  const { roundId, proposalId } = ids;
  const long = 'x'.repeat(5000);
  return [
    ['setup.createOrganisation: nothing', () => p.setup.createOrganisation(undefined)],
    ['ballots.mine: no round', () => p.ballots.mine(youth, {})],
    ['ballots.inProgress: no round', () => p.ballots.inProgress(youth, { roundId: '' })],
    ['webChat.authorizeInvite: no group', () => p.webChat.authorizeInvite(staff, { personId: youth.personId })],
    [
      'webChat.authorizeInvite: actor not a person',
      () => p.webChat.authorizeInvite({ id: 'x' }, { personId: youth.personId, groupId: w.groupId }),
    ],
    [
      'setup.createOrganisation: empty name, unknown platform',
      () => p.setup.createOrganisation({ name: ' ', group: { name: 'G' }, admin: { displayName: 'A', platform: 'icq', externalId: 'a' } }),
    ],
    [
      'setup.createOrganisation: unknown locale',
      () =>
        p.setup.createOrganisation({
          name: 'O',
          group: { name: 'G', locale: 'sv' },
          admin: { displayName: 'A', platform: 'web', externalId: 'a' },
        }),
    ],
    ['setup.createGroup: id not text', () => p.setup.createGroup(admin, { organisationId: 5, name: 'G' })],
    ['setup.setLanguage: unknown language', () => p.setup.setLanguage(admin, { locale: 'fr' })],
    [
      'setup.addMember: unknown role',
      () => p.setup.addMember(admin, { groupId: w.groupId, role: 'boss', platform: 'web', externalId: 'b', displayName: 'B' }),
    ],
    [
      'setup.addMember: name too long',
      () => p.setup.addMember(admin, { groupId: w.groupId, role: 'youth', platform: 'web', externalId: 'b', displayName: long }),
    ],
    [
      'setup.bindConversation: unknown platform',
      () => p.setup.bindConversation(staff, { groupId: w.groupId, platform: 'irc', channelId: '#x' }),
    ],
    ['setup.resolveActor: no account', () => p.setup.resolveActor({ platform: 'web' })],
    ['setup.resolveGroup: nothing', () => p.setup.resolveGroup({})],
    ['setup.membership: no group', () => p.setup.membership(youth, {})],
    ['setup.groups: actor id not text', () => p.setup.groups({ personId: 7 })],
    ['actor missing', () => p.rounds.get(undefined, { roundId })],
    ['actor id not text', () => p.rounds.get({ personId: 7 }, { roundId })],
    [
      'rounds.create: negative amount',
      () => p.rounds.create(staff, { groupId: w.groupId, title: 'R', amount: -1, ballotType: 'approval', rule: 'greedy' }),
    ],
    [
      'rounds.create: amount in kroner with decimals',
      () => p.rounds.create(staff, { groupId: w.groupId, title: 'R', amount: 99.5, ballotType: 'approval', rule: 'greedy' }),
    ],
    [
      'rounds.create: unknown ballot type',
      () => p.rounds.create(staff, { groupId: w.groupId, title: 'R', amount: 100, ballotType: 'lottery', rule: 'greedy' }),
    ],
    [
      'rounds.create: rule does not fit',
      () => p.rounds.create(staff, { groupId: w.groupId, title: 'R', amount: 100, ballotType: 'yesno', rule: 'greedy' }),
    ],
    [
      'rounds.create: deadline not a date',
      () =>
        p.rounds.create(staff, {
          groupId: w.groupId,
          title: 'R',
          amount: 100,
          ballotType: 'approval',
          rule: 'greedy',
          votingDeadline: 'tomorrow',
        }),
    ],
    [
      'rounds.create: lowercase currency',
      () =>
        p.rounds.create(staff, { groupId: w.groupId, title: 'R', amount: 100, currency: 'dkk', ballotType: 'approval', rule: 'greedy' }),
    ],
    ['rounds.configure: amount as text', () => p.rounds.configure(staff, { roundId, amount: 'lots' })],
    ['rounds.list: nothing', () => p.rounds.list(staff, null)],
    ['rounds.voting: nothing', () => p.rounds.voting(staff, null)],
    ['rounds.get: id empty', () => p.rounds.get(staff, { roundId: '' })],
    ['rounds.openIdeas: no id', () => p.rounds.openIdeas(staff, {})],
    ['rounds.openVoting: no id', () => p.rounds.openVoting(staff, {})],
    ['rounds.close: id a number', () => p.rounds.close(staff, { roundId: 1 })],
    ['rounds.startImplementation: no id', () => p.rounds.startImplementation(staff, {})],
    ['rounds.finish: no id', () => p.rounds.finish(staff, [])],
    ['rounds.reopenVoting: deadline not a date', () => p.rounds.reopenVoting(staff, { roundId, reason: 'r', votingDeadline: 'next week' })],
    ['rounds.extendVoting: no deadline', () => p.rounds.extendVoting(staff, { roundId, reason: 'r' })],
    ['proposals.submit: empty title', () => p.proposals.submit(youth, { roundId, title: '', description: 'd', cost: 100 })],
    ['proposals.submit: description too long', () => p.proposals.submit(youth, { roundId, title: 't', description: long, cost: 100 })],
    ['proposals.edit: negative cost', () => p.proposals.edit(youth, { proposalId, cost: -5 })],
    ['proposals.withdraw: no id', () => p.proposals.withdraw(youth, {})],
    ['proposals.hide: reason a number', () => p.proposals.hide(staff, { proposalId, reason: 5 })],
    ['proposals.unhide: no id', () => p.proposals.unhide(staff, { reason: 'r' })],
    ['proposals.setEligibility: eligible as text', () => p.proposals.setEligibility(staff, { proposalId, eligible: 'no', note: 'n' })],
    ['proposals.list: no id', () => p.proposals.list(youth, {})],
    ['proposals.get: no id', () => p.proposals.get(youth, 'p1')],
    ['ballots.cast: no round', () => p.ballots.cast(youth, { choice: { type: 'approval', picks: [1] } })],
    ['ballots.cast: picks as text', () => p.ballots.cast(youth, { roundId, choice: { type: 'approval', picks: '1,2' } }), 'ballot_invalid'],
    ['ballots.cast: no choice', () => p.ballots.cast(youth, { roundId })],
    ['ballots.change: unknown type', () => p.ballots.change(youth, { roundId, choice: { type: 'borda', ranking: [1] } }), 'ballot_invalid'],
    ['ballots.confirm: no id', () => p.ballots.confirm(youth, {})],
    ['ballots.turnout: no id', () => p.ballots.turnout(youth, {})],
    ['results.get: unknown locale', () => p.results.get(youth, { roundId, locale: 'fr' })],
    ['results.exportPb: no id', () => p.results.exportPb(staff, {})],
    ['results.myBallot: no id', () => p.results.myBallot(youth, { locale: 'da' })],
    ['decisions.list: unknown locale', () => p.decisions.list(youth, { roundId, locale: 'sv' })],
    ['decisions.mark: no group', () => p.decisions.mark(staff, {})],
    ['decisions.since: negative seq', () => p.decisions.since(staff, { groupId: w.groupId, afterSeq: -1 })],
    ['decisions.react: disagree as text', () => p.decisions.react(youth, { decisionId: 'x', disagree: 'yes' })],
    ['decisions.setStaffShown: unknown mode', () => p.decisions.setStaffShown(staff, { groupId: w.groupId, staffShown: 'nobody' })],
    ['decisions.staffShown: group as number', () => p.decisions.staffShown(youth, { groupId: 7 })],
    [
      'rounds.extendVoting: days and a deadline',
      () => p.rounds.extendVoting(staff, { roundId, reason: 'r', votingDays: 2, votingDeadline: '2030-01-01T00:00:00Z' }),
    ],
    ['rounds.reopenVoting: days 0', () => p.rounds.reopenVoting(staff, { roundId, reason: 'r', votingDays: 0 })],
    ['implementation.record: unknown status', () => p.implementation.record(staff, { proposalId, status: 'finished', progress: 50 })],
    ['implementation.record: progress over 100', () => p.implementation.record(staff, { proposalId, status: 'done', progress: 150 })],
    [
      'implementation.record: negative spending',
      () => p.implementation.record(staff, { proposalId, status: 'done', progress: 100, spent: -1, note: 'n' }),
    ],
    ['implementation.progress: no id', () => p.implementation.progress(staff, {})],
    ['log.read: limit 0', () => p.log.read(staff, { groupId: w.groupId, limit: 0 })],
    ['log.verify: no id', () => p.log.verify(staff, {})],
    [
      'discussion.capture: text too long',
      () => p.discussion.capture(youth, { conversationId: 'c', sourceKey: 'k', text: 'x'.repeat(9000) }),
    ],
    [
      'discussion.capture: link not a URL',
      () => p.discussion.capture(youth, { conversationId: 'c', sourceKey: 'k', text: 'x', link: 'here' }),
    ],
    ['discussion.window: days out of range', () => p.discussion.window(staff, { groupId: w.groupId, days: 0 })],
    ['discussion.window: idea number not whole', () => p.discussion.window(staff, { groupId: w.groupId, proposalNumber: 1.5 })],
    [
      'discussion.threadOpened: unknown platform',
      () => p.discussion.threadOpened({ platform: 'irc', channelId: 'c', threadId: '1', name: '#1 x' }),
    ],
    ['discussion.threadOpened: no name', () => p.discussion.threadOpened({ platform: 'slack', channelId: 'c', threadId: '1', name: ' ' })],
    ['discussion.members: no group', () => p.discussion.members(staff, {})],
    ['discussion.saveSummary: unknown source', () => p.discussion.saveSummary(staff, { groupId: w.groupId, source: 'magic', payload: {} })],
    ['discussion.latestSummary: no group', () => p.discussion.latestSummary(staff, {})],
    ['discussion.talkShare: days not a number', () => p.discussion.talkShare(staff, { groupId: w.groupId, days: 'seven' })],
    // The Discord and Slack surfaces' kept public cards: what they pass is checked all the same.
    [
      'publicCards.keep: a web message',
      () =>
        p.publicCards.keep({
          ref: { platform: 'web', channelId: 'c', messageId: 'm' },
          workspace: '',
          message: { text: [], cards: [] },
        } as never),
    ],
    ['publicCards.kept: no scope', () => p.publicCards.kept({ platform: 'discord', workspace: '', scope: '' })],
    [
      'publicCards.retired: no message id',
      () => p.publicCards.retired({ platform: 'slack', channelId: 'C1', messageId: '' }, 'round:x:voting', null),
    ],
    ['staffSettings.get: no group', () => p.staffSettings.get(staff, {})],
    ['staffSettings.update: share out of range', () => p.staffSettings.update(staff, { groupId: w.groupId, nudgeSharePct: 120 })],
    ['staffSettings.update: nothing to change', () => p.staffSettings.update(staff, { groupId: w.groupId })],
    ['overrides.count: days negative', () => p.overrides.count(staff, { groupId: w.groupId, days: -1 })],
    ['reminders.optOut: no group', () => p.reminders.optOut(youth, {})],
    ['reminders.optIn: group not text', () => p.reminders.optIn(youth, { groupId: 3 })],
    ['reminders.optedOut: no group', () => p.reminders.optedOut(youth, {})],
    ['digests.follow: unknown frequency', () => p.digests.follow(staff, { groupId: w.groupId, frequency: 'hourly' })],
    ['digests.unfollow: no group', () => p.digests.unfollow(staff, {})],
    ['digests.mine: no group', () => p.digests.mine(staff, {})],
    ['safeguarding.settings: no group', () => p.safeguarding.settings(youth, {})],
    ['safeguarding.update: unknown recipients', () => p.safeguarding.update(admin, { groupId: w.groupId, alertTo: 'everyone' })],
    [
      'safeguarding.record: unknown level',
      () => p.safeguarding.record(youth, { groupId: w.groupId, source: 'message', level: 'mild', categories: ['suicide'], via: 'phrases' }),
    ],
    ['safeguarding.alerted: negative count', () => p.safeguarding.alerted('x', -1)],
    ['privacy.ageBand: actor not a person', () => p.privacy.ageBand({ id: 'x' })],
    ['privacy.setAgeBand: a birth year instead of a band', () => p.privacy.setAgeBand(youth, { ageBand: '2009' })],
    ['privacy.exportMine: actor not a person', () => p.privacy.exportMine(undefined)],
    ['privacy.exportLink: actor not a person', () => p.privacy.exportLink({ personId: '' })],
    ['privacy.erase: person not text', () => p.privacy.erase(admin, { personId: 42 })],
    ['privacy.exportLinkFor: no reason', () => p.privacy.exportLinkFor(admin, { personId: youth.personId })],
    ['privacy.revokeTokens: person not text', () => p.privacy.revokeTokens(admin, { personId: [] })],
    ['audit.list: limit out of range', () => p.audit.list(admin, { groupId: w.groupId, limit: 0 })],
    ['dashboardAccess.issueLink: person not text', () => p.dashboardAccess.issueLink(staff, { personId: 42 })],
    ['dashboardAccess.revokeAll: person not text', () => p.dashboardAccess.revokeAll(staff, { personId: [] })],
    [
      'dashboardAccess.addProgrammeStaff: no name',
      () => p.dashboardAccess.addProgrammeStaff(admin, { groupId: w.groupId, displayName: ' ' }),
    ],
    ['dashboardAccess.grantProgramme: no organisation', () => p.dashboardAccess.grantProgramme(admin, { personId: youth.personId })],
    [
      'outcomes.read: a period that is not a day',
      async () => p.outcomes.read(await p.outcomes.viewerOf(staff.personId), { from: 'i går' }, 'da', false),
    ],
    ['voice.shouldAsk: no round', () => p.voice.shouldAsk(youth, {})],
    ['voice.answerSay: a score above 5', () => p.voice.answerSay(youth, { roundId, score: 6 })],
    ['voice.assessLundy: a score of 0', () => p.voice.assessLundy(staff, { roundId, space: 0, voice: 3, audience: 3, influence: 3 })],
    ['voice.myLundy: no round', () => p.voice.myLundy(staff, {})],
  ];
}

const PLUMBING = new Set([
  ...['person', 'conversation', 'staffRoleOf', 'role', 'accountOf', 'enrol', 'flushSeen'].map((n) => `directory.${n}`),
  ...['publish', 'subscribe', 'close'].map((n) => `live.${n}`),
  ...['claim', 'within', 'complete', 'release', 'handled', 'abandonClaims', 'prune'].map((n) => `events.${n}`),
  ...['get', 'put', 'remove', 'removeRound'].map((n) => `drafts.${n}`),
  ...[
    'person',
    'demoPeople',
    'rooms',
    'isMember',
    'personInRoom',
    'messages',
    'stored',
    'message',
    'addMember',
    'addPulje',
    'addCommandAndAnswer',
    'replacePulje',
  ].map((n) => `webChat.${n}`),
  'setup.isEmpty',
  // Pulje itself, from its scheduled jobs: no person and no outside input.
  'discussion.purge',
  ...['due', 'claim', 'record'].map((n) => `reminders.${n}`),
  ...['invitesDue', 'claimInvite', 'recordInvite'].map((n) => `voice.${n}`),
  ...['subscribers', 'claimSlot'].map((n) => `digests.${n}`),
  'deadlines.closeDue',
  ...['claim', 'finish', 'exists', 'newestSlot', 'runs', 'prune'].map((n) => `jobRuns.${n}`),
  ...['conversationsOf', 'accountOf'].map((n) => `notices.${n}`),
  'setup.signingKey',
  // The Slack adapter's InstallationStore: values from Slack's oauth.v2.access answer, checked there.
  ...['save', 'find', 'list', 'remove'].map((n) => `slackInstallations.${n}`),
  // The router's drafts of refused forms: a person it resolved, a form event that passed the inbound schema.
  ...['keep', 'get', 'find', 'drop'].map((n) => `formDrafts.${n}`),
  'health.database',
  // The web adapter's one-time link (its path already validated): an unknown token is "no such link", not an error.
  'privacy.redeemExportLink',
  // The dashboard's cookie and link tokens: anything unknown is "not signed in" (null), not an error; the
  // viewer for a person id is for tests and the bench.
  ...['redeem', 'viewer', 'signOut'].map((n) => `dashboardAccess.${n}`),
  'outcomes.viewerOf',
  // The router's note that someone used Pulje, and the retention job (Pulje itself, no input).
  'directory.seen',
  'retention.run',
  'outcomes.keepFigures',
  'retention.policy',
]);

describeEachEngine('bad input', (db) => {
  it('is refused by every use case with a localized error, and changes nothing', async () => {
    const w = await world(db(), 2);
    const { round, proposals } = await votingRound(w, [100_000, 200_000]);
    await w.pulje.ballots.cast(w.youth[0]!, { roundId: round.id, choice: { type: 'approval', picks: [1] } });
    const cases = badRequests(w, { roundId: round.id, proposalId: proposals[0]!.id });

    // Every use case has at least one bad request here, except the adapters' plumbing below, which takes typed
    // values the adapters already validated (platform events, the web chat's parsed bodies) and no person's input.
    const covered = new Set(cases.map(([name]) => name.split(':')[0]));
    const all = Object.entries(w.pulje).flatMap(([area, useCases]) => Object.keys(useCases).map((name) => `${area}.${name}`));
    expect(all.filter((name) => !covered.has(name) && !PLUMBING.has(name))).toEqual([]);

    for (const [name, run, code = 'invalid_input'] of cases) {
      const error = await expectRefusedUnchanged(db().prisma, run, code).catch((e: unknown) => {
        throw new Error(`${name}: ${String(e)}`);
      });
      expect(error.details.length, name).toBeGreaterThan(0);
      expect(error.localize('da'), name).not.toBe(error.localize('en'));
    }
  });
});
