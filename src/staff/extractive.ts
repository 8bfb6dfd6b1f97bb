import type { Locale } from '../i18n/locale.ts';
import type { SummaryContent } from './summary-schema.ts';

/**
 * The offline summary: extractive and deterministic, Danish and English. Themes are the words most messages
 * share (after stop words and a light stemming of Danish endings), each citing the messages that use them;
 * agreement and disagreement are read from markers in the messages about a theme ("enig", "god idé" / "for dyrt",
 * "uenig"); open questions are the latest questions asked. Every point cites the messages it came from, exactly
 * like the model's, so the same guard and rendering serve both.
 */

export interface ExtractInput {
  id: string;
  text: string;
}

const STOP = new Set(
  // Danish
  (
    'alle allerede alt altså anden andet andre at bare begge blev blive bliver da de dem den denne dens der deres det dette dig din dine disse dit dog du efter eller en end er et for fordi fra få får gik god gode godt gør gøre ham han hans har have havde hele hen her hende hendes hun hvad hvem hver hvilke hvis hvor hvordan hvorfor hvornår ikke ind ingen intet jeg jer jeres jo kan kom kommer kunne lad lidt lige man mange med meget men mere mig min mine mit mod må måske ned noget nogen nogle nok nu når og også om op os over på sammen selv sig sin sine sit skal skulle som så synes syntes tak til ud under var vi vil ville vores være været også helt bedre mest mindst meget rigtig ret nogle vel altid aldrig godt lige dét tror tænker mener kunne burde lave laver bruge bruger købe køber penge kr kroner idé ide ideen idéen forslag forslaget jo ja nej okay ok hej enig enige uenig uenige ' +
    // English
    'about after all also and any are because been before being both but can could did does doing down each few for from further had has have having her here hers him his how into its just more most not now off once only other our ours out over own same she should some such than that the their theirs them then there these they this those through too under until very was were what when where which while who whom why will with would you your yours yes okay think maybe really like want need get buy money idea ideas agree disagree good great'
  ).split(/\s+/),
);
/** Placeholders the redaction leaves (never a theme). */
const PLACEHOLDER = /^(telefon|phone|email|adresse|address|konto|account|profil|profile|navn|name|cpr|deltager|participant)$/;

const AGREE: Record<Locale, RegExp> = {
  da: /\b(enig|enige|god idé|god ide|godt forslag|fedt|super|elsker|ja tak|det synes jeg også|også mig|støtter)\b|\+1|👍|❤️/iu,
  en: /\b(agree|agreed|good idea|great idea|love it|yes please|me too|i support|sounds good)\b|\+1|👍|❤️/iu,
};
const DISAGREE: Record<Locale, RegExp> = {
  da: /\b(uenig|ikke enig|dårlig idé|dårlig ide|for dyrt|for dyr|ikke en god|nej tak|hellere|i stedet)\b|👎/iu,
  en: /\b(disagree|bad idea|too expensive|not a good|no thanks|rather|instead)\b|👎/iu,
};

const WORD = /[\p{L}\p{N}#]+/gu;

/** Danish (and English plural) endings off long words: "bænkene", "bænke", "bænken" → "bænk". */
function stem(word: string): string {
  if (word.startsWith('#')) return word;
  for (const end of ['erne', 'ene', 'ers', 'er', 'en', 'et', 'es', 'e', 's']) {
    if (word.length - end.length >= 4 && word.endsWith(end)) return word.slice(0, -end.length);
  }
  return word;
}

function words(text: string): string[] {
  return (text.toLocaleLowerCase('da').match(WORD) ?? []).filter(
    (w) => (w.startsWith('#') ? /^#\d{1,4}$/.test(w) : w.length >= 4 && !/^\d+$/.test(w)) && !STOP.has(w) && !PLACEHOLDER.test(w),
  );
}

/** A short, whole-word excerpt. */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const capitalize = (s: string) => (s.startsWith('#') ? s : s[0]!.toLocaleUpperCase('da') + s.slice(1));

export interface ExtractTexts {
  /** "Enighed om {theme}: “…”" */
  agreement(theme: string, quote: string): string;
  disagreement(theme: string, quote: string): string;
}

export function extractiveSummary(messages: readonly ExtractInput[], locale: Locale, texts: ExtractTexts): SummaryContent {
  const byStem = new Map<string, { ids: Set<string>; forms: Map<string, number>; first: number }>();
  messages.forEach((m, index) => {
    for (const w of words(m.text)) {
      const s = stem(w);
      let entry = byStem.get(s);
      if (!entry) byStem.set(s, (entry = { ids: new Set(), forms: new Map(), first: index }));
      entry.ids.add(m.id);
      entry.forms.set(w, (entry.forms.get(w) ?? 0) + 1);
    }
  });
  // Ties: more messages first, then the word that came up first, then alphabetical (deterministic).
  const ranked = [...byStem.entries()]
    .filter(([, e]) => e.ids.size >= 2)
    .sort(([a, x], [b, y]) => y.ids.size - x.ids.size || x.first - y.first || a.localeCompare(b));
  const themes: Array<{ title: string; ids: string[] }> = [];
  for (const [, e] of ranked) {
    if (themes.length >= 4) break;
    const ids = [...e.ids];
    // A theme that only repeats an earlier one's messages adds nothing.
    if (themes.some((t) => ids.filter((id) => t.ids.includes(id)).length >= ids.length * 0.8)) continue;
    const form = [...e.forms.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    themes.push({ title: capitalize(form), ids });
  }

  const textOf = new Map(messages.map((m) => [m.id, m.text]));
  const agreements: SummaryContent['agreements'] = [];
  const disagreements: SummaryContent['disagreements'] = [];
  for (const theme of themes) {
    const agree = theme.ids.filter(
      (id) => AGREE[locale].test(textOf.get(id)!) || AGREE[locale === 'da' ? 'en' : 'da'].test(textOf.get(id)!),
    );
    const against = theme.ids.filter((id) => DISAGREE[locale].test(textOf.get(id)!));
    if (against.length && (agree.length || against.length < theme.ids.length)) {
      const cites = [...new Set([...against, ...agree])].slice(0, 6);
      disagreements.push({ text: texts.disagreement(theme.title, excerpt(textOf.get(against[0]!)!)), cites });
    } else if (agree.length >= 2 || (agree.length >= 1 && theme.ids.length >= 3)) {
      agreements.push({ text: texts.agreement(theme.title, excerpt(textOf.get(agree[0]!)!)), cites: agree.slice(0, 6) });
    }
  }

  const openQuestions: SummaryContent['openQuestions'] = [];
  for (const m of [...messages].reverse()) {
    if (openQuestions.length >= 4) break;
    const question = m.text.match(/[^.!?\n]*\?/u)?.[0]?.trim();
    if (question && question.length >= 8) openQuestions.push({ text: excerpt(question, 160), cites: [m.id] });
  }
  openQuestions.reverse();

  return { themes: themes.map((t) => ({ title: t.title, cites: t.ids.slice(0, 8) })), agreements, disagreements, openQuestions };
}
