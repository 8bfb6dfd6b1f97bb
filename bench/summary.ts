/**
 * /summary latency, in one process on SQLite: the whole use (read the window, redact, fence, summarise, guard),
 * offline and with the model adapter on the real openai SDK against the loopback OpenAI stand-in (which answers at
 * once, so the figure is Pulje's own cost plus one HTTP round trip, not a model's thinking time).
 *
 *   npx tsx bench/summary.ts        prints JSON
 *   import { benchSummary } from './summary.ts';
 *
 * Messages are built deterministically from the privacy corpus and everyday chat. Each size gets two untimed
 * warm-up runs, then RUNS timed ones: p50 and p95 in milliseconds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openAIModel } from '../adapters/model/openai.ts';
import { openDatabase } from '../src/db/database.ts';
import { loadPrompts } from '../src/staff/prompts.ts';
import { summarize } from '../src/staff/summary.ts';
import { createPulje } from '../src/usecases/index.ts';
import { startOpenAIStandIn } from '../test/support/openai/index.ts';

const RUNS = Number(process.env.RUNS ?? 20);
const SIZES = [50, 200, 400];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};

function messages(n: number): string[] {
  const corpus = (
    JSON.parse(readFileSync(new URL('../test/fixtures/privacy/corpus.json', import.meta.url), 'utf8')) as {
      cases: Array<{ text: string }>;
    }
  ).cases.map((c) => c.text);
  const chat = [
    'Vi skal have nye bænke ved skaterbanen',
    'Enig, bænke er en god idé',
    'Et fodboldmål er vigtigere',
    'Hvem skal vedligeholde det bagefter?',
    'Det er for dyrt, det koster over 8000 kr',
    'Måske kan vi få en sponsor?',
  ];
  return Array.from({ length: n }, (_, i) => (i % 3 === 0 ? corpus[i % corpus.length]! : chat[i % chat.length]!));
}

export async function benchSummary() {
  const dir = mkdtempSync(path.join(tmpdir(), 'pulje-bench-summary-'));
  const db = await openDatabase(`file:${path.join(dir, 'pulje.db')}`, { migrate: true });
  const model = await startOpenAIStandIn({
    script: (req) => {
      const ids = [...req.text.matchAll(/⟦MSG id="(m\d+)"/g)].map((m) => m[1]!);
      return {
        reply: 'json',
        value: {
          themes: [{ title: 'Bænke', cites: ids.slice(0, 3) }],
          agreements: [{ text: 'Bænke', cites: ids.slice(1, 2) }],
          disagreements: [],
          openQuestions: [{ text: 'Hvem vedligeholder?', cites: ids.slice(3, 4) }],
        },
      };
    },
  });
  try {
    const pulje = createPulje({ db });
    const prompts = loadPrompts();
    const client = openAIModel({ baseURL: model.baseURL, apiKey: model.apiKey, model: 'gpt-4o-mini', timeoutMs: 10_000, maxRetries: 0 });
    const out: Array<Record<string, unknown>> = [];
    for (const size of SIZES) {
      await db.prisma.discussionMessage.deleteMany();
      const boot = await pulje.setup.createOrganisation({
        name: `Bench ${size}`,
        group: { name: 'Klubben', locale: 'da' },
        admin: { displayName: 'Admin', platform: 'web', externalId: `admin-${size}` },
      });
      const members = [];
      for (let i = 0; i < 30; i++)
        members.push(
          await pulje.setup.addMember(
            { personId: boot.admin.id },
            { groupId: boot.group.id, role: 'youth', platform: 'web', externalId: `u${size}-${i}`, displayName: `Ung ${i} Hansen` },
          ),
        );
      const room = await pulje.setup.bindConversation(
        { personId: boot.admin.id },
        { groupId: boot.group.id, platform: 'web', channelId: boot.group.id },
      );
      for (const [i, text] of messages(size).entries())
        await pulje.discussion.capture(
          { personId: members[i % 30]!.person.id },
          { conversationId: room.id, sourceKey: `b${size}:${i}`, text },
        );
      const actor = { personId: boot.admin.id };
      const time = async (withModel: boolean) => {
        const runs: number[] = [];
        for (let i = 0; i < RUNS + 2; i++) {
          const t = performance.now();
          const o = await summarize({ pulje, prompts, ...(withModel ? { model: client } : {}) }, actor, {
            groupId: boot.group.id,
            locale: 'da',
          });
          if (!o || o.source !== (withModel ? 'model' : 'offline')) throw new Error('bench: unexpected summary source');
          if (i >= 2) runs.push(performance.now() - t);
        }
        return { p50Ms: pct(runs, 50), p95Ms: pct(runs, 95) };
      };
      out.push({ messages: size, offline: await time(false), standInModel: await time(true) });
    }
    const sentChars = Math.round(model.chatRequests.reduce((n, r) => n + r.raw.length, 0) / model.chatRequests.length);
    return { runs: RUNS, sizes: out, averageRequestBytes: sentChars, node: process.version };
  } finally {
    await model.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await benchSummary(), null, 2)}\n`);
}
