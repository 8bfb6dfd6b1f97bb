import { html, type Markup } from '../../src/conversation/index.ts';
import type { Locale } from '../../src/i18n/index.ts';
import type { DashboardViewer, Outcomes, RoundOutcome } from '../../src/usecases/index.ts';
import { type Bar, barChart } from './charts.ts';
import type { DashKey } from './texts.ts';
import {
  type Column,
  fmtNumber,
  GROUP_COLUMNS,
  headerOf,
  OVERRIDE_COLUMNS,
  OVERRIDE_KIND_COLUMNS,
  overrideKindRows,
  ROUND_COLUMNS as R,
  T,
  TREND_COLUMNS,
} from './views.ts';

type H = Markup<'html'>;
/** Rows of a table on the page, and bars of a chart; the CSV files have every row. */
export const ROWS_SHOWN = 30;
export const BARS_SHOWN = 20;

export function layout(locale: Locale, title: string, body: H, opts: { print?: boolean } = {}): string {
  return html.tag`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Pulje</title>
<link rel="stylesheet" href="/dashboard/dashboard.css">
<link rel="icon" href="data:,">
</head>
<body class="${opts.print ? 'dash report' : 'dash'}">
<a class="skip" href="#main">${T(locale, 'dash.skip')}</a>
${body}
</body>
</html>`.value;
}

/** The query string for the same view with some parameters changed (the filter and the language survive). */
export function linkTo(path: string, query: Record<string, string | undefined>, change: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...change })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

