import { z } from 'zod';
import { localeSchema } from '../i18n/locale.ts';
import { ACTION_ID_MAX } from './action-id.ts';

export const PLATFORMS = ['web', 'discord', 'slack'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** What the platform itself says about a person; the directory decides what it means in Pulje. */
export const PLATFORM_ROLES = ['server_admin', 'staff'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

const id = z.string().min(1).max(200);

export const platformIdentitySchema = z.object({
  platform: z.enum(PLATFORMS),
  externalId: id,
  displayName: z.string().max(200).default(''),
  roles: z.array(z.enum(PLATFORM_ROLES)).max(PLATFORM_ROLES.length).default([]),
  /** The platform's role ids the person holds where they acted (Discord), matched against a binding's staff role. */
  roleIds: z.array(id).max(250).default([]),
});
export type PlatformIdentity = z.output<typeof platformIdentitySchema>;

export const conversationRefSchema = z.object({ platform: z.enum(PLATFORMS), channelId: id });
export type ConversationRef = z.output<typeof conversationRefSchema>;

/** Where a reply was delivered; flows keep it to edit that message later. Opaque to flows. */
export const replyRefSchema = z.object({ platform: z.enum(PLATFORMS), channelId: id, messageId: id });
export type ReplyRef = z.output<typeof replyRefSchema>;

const base = {
  /** Platforms redeliver: an event with a key already handled is never acted on twice. */
  idempotencyKey: z.string().min(1).max(200),
  actor: platformIdentitySchema,
  conversation: conversationRefSchema,
  /** The platform's idea of the person's language (Discord locale, browser language), used if Pulje has none. */
  localeHint: localeSchema.optional(),
};

const argValue = z.string().max(4000);

export const commandEventSchema = z.object({
  ...base,
  kind: z.literal('command'),
  name: z.string().regex(/^[\p{Ll}\p{N}_-]{1,32}$/u),
  /** Named arguments (Discord options) … */
  args: z.record(z.string().max(32), argValue).default({}),
  /** … or the raw text after the command (Slack, web composer), split by the command's argument list. */
  text: argValue.optional(),
});

export const actionEventSchema = z.object({
  ...base,
  kind: z.literal('action'),
  /** The encoded id of the button or select; decoded and validated by the router. */
  actionId: z.string().max(ACTION_ID_MAX * 2),
  values: z.array(z.string().max(200)).max(100).default([]),
  /** The message the control sits on, so a flow can update it. */
  source: replyRefSchema.optional(),
});

export const formEventSchema = z.object({
  ...base,
  kind: z.literal('form'),
  formId: z.string().max(ACTION_ID_MAX * 2),
  fields: z.record(z.string().max(64), z.string().max(4000)).default({}),
  source: replyRefSchema.optional(),
});

export const messageEventSchema = z.object({
  ...base,
  kind: z.literal('message'),
  text: z.string().max(8000),
  /** The platform's id of the message, where it has one (so a message is recorded once, whatever the delivery). */
  messageId: id.optional(),
  /** A link that opens the message (Discord's jump link, Slack's permalink); summaries cite it. */
  link: z.url().max(500).optional(),
  /** The thread it was written in, if any: a proposal's discussion thread is named "#3 …". */
  thread: z.object({ id, name: z.string().max(200).default('') }).optional(),
});

export const inboundEventSchema = z.discriminatedUnion('kind', [
  commandEventSchema,
  actionEventSchema,
  formEventSchema,
  messageEventSchema,
]);

export type CommandEvent = z.output<typeof commandEventSchema>;
export type ActionEvent = z.output<typeof actionEventSchema>;
export type FormEvent = z.output<typeof formEventSchema>;
export type MessageEvent = z.output<typeof messageEventSchema>;
export type InboundEvent = z.output<typeof inboundEventSchema>;
/** What adapters build; defaults are filled in by the router's validation. */
export type InboundEventInput = z.input<typeof inboundEventSchema>;

/** An argument being typed (Discord autocomplete): answered with suggestions, never acted on or claimed. */
export const completionRequestSchema = z.object({
  actor: platformIdentitySchema,
  conversation: conversationRefSchema,
  localeHint: localeSchema.optional(),
  command: z.string().regex(/^[\p{Ll}\p{N}_-]{1,32}$/u),
  arg: z.string().max(32),
  /** What has been typed so far. */
  partial: argValue,
  /** The other arguments given so far. */
  args: z.record(z.string().max(32), argValue).default({}),
});
export type CompletionRequest = z.output<typeof completionRequestSchema>;
export type CompletionRequestInput = z.input<typeof completionRequestSchema>;
