/**
 * On Slack every Pulje command is a word after the one slash command: what the flows' texts call `/propose` is
 * typed `/pulje propose` here. The renderer spells every mention of a known command that way (and the limits
 * count the longer text), so help and hints name what works in Slack.
 */
const known = new Set<string>();

/** The router's command names (set once at start-up). */
export function knowCommands(names: Iterable<string>): void {
  for (const n of names) if (n !== 'pulje') known.add(n);
}

// "/name" at the start of a word: not inside a path or URL ("og/eller", "https://…/help").
const MENTION = /(^|[\s([«"'“„])\/([\p{Ll}\p{N}_-]{1,32})(?![\p{L}\p{N}_/-])/gu;
export const SLASH_COMMAND = '/pulje';

export function slackCommands(text: string): string {
  if (!known.size || !text.includes('/')) return text;
  return text.replace(MENTION, (all, before: string, name: string) => (known.has(name) ? `${before}${SLASH_COMMAND} ${name}` : all));
}

/** How much longer `slackCommands` makes a text. */
export function commandGrowth(text: string): number {
  if (!known.size || !text.includes('/')) return 0;
  let n = 0;
  for (const m of text.matchAll(MENTION)) if (known.has(m[2]!)) n += SLASH_COMMAND.length;
  return n;
}
