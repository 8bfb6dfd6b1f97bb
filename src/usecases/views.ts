import type { Round, Proposal } from '../generated/sqlite/client.ts';
import type { BallotRules } from '../domain/round-config.ts';
import { settingsFromRow } from '../domain/round-config.ts';
import type { Phase } from '../domain/phases.ts';
import { phaseOf, type MemberOf } from './context.ts';
import type { Role } from '../domain/roles.ts';
import type { Locale } from '../i18n/index.ts';

/**
 * What use cases return: plain, JSON-serialisable objects (times as ISO 8601 text). They never carry another
 * person's ballot, platform identities, or fields a reader may not see.
 */
export type IsoTime = string;
const iso = (d: Date | null): IsoTime | null => (d ? d.toISOString() : null);

export interface OrganisationView {
  id: string;
  name: string;
}

export interface GroupView {
  id: string;
  organisationId: string;
  name: string;
  locale: Locale;
}

export interface PersonView {
  id: string;
  organisationId: string;
  displayName: string;
  /** Preferred language; null follows the group's. */
  locale: Locale | null;
}

export interface MembershipView {
  groupId: string;
  personId: string;
  role: Role;
}

export interface ConversationView {
  id: string;
  groupId: string;
  platform: string;
  channelId: string;
  /** The platform role whose holders join as staff here, if the binder chose one. */
  staffRoleId: string | null;
}

/** The ballot rules as a round shows them: the yes/no threshold as one fraction instead of three fields. */
type RoundViewRules = Omit<BallotRules, 'thresholdNum' | 'thresholdDen' | 'thresholdStrict'>;

export interface RoundView extends RoundViewRules {
  id: string;
  groupId: string;
  title: string;
  /** Minor units (øre). */
  amount: number;
  currency: string;
  phase: Phase;
  threshold: { num: number; den: number; strict: boolean } | null;
  ideasDeadline: IsoTime | null;
  votingDeadline: IsoTime | null;
  /** When voting first opened: from then on amount, ballot type, limits and rule cannot change. */
  lockedAt: IsoTime | null;
  createdAt: IsoTime;
}

export function roundView(r: Round): RoundView {
  const s = settingsFromRow(r);
  return {
    id: r.id,
    groupId: r.groupId,
    title: r.title,
    amount: r.amount,
    currency: r.currency,
    phase: phaseOf(r),
    ballotType: s.ballotType,
    rule: s.rule,
    completion: s.completion,
    minPicks: s.minPicks,
    maxPicks: s.maxPicks,
    points: s.points,
    minSupport: s.minSupport,
    quorum: s.quorum,
    threshold:
      s.thresholdNum !== null && s.thresholdDen !== null ? { num: s.thresholdNum, den: s.thresholdDen, strict: s.thresholdStrict } : null,
    ideasDeadline: iso(r.ideasDeadline),
    votingDeadline: iso(r.votingDeadline),
    lockedAt: iso(r.lockedAt),
    createdAt: r.createdAt.toISOString(),
  };
}

export type ProposalStatus = 'submitted' | 'withdrawn' | 'hidden' | 'ineligible';

export interface ProposalView {
  id: string;
  roundId: string;
  /** Shown to people as #number. */
  number: number;
  title: string;
  description: string;
  /** Minor units. */
  cost: number;
  category: string | null;
  status: ProposalStatus;
  /**
   * The feasibility note of an ineligible proposal (everyone sees why), or the moderation reason of a hidden one
   * (only staff and the author see hidden proposals at all).
   */
  statusNote: string | null;
  /** Whether the reader wrote it (they may edit or withdraw it until voting opens). */
  mine: boolean;
  /** Staff only: who wrote it. Young people see ideas, not whose they are. */
  author?: { personId: string; displayName: string };
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export function proposalView(p: Proposal & { author?: { displayName: string } }, reader: MemberOf): ProposalView {
  const staff = reader.role === 'staff' || reader.role === 'admin';
  const mine = p.authorId === reader.personId;
  return {
    id: p.id,
    roundId: p.roundId,
    number: p.number,
    title: p.title,
    description: p.description,
    cost: p.cost,
    category: p.category,
    status: p.status as ProposalStatus,
    statusNote: p.status === 'ineligible' || staff || mine ? p.statusNote : null,
    mine,
    ...(staff && p.author ? { author: { personId: p.authorId, displayName: p.author.displayName } } : {}),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** Whether a reader may see a proposal at all: hidden and withdrawn ones only show to staff and their author. */
export function canSeeProposal(p: { status: string; authorId: string }, reader: MemberOf): boolean {
  if (reader.role === 'staff' || reader.role === 'admin' || p.authorId === reader.personId) return true;
  return p.status === 'submitted' || p.status === 'ineligible';
}

export { iso };
