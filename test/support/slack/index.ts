export { describeIssues, LIMITS, type BlockKitIssue, validateMessageBlocks, validateView } from './block-kit.ts';
export { type Clock, ManualClock, systemClock } from './clock.ts';
export type { RecordedCall, ResponseUrlRecord, Violation } from './core.ts';
export type { AckOutcome } from './interactions.ts';
export { DEFAULT_BOT_SCOPES, type StoredMessage, type StoredView, type WorkspaceInit } from './model.ts';
export { METHOD_TIERS, type RateLimitOptions, TIER_PER_MINUTE } from './rate-limits.ts';
export { type SignatureMode, slackSignature } from './signing.ts';
export {
  type CommandDelivery,
  type Delivery,
  type EventDelivery,
  type InteractionDelivery,
  type SelectedValue,
  type SlackStandIn,
  type SlackStandInOptions,
  standardWorkspace,
  startSlackStandIn,
} from './stand-in.ts';
export type { AckResult, Transport } from './transport.ts';
