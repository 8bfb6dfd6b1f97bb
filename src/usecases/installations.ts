import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import type { Ctx } from './context.ts';

const id = z.string().trim().min(1).max(64);
const installationInput = z.object({
  teamId: id,
  enterprise: id.nullable().default(null),
  appId: id.nullable().default(null),
  /** As the adapter keeps it (sealed, see adapters/slack/sealed.ts). */
  botToken: z.string().min(1).max(1000),
  botId: id.nullable().default(null),
  botUserId: id,
  scopes: z.array(z.string().min(1).max(100)).max(100).default([]),
  installedBy: id.nullable().default(null),
  /** The rest of what Slack sent (no tokens), as JSON. */
  rest: z.record(z.string(), z.unknown()).default({}),
});
const teamInput = z.object({ teamId: id });

export interface SlackInstallationView {
  teamId: string;
  enterprise: string | null;
  appId: string | null;
  botToken: string;
  botId: string | null;
  botUserId: string;
  scopes: string[];
  installedBy: string | null;
  installedAt: string;
  rest: Record<string, unknown>;
}

/**
 * Slack workspaces that installed Pulje (OAuth, issue 11): the adapter's InstallationStore keeps them here, so
 * every Pulje instance on the database serves every workspace. Plumbing for the adapter: Slack vouches for the
 * installing person, and the values come validated from Slack's own answer.
 */
export function slackInstallationsUseCases(ctx: Ctx) {
  const view = (r: {
    teamId: string;
    enterprise: string | null;
    appId: string | null;
    botToken: string;
    botId: string | null;
    botUserId: string;
    scopes: string;
    installedBy: string | null;
    installedAt: Date;
    rest: string;
  }): SlackInstallationView => ({
    ...r,
    scopes: r.scopes ? r.scopes.split(',') : [],
    installedAt: r.installedAt.toISOString(),
    rest: JSON.parse(r.rest) as Record<string, unknown>,
  });
  return {
    /** Saves a workspace's installation; a reinstall replaces the one before (new token, new scopes). */
    async save(input: unknown): Promise<SlackInstallationView> {
      const data = parseInput(installationInput, input);
      const row = { ...data, scopes: data.scopes.join(','), rest: JSON.stringify(data.rest) };
      return view(
        await ctx.prisma.slackInstallation.upsert({
          where: { teamId: data.teamId },
          create: row,
          update: { ...row, installedAt: ctx.now() },
        }),
      );
    },
    async find(input: unknown): Promise<SlackInstallationView | null> {
      const { teamId } = parseInput(teamInput, input);
      const row = await ctx.prisma.slackInstallation.findUnique({ where: { teamId } });
      return row ? view(row) : null;
    },
    /** Every installed workspace (Pulje's own notices try each one's token). */
    async list(): Promise<SlackInstallationView[]> {
      return (await ctx.prisma.slackInstallation.findMany({ orderBy: { installedAt: 'asc' } })).map(view);
    },
    /** Forgets a workspace's tokens (uninstalled, tokens revoked); how many there were. */
    async remove(input: unknown): Promise<number> {
      const { teamId } = parseInput(teamInput, input);
      return (await ctx.prisma.slackInstallation.deleteMany({ where: { teamId } })).count;
    },
  };
}
