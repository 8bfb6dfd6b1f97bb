/**
 * Privacy and safeguarding detectors on many chat messages: how long each takes per message, in one process.
 *
 *   npx tsx bench/privacy.ts              prints JSON
 *   MESSAGES=50000 npx tsx bench/privacy.ts
 *   import { benchPrivacy } from './privacy.ts'; benchPrivacy();
 *
 * The messages are built deterministically (a seeded generator) from the two corpora in test/fixtures plus
 * generated everyday chat, so about one in five holds personal data and a few hold crisis signals. Each detector
 * gets one untimed warm-up pass, then a timed pass over all messages: `totalMs`, `perSecond`, and per-message
 * `p50Us`, `p99Us`, `maxUs` (microseconds). The finder and redactor are built once with 30 member names, as the
 * summary feature would for one group.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createPersonalDataFinder, createRedactor, fenceUserText, personalDataWarning } from '../src/privacy/index.ts';
import { detectCrisis } from '../src/safeguarding/index.ts';

interface Figures {
  totalMs: number;
  perSecond: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export interface PrivacyBench {
  messages: number;
  averageLength: number;
  findPersonalData: Figures & { spansFound: number };
  redact: Figures;
  personalDataWarning: Figures & { warned: number };
  detectCrisis: Figures & { flagged: number };
  fenceUserText: { messages: number; totalMs: number };
  node: string;
}

function corpusTexts(file: string): string[] {
  const raw = JSON.parse(readFileSync(new URL(`../test/fixtures/${file}`, import.meta.url), 'utf8')) as { cases: Array<{ text: string }> };
  return raw.cases.map((c) => c.text);
}

/** Mulberry32: a small seeded generator, so every run measures the same messages. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVERYDAY = [
  'Jeg synes vi skal bruge pengene på en ny scene i klubben, den gamle er helt smadret',
  'Kan vi ikke stemme om det på torsdag? Jeg har fodbold om onsdagen',
  'idé 4 koster 12.500 kr. og det er vist for meget hvis vi også skal have lys',
  'hvem tager sig af at ringe til kommunen om tilladelsen?',
  'lol ja det var sjovt sidst 😂 lad os gøre det igen',
  'We could split it: 40% for the skatepark and the rest for the music room',
  'Husk mødet kl. 16.30 i morgen, vi skal også snakke om budgettet for 2027',
  'Jeg er enig med dig, men hvad med dem der ikke kan komme om aftenen?',
];

export function benchPrivacy(count = Number(process.env.MESSAGES ?? 10_000)): PrivacyBench {
  const pool = [...corpusTexts('privacy/corpus.json'), ...corpusTexts('safeguarding/corpus.json'), ...EVERYDAY, ...EVERYDAY, ...EVERYDAY];
  const random = seeded(20261201);
  const messages = Array.from({ length: count }, () => {
    const a = pool[Math.floor(random() * pool.length)]!;
    // Half the messages are two pieces joined, for chat-length variety.
    return random() < 0.5 ? a : `${a} ${pool[Math.floor(random() * pool.length)]!}`;
  });
  const knownNames = Array.from({ length: 30 }, (_, i) => ({
    id: `m${i}`,
    name: `${['Sofie', 'Mads', 'Ida', 'Noah', 'Emma', 'Oscar'][i % 6]} ${['Jensen', 'Holm', 'Berg', 'Ali', 'Kaya'][i % 5]}${i}`,
  }));
  const finder = createPersonalDataFinder({ knownNames });
  const redactor = createRedactor({ knownNames, pseudonymKey: 'bench' });

  const time = <T>(fn: (m: string) => T): { figures: Figures; results: T[] } => {
    for (const m of messages) fn(m); // warm-up
    const each: number[] = [];
    const results: T[] = [];
    const started = performance.now();
    for (const m of messages) {
      const t0 = performance.now();
      results.push(fn(m));
      each.push(performance.now() - t0);
    }
    const totalMs = performance.now() - started;
    each.sort((x, y) => x - y);
    const us = (ms: number) => Math.round(ms * 1000 * 10) / 10;
    return {
      figures: {
        totalMs: Math.round(totalMs * 10) / 10,
        perSecond: Math.round(messages.length / (totalMs / 1000)),
        p50Us: us(each[Math.floor(each.length * 0.5)]!),
        p99Us: us(each[Math.floor(each.length * 0.99)]!),
        maxUs: us(each[each.length - 1]!),
      },
      results,
    };
  };

  const find = time((m) => finder.find(m));
  const red = time((m) => redactor.redact(m));
  const warn = time((m) => personalDataWarning(m));
  const crisis = time((m) => detectCrisis(m));
  const fenceStart = performance.now();
  fenceUserText(messages.map((text, i) => ({ id: `m${i}`, text })));
  const fenceMs = performance.now() - fenceStart;

  return {
    messages: messages.length,
    averageLength: Math.round(messages.reduce((n, m) => n + m.length, 0) / messages.length),
    findPersonalData: { ...find.figures, spansFound: find.results.reduce((n, r) => n + r.length, 0) },
    redact: red.figures,
    personalDataWarning: { ...warn.figures, warned: warn.results.filter((r) => r !== null).length },
    detectCrisis: { ...crisis.figures, flagged: crisis.results.filter((r) => r.level !== 'none').length },
    fenceUserText: { messages: messages.length, totalMs: Math.round(fenceMs * 10) / 10 },
    node: process.version,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(benchPrivacy(), null, 2)}\n`);
}
