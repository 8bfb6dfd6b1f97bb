import { expect, it } from 'vitest';
import { Router, registerHelp, type IdempotencyStore } from '../../src/conversation/index.ts';
import { createPulje } from '../../src/usecases/index.ts';
import { t } from '../../src/i18n/index.ts';
import { describeEachEngine } from '../support/databases.ts';
import { ManualClock } from '../support/discord/index.ts';
import { testFlows } from './flows.ts';
import { discordWorld, unescapeDiscord } from './harness.ts';

describeEachEngine('Discord adapter: duplicates, disconnects and rate limits', (db) => {
  it('a second delivery of an interaction is answered once and acted on once', async () => {
    const calls: string[] = [];
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { calls }) });
    const rec = w.discord.sendSlashCommand({ name: 'whoami', user: w.youth[0] });
    w.discord.redeliver(rec.id);
    await w.settled(rec.id);
    // The gateway delivers in order: once a later interaction is done, the redelivery has been seen too.
    const later = w.discord.sendSlashCommand({ name: 'help', user: w.youth[1] });
    await w.settled(later.id);
    expect(w.discord.interaction(rec.id).deliveries).toHaveLength(2);
    expect(w.discord.interaction(rec.id).attempts.map((a) => a.status)).toEqual([204]);
    expect(calls).toEqual(['whoami']);
    expect(w.reports.filter((r) => r.interactionId === rec.id)).toHaveLength(1);
  });

  it('two processes that both receive an interaction: the database lets exactly one act and answer', async () => {
    const calls: string[] = [];
    const w = await discordWorld(db(), { register: (r) => testFlows(r, { calls }) });
    await w.startAnother();
    for (const name of ['whoami', 'echo', 'whoami']) {
      const rec = w.discord.sendSlashCommand({ name, user: w.youth[0], ...(name === 'echo' ? { options: { text: 'hej' } } : {}) });
      const reports = await w.settledBy(rec.id, 2);
      // The other one finds it handled already (a duplicate) or still being handled there (busy), by timing.
      expect(reports.filter((r) => !r.duplicate && !r.busy)).toHaveLength(1);
      expect(reports.filter((r) => r.duplicate || r.busy)).toHaveLength(1);
      expect(w.discord.interaction(rec.id).attempts.map((a) => a.status)).toEqual([204]);
    }
    expect(calls).toEqual(['whoami', 'echo', 'whoami']);
    expect(w.discord.messages(w.bound.id).filter((m) => !m.ephemeral)).toHaveLength(1);
  });

  it('an interaction sent while the gateway was down arrives after RESUME and is answered', async () => {
    // discord.js waits 500 ms before reconnecting; the stand-in's manual clock keeps that out of the 3 s.
    const w = await discordWorld(db(), { register: (r) => testFlows(r), standIn: { clock: new ManualClock() } });
    expect(w.discord.disconnect(4000)).toBe(1);
    const rec = w.discord.sendSlashCommand({ name: 'whoami', user: w.youth[0] });
    const r = await w.discord.waitForResponse(rec.id);
    expect(r.response.type).toBe(4);
    expect(unescapeDiscord(r.original!.content)).toBe('Aya|youth|-|Ungerådet');
    expect(w.discord.stats).toMatchObject({ identifies: 1, resumes: 1, replayed: 1 });
    expect(w.log.entries.map((e) => e.msg)).toEqual([
      'discord: connected',
      'discord: gateway connection lost, reconnecting',
      'discord: gateway connection resumed',
    ]);
  });

  it('a 429 on the answer or on a follow-up is waited out and retried; nothing is lost or doubled', async () => {
    const w = await discordWorld(db(), { register: (r) => testFlows(r) });
    w.discord.rateLimitNext('POST /interactions/{interaction_id}/{interaction_token}/callback', { retryAfter: 0.05 });
    w.discord.rateLimitNext('POST /webhooks/{webhook_id}/{webhook_token}', { retryAfter: 0.05, times: 2 });
    const rec = w.discord.sendSlashCommand({ name: 'twice', user: w.youth[0] });
    await w.settled(rec.id);
    const statuses = (template: string) => w.discord.requests.filter((q) => q.template === template).map((q) => q.status);
    // The answer asks for the created message back (to open threads on public ones): 200 with a body.
    expect(statuses('/interactions/{interaction_id}/{interaction_token}/callback')).toEqual([429, 200]);
    expect(statuses('/webhooks/{webhook_id}/{webhook_token}')).toEqual([429, 429, 200, 200]);
    const i = w.discord.interaction(rec.id);
    expect([i.original!, ...i.followups].map((m) => m.content)).toEqual(['Først privat', 'Så offentligt', 'Og privat igen']);
  });

  it('when the database cannot even claim the event, the person still gets a private apology in time', async () => {
    const broken: IdempotencyStore = {
      claim: async () => {
        throw new Error('database gone');
      },
      within: (_key, run) => run(),
      complete: async () => true,
      release: async () => {},
    };
    const router = new Router({ directory: createPulje({ db: db() }).directory, idempotency: broken, defaultLocale: 'da' });
    registerHelp(router);
    const w = await discordWorld(db(), { router });
    const rec = w.discord.sendSlashCommand({ name: 'help', user: w.youth[0] });
    const r = await w.discord.waitForResponse(rec.id);
    expect(r.original?.ephemeral).toBe(true);
    expect(unescapeDiscord(r.original!.content)).toBe(t('da', 'error.internal'));
    expect(w.log.entries.filter((e) => e.level === 'error').map((e) => e.msg)).toEqual(['conversation: could not handle an event']);
  });
});
