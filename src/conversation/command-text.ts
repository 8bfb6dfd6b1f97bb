import type { ArgDef } from './router.ts';

/**
 * Splits the text typed after a command (Slack, the web composer) into its named arguments: one word per
 * argument, "double quotes" around several words, and the last argument takes the rest of the line.
 */
export function parseCommandText(text: string, args: readonly Pick<ArgDef, 'name'>[]): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = text.trim();
  args.forEach((arg, i) => {
    if (!rest) return;
    if (i === args.length - 1) {
      out[arg.name] = unquote(rest);
      rest = '';
      return;
    }
    const m = /^"([^"]*)"\s*|^(\S+)\s*/.exec(rest)!;
    out[arg.name] = m[1] ?? m[2]!;
    rest = rest.slice(m[0].length);
  });
  return out;
}

function unquote(s: string): string {
  const m = /^"([^"]*)"$/.exec(s);
  return m ? m[1]! : s;
}

/** "/help vote" → { name: 'help', text: 'vote' }; undefined if the text is not a command. */
export function splitSlashCommand(text: string): { name: string; text: string } | undefined {
  const m = /^\/([\p{L}\p{N}_-]{1,32})(?:\s+([\s\S]*))?$/u.exec(text.trim());
  if (!m) return undefined;
  return { name: m[1]!.toLowerCase(), text: (m[2] ?? '').trim() };
}
