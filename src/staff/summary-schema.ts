import { z } from 'zod';

/**
 * The shape of a summary, from the model and from the offline summary alike. Written for OpenAI's strict
 * structured outputs (every field required, no string lengths): limits are applied after validation instead.
 */
const point = z.object({ text: z.string(), cites: z.array(z.string()) });
export const summarySchema = z.object({
  themes: z.array(z.object({ title: z.string(), cites: z.array(z.string()) })),
  agreements: z.array(point),
  disagreements: z.array(point),
  openQuestions: z.array(point),
});
export type SummaryContent = z.output<typeof summarySchema>;

export const SECTIONS = ['agreements', 'disagreements', 'openQuestions'] as const;
export type Section = (typeof SECTIONS)[number];

/** At most this many points per section and characters per point are shown, whatever the model sends. */
export const MAX_POINTS = 6;
export const MAX_POINT_CHARS = 300;

export interface GuardReport {
  /** Points left out because none of their citations named a message that was sent. */
  droppedPoints: number;
  /** Citations of ids that were never sent (invented), removed from points that kept others. */
  invalidCitations: number;
}

/**
 * The citation guard (as Polis and Talk to the City use it): a point stands only on messages that were sent.
 * Cited ids not among `sent` are removed; a point left with none is dropped. Points are capped in number and
 * length, and blank ones go.
 */
export function guardCitations(content: SummaryContent, sent: ReadonlySet<string>): { content: SummaryContent; report: GuardReport } {
  const report: GuardReport = { droppedPoints: 0, invalidCitations: 0 };
  const keep = (cites: readonly string[]) => {
    const valid = [...new Set(cites.filter((c) => sent.has(c)))];
    report.invalidCitations += cites.filter((c) => !sent.has(c)).length;
    return valid;
  };
  const clip = (s: string) => {
    const flat = s.replace(/\s+/g, ' ').trim();
    return flat.length > MAX_POINT_CHARS ? `${flat.slice(0, MAX_POINT_CHARS - 1)}…` : flat;
  };
  const points = <P extends { cites: string[] }>(
    list: readonly P[],
    text: (p: P) => string,
    rebuild: (p: P, t: string, c: string[]) => P,
  ) =>
    list.flatMap((p) => {
      const cites = keep(p.cites);
      const t = clip(text(p));
      if (!cites.length || !t) {
        report.droppedPoints++;
        return [];
      }
      return [rebuild(p, t, cites)];
    });
  const cap = <P>(list: P[]) => {
    if (list.length > MAX_POINTS) report.droppedPoints += list.length - MAX_POINTS;
    return list.slice(0, MAX_POINTS);
  };
  const content2: SummaryContent = {
    themes: cap(
      points(
        content.themes,
        (p) => p.title,
        (_p, title, cites) => ({ title, cites }),
      ),
    ),
    agreements: cap(
      points(
        content.agreements,
        (p) => p.text,
        (_p, text, cites) => ({ text, cites }),
      ),
    ),
    disagreements: cap(
      points(
        content.disagreements,
        (p) => p.text,
        (_p, text, cites) => ({ text, cites }),
      ),
    ),
    openQuestions: cap(
      points(
        content.openQuestions,
        (p) => p.text,
        (_p, text, cites) => ({ text, cites }),
      ),
    ),
  };
  return { content: content2, report };
}

export const isEmpty = (c: SummaryContent) =>
  !c.themes.length && !c.agreements.length && !c.disagreements.length && !c.openQuestions.length;