function table<Row>(
  locale: Locale,
  caption: string,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  testid: string,
  extra?: (r: Row) => H,
): H {
  const head = headerOf(columns, locale).map(
    (h, i) => html.tag`<th scope="col"${columns[i]?.numeric ? html.tag` class="num"` : html.tag``}>${h}</th>`,
  );
  const body = rows.map(
    (r) =>
      html.tag`<tr>${columns.map((c, i) => {
        const value = c.show ? c.show(r, locale) : String(c.csv(r) ?? '');
        return i === 0
          ? html.tag`<th scope="row">${value}</th>`
          : html.tag`<td${c.numeric ? html.tag` class="num"` : html.tag``}>${value}</td>`;
      })}${extra ? html.tag`<td>${extra(r)}</td>` : html.tag``}</tr>`,
  );
  const extraHead = extra ? html.tag`<th scope="col">${T(locale, 'dash.col.actions')}</th>` : html.tag``;
  return html.tag`<div class="table-wrap" tabindex="0" role="region" aria-label="${caption}"><table data-testid="${testid}"><caption>${caption}</caption><thead><tr>${head}${extraHead}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function section(locale: Locale, id: string, title: DashKey, def: DashKey, content: H): H {
  return html.tag`<section aria-labelledby="${id}" data-testid="section-${id}"><h2 id="${id}">${T(locale, title)}</h2><p class="def" data-testid="definition">${T(locale, def)}</p>${content}</section>`;
}

const pctShown = (locale: Locale, v: number | null, suppressed = false) =>
  v === null ? T(locale, suppressed ? 'dash.small' : 'dash.none') : T(locale, 'dash.pct', { value: fmtNumber(locale, v) });

function chartWithTable(chart: H, tableMarkup: H, note?: string): H {
  return html.tag`<div class="pair"><figure>${chart}</figure>${tableMarkup}</div>${note ? html.tag`<p class="note">${note}</p>` : html.tag``}`;
}

const roundLabel = (r: RoundOutcome) => `${r.groupName}: ${r.title}`;

export interface PageContext {
  locale: Locale;
  viewer: DashboardViewer;
  outcomes: Outcomes;
  /** The page's own query (filter and language), for links. */
  query: Record<string, string | undefined>;
  /** Rounds whose .pb export may be linked (decided or later). */
  report?: { year: number };
}

const DECIDED = ['decided', 'implementing', 'done'];

export function dashboardPage(p: PageContext): string {
  const { locale, outcomes: o } = p;
  const newest = [...o.rounds].reverse();
  const shownRounds = newest.slice(0, ROWS_SHOWN);
  const more = newest.length > ROWS_SHOWN ? T(locale, 'dash.more', { shown: ROWS_SHOWN, total: newest.length }) : undefined;
  const csv = (view: string) =>
    html.tag`<p><a class="csv" href="${linkTo(`/dashboard/csv/${view}`, p.query)}" data-testid="csv-${view}">${T(locale, 'dash.csv')}</a></p>`;
  const chartRounds = newest.slice(0, BARS_SHOWN);
  const chartMore = newest.length > BARS_SHOWN ? T(locale, 'dash.chart.more', { shown: BARS_SHOWN, total: newest.length }) : undefined;
  const title = p.report ? T(locale, 'dash.report.title', { year: p.report.year }) : T(locale, 'dash.title');

  const decided = o.rounds.filter((r) => DECIDED.includes(r.phase));
  const ballots = decided.reduce((a, r) => a + (r.ballots ?? 0), 0);
  const eligible = decided.filter((r) => r.ballots !== null).reduce((a, r) => a + r.eligible, 0);
  const funded = decided.reduce((a, r) => a + r.fundedAmount, 0);
  const youthFunded = decided.reduce((a, r) => a + ((r.youthMoneyPct ?? 0) * r.fundedAmount) / 100, 0);
  const spent = o.rounds.reduce((a, r) => a + r.spent, 0);
  const summary = html.tag`<section aria-labelledby="summary" data-testid="summary"><h2 id="summary">${T(locale, 'dash.summary')}</h2><dl class="figures">
<div><dt>${T(locale, 'dash.summary.groups')}</dt><dd>${fmtNumber(locale, o.groups.length, 0)}</dd></div>
<div><dt>${T(locale, 'dash.summary.rounds')}</dt><dd>${fmtNumber(locale, o.rounds.length, 0)}</dd></div>
<div><dt>${T(locale, 'dash.summary.turnout')}</dt><dd>${pctShown(locale, eligible && ballots >= 5 ? Math.round((ballots * 1000) / eligible) / 10 : null)}</dd></div>
<div><dt>${T(locale, 'dash.summary.youth_money')}</dt><dd>${pctShown(locale, funded ? Math.round((youthFunded * 1000) / funded) / 10 : null)}</dd></div>
<div><dt>${T(locale, 'dash.summary.spent')}</dt><dd>${fmtNumber(locale, spent / 100, 0)} kr.</dd></div>
<div><dt>${T(locale, 'dash.summary.say')}</dt><dd>${o.say.mean === null ? T(locale, 'dash.none') : fmtNumber(locale, o.say.mean)}</dd></div>
</dl><p class="note">${T(locale, 'dash.small.note')}</p></section>`;

  const bar = (label: string, v: number | null, suppressed = false): Bar => ({ label, value: v, shown: pctShown(locale, v, suppressed) });
  const turnout = section(
    locale,
    'turnout',
    'dash.turnout.title',
    'dash.turnout.def',
    html.tag`${chartWithTable(
      barChart({
        title: T(locale, 'dash.turnout.title'),
        description: T(locale, 'dash.turnout.def'),
        bars: chartRounds.map((r) => bar(roundLabel(r), r.turnoutPct, r.ballots === null)),
        max: 100,
      }),
      table(
        locale,
        T(locale, 'dash.turnout.title'),
        [R.round, R.group, R.started, R.eligible, R.ballots, R.turnout],
        shownRounds,
        'table-turnout',
      ),
      [chartMore, more].filter(Boolean).join(' '),
    )}${csv('rounds')}`,
  );

  const trend = section(
    locale,
    'trend',
    'dash.trend.title',
    'dash.trend.def',
    html.tag`${chartWithTable(
      barChart({
        title: T(locale, 'dash.trend.title'),
        description: T(locale, 'dash.trend.def'),
        bars: o.trend.slice(-BARS_SHOWN).map((t) => bar(t.period, t.turnoutPct)),
        max: 100,
      }),
      table(locale, T(locale, 'dash.trend.title'), TREND_COLUMNS, o.trend, 'table-trend'),
    )}${csv('trend')}`,
  );

  const money = section(
    locale,
    'money',
    'dash.money.title',
    'dash.money.def',
    html.tag`<p class="def">${T(locale, 'dash.ideas.def')}</p>${chartWithTable(
      barChart({
        title: T(locale, 'dash.money.title'),
        description: T(locale, 'dash.money.def'),
        bars: chartRounds.filter((r) => DECIDED.includes(r.phase)).map((r) => bar(roundLabel(r), r.youthMoneyPct)),
        max: 100,
      }),
      table(
        locale,
        T(locale, 'dash.ideas.title'),
        [R.round, R.group, R.ideasYouth, R.ideasStaff, R.budget, R.funded, R.youthMoney],
        shownRounds,
        'table-money',
      ),
      more,
    )}`,
  );

  const impl = section(
    locale,
    'impl',
    'dash.impl.title',
    'dash.impl.def',
    html.tag`<p class="def">${T(locale, 'dash.time.def')}</p>${table(
      locale,
      T(locale, 'dash.impl.title'),
      [R.round, R.group, R.phase, R.fundedCount, R.implemented, R.spent, R.ideaToDecision, R.decisionToDone],
      shownRounds,
      'table-impl',
      (r) =>
        DECIDED.includes(r.phase)
          ? html.tag`<a href="/dashboard/rounds/${r.roundId}/pb" aria-label="${T(locale, 'dash.pb')}: ${r.title}">${T(locale, 'dash.pb')}</a>`
          : html.tag``,
    )}`,
  );

  const groups = o.perGroup.slice(0, ROWS_SHOWN);
  const talk = section(
    locale,
    'talk',
    'dash.talk.title',
    'dash.talk.def',
    html.tag`${chartWithTable(
      barChart({
        title: T(locale, 'dash.talk.title'),
        description: T(locale, 'dash.talk.def'),
        bars: o.perGroup.slice(0, BARS_SHOWN).map((g) => bar(g.groupName, g.staffSharePct, g.youthMessages === null)),
        max: 100,
      }),
      table(locale, T(locale, 'dash.talk.title'), GROUP_COLUMNS, groups, 'table-groups'),
      o.perGroup.length > ROWS_SHOWN ? T(locale, 'dash.more', { shown: ROWS_SHOWN, total: o.perGroup.length }) : undefined,
    )}${csv('groups')}`,
  );

  const kinds = overrideKindRows(o);
  const overrides = section(
    locale,
    'overrides',
    'dash.overrides.title',
    'dash.overrides.def',
    html.tag`${chartWithTable(
      barChart({
        title: T(locale, 'dash.overrides.title'),
        description: T(locale, 'dash.overrides.def'),
        bars: kinds.map((k) => ({ label: T(locale, `dash.kind.${k.kind}` as DashKey), value: k.n, shown: fmtNumber(locale, k.n, 0) })),
      }),
      table(locale, T(locale, 'dash.overrides.title'), OVERRIDE_KIND_COLUMNS, kinds, 'table-override-kinds'),
    )}${csv('override-kinds')}<p class="def" data-testid="definition-disagree">${T(locale, 'dash.disagree.def')}</p>${o.overrides.reasons.length ? table(locale, T(locale, 'dash.overrides.reasons'), OVERRIDE_COLUMNS, o.overrides.reasons, 'table-override-reasons') : html.tag``}${csv('overrides')}`,
  );

  const dist = o.say.distribution;
  const sayRows = [1, 2, 3, 4, 5].map((score) => ({ score, n: dist ? (dist[score - 1] ?? null) : null }));
  const sayCols: Column<{ score: number; n: number | null }>[] = [
    { key: 'dash.col.score', csv: (r) => r.score },
    { key: 'dash.col.count', csv: (r) => r.n, show: (r, l) => (r.n === null ? T(l, 'dash.small') : fmtNumber(l, r.n, 0)), numeric: true },
  ];
  const say = section(
    locale,
    'say',
    'dash.say.title',
    'dash.say.def',
    html.tag`${
      dist
        ? chartWithTable(
            barChart({
              title: T(locale, 'dash.say.title'),
              description: T(locale, 'dash.say.def'),
              bars: sayRows.map((r) => ({
                label: String(r.score),
                value: r.n,
                shown: r.n === null ? T(locale, 'dash.small') : fmtNumber(locale, r.n, 0),
              })),
            }),
            table(locale, T(locale, 'dash.say.title'), sayCols, sayRows, 'table-say'),
          )
        : html.tag`<p class="note" data-testid="say-hidden">${T(locale, 'dash.say.hidden')}</p>`
    }${table(locale, T(locale, 'dash.say.title'), [R.round, R.group, R.sayResponses, R.sayRate, R.sayMean], shownRounds, 'table-say-rounds')}`,
  );

  const lundy = section(
    locale,
    'lundy',
    'dash.lundy.title',
    'dash.lundy.def',
    table(
      locale,
      T(locale, 'dash.lundy.title'),
      [R.round, R.group, R.lundyN, R.space, R.voice, R.audience, R.influence],
      shownRounds,
      'table-lundy',
      p.report
        ? undefined
        : (r) =>
            html.tag`<a href="/dashboard/lundy/${r.roundId}" aria-label="${T(locale, 'dash.lundy.assess')}: ${r.title}">${T(locale, 'dash.lundy.assess')}</a>`,
    ),
  );

  const content = o.rounds.length
    ? html.tag`${summary}${turnout}${trend}${money}${impl}${talk}${overrides}${say}${lundy}`
    : html.tag`${summary}<p data-testid="empty">${T(locale, 'dash.empty')}</p>${talk}`;
  const header = p.report ? reportHeader(p, title) : dashHeader(p, title);
  return layout(locale, title, html.tag`${header}<main id="main" tabindex="-1">${content}</main>`, p.report ? { print: true } : {});
}

function dashHeader(p: PageContext, title: string): H {
  const { locale, viewer, outcomes: o, query } = p;
  const other = locale === 'da' ? 'en' : 'da';
  const orgOptions = o.organisations.length > 1 || query.org;
  const opt = (value: string, label: string, selected: boolean) =>
    html.tag`<option value="${value}"${selected ? html.tag` selected` : html.tag``}>${label}</option>`;
  const year = new Date().getUTCFullYear();
  const round = query.round ? o.rounds.find((r) => r.roundId === query.round) : undefined;
  return html.tag`<header class="top">
<p class="who">${T(locale, 'dash.viewer', { name: viewer.displayName })} · ${T(locale, `dash.scope.${viewer.scope}` as DashKey)}</p>
<nav aria-label="${T(locale, 'dash.nav')}"><ul>
<li><a href="${linkTo('/dashboard', query)}" aria-current="page">${T(locale, 'dash.nav.overview')}</a></li>
<li><a href="${linkTo('/dashboard/report', { lang: query.lang, org: query.org, group: query.group, year: String(year) })}">${T(locale, 'dash.nav.report')}</a></li>
<li><a href="${linkTo('/dashboard', query, { lang: other })}" lang="${other}" data-testid="language">${T(locale, 'dash.language')}</a></li>
<li><form method="post" action="/dashboard/signout"><button type="submit" data-testid="signout">${T(locale, 'dash.signout')}</button></form></li>
<li><form method="post" action="/dashboard/signout-all"><button type="submit" data-testid="signout-all">${T(locale, 'dash.signout.all')}</button></form></li>
</ul></nav>
<h1>${title}</h1>
<form class="filter" method="get" action="/dashboard" aria-label="${T(locale, 'dash.filter')}">
${query.lang ? html.tag`<input type="hidden" name="lang" value="${query.lang}">` : html.tag``}
${orgOptions ? html.tag`<label>${T(locale, 'dash.filter.organisation')}<select name="org">${opt('', T(locale, 'dash.filter.all'), !query.org)}${o.organisations.map((g) => opt(g.id, g.name, g.id === query.org))}</select></label>` : html.tag``}
<label>${T(locale, 'dash.filter.group')}<select name="group" data-testid="filter-group">${opt('', T(locale, 'dash.filter.all'), !query.group)}${o.groups.map((g) => opt(g.id, g.name, g.id === query.group))}</select></label>
<label>${T(locale, 'dash.filter.from')}<input type="date" name="from" value="${query.from ?? ''}"></label>
<label>${T(locale, 'dash.filter.to')}<input type="date" name="to" value="${query.to ?? ''}"></label>
<button type="submit">${T(locale, 'dash.filter.show')}</button>
</form>
${round ? html.tag`<p>${T(locale, 'dash.filter.round', { round: round.title })} <a href="${linkTo('/dashboard', query, { round: undefined })}">${T(locale, 'dash.filter.clear')}</a></p>` : html.tag``}
</header>`;
}

function reportHeader(p: PageContext, title: string): H {
  const { locale, query } = p;
  return html.tag`<header class="top"><nav class="no-print" aria-label="${T(locale, 'dash.nav')}"><ul><li><a href="${linkTo('/dashboard', { lang: query.lang, org: query.org, group: query.group })}">${T(locale, 'dash.nav.overview')}</a></li></ul></nav><h1>${title}</h1><p class="no-print">${T(locale, 'dash.print')}</p></header>`;
}

export function messageOnly(locale: Locale, title: string, message: string, form?: H): string {
  return layout(
    locale,
    title,
    html.tag`<main id="main" class="narrow"><h1>${title}</h1><p role="status">${message}</p>${form ?? html.tag``}</main>`,
  );
}

export function lundyForm(
  locale: Locale,
  round: { id: string; title: string },
  current: { space: number; voice: number; audience: number; influence: number; note: string | null } | null,
  notice?: string,
): string {
  const points = ['space', 'voice', 'audience', 'influence'] as const;
  const fields = points.map((k) => {
    const value = current?.[k] ?? 3;
    const radios = [1, 2, 3, 4, 5].map(
      (n) =>
        html.tag`<label class="radio"><input type="radio" name="${k}" value="${n}"${n === value ? html.tag` checked` : html.tag``} required> ${n}</label>`,
    );
    return html.tag`<fieldset><legend>${T(locale, `dash.col.${k}` as DashKey)}</legend><p class="help">${T(locale, `dash.lundy.${k}.help` as DashKey)}</p>${radios}</fieldset>`;
  });
  const title = T(locale, 'dash.lundy.form.title', { round: round.title });
  return layout(
    locale,
    title,
    html.tag`<main id="main" class="narrow"><p><a href="/dashboard">${T(locale, 'dash.nav.overview')}</a></p><h1>${title}</h1>${notice ? html.tag`<p role="status" class="notice">${notice}</p>` : html.tag``}<p>${T(locale, 'dash.lundy.form.intro')}</p><form method="post" action="/dashboard/lundy/${round.id}">${fields}<label class="block">${T(locale, 'dash.lundy.note')}<textarea name="note" maxlength="1000" rows="3">${current?.note ?? ''}</textarea></label><button type="submit">${T(locale, 'dash.lundy.save')}</button></form></main>`,
  );
}
