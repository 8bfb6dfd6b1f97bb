import { type Card, type Field, type MessageBody, type Reply, reply } from '../conversation/outbound.ts';
import { type Logger, silentLogger } from '../conversation/ports.ts';
import type { MemberContext } from '../conversation/router.ts';
import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import { classifyWithModel } from '../safeguarding/classifier.ts';
import { detectCrisis, HELP_LINES, helpLinesOpenAt, type CrisisLevel } from '../safeguarding/index.ts';
import type { ModelClient } from '../staff/model.ts';
import type { Notifier } from '../staff/notifier.ts';
import type { Pulje } from '../usecases/index.ts';
import { actorOf } from './common.ts';

/**
 * Where staff alerts go. The notifier is built after the router (it needs every running surface), so the
 * composition root hands the flows this holder and fills it in once the surfaces run.
 */
export interface AlertLine {
  notifier: Notifier | undefined;
}

export interface SafeguardDeps {
  pulje: Pulje;
  alerts: AlertLine;
  model?: ModelClient | undefined;
  pseudonymSecret?: string | undefined;
  now?: () => Date;
  log?: Logger;
}

export type ScreenSource = 'message' | 'idea';

export interface Safeguard {
  /**
   * Reads the actor's own message or idea for crisis signals. When there is one: the private answer (returned,
   * for the same interaction) and a private alert to the group's responsible staff (sent through the notifier).
   * Never anything public, never the text to anyone. Nothing found, or switched off: no replies.
   */
  screen(ctx: MemberContext, text: string, source: ScreenSource): Promise<Reply[]>;
  /** The help lines open now, on request (/support). */
  supportCard(locale: Locale): Card;
}

const AGE_OF_BAND: Record<string, number> = { 'under-15': 14, '15-17': 15, '18-24': 18, '25-30': 25, 'over-30': 31 };

/** The private answer: warm words, the help that is open now (Europe/Copenhagen), and the file's check date. */
export function crisisCard(
  locale: Locale,
  at: Date,
  level: CrisisLevel | 'support',
  opts: { staffTold?: boolean; ageBand?: string | null } = {},
): Card {
  const tr = translator(locale);
  const age = opts.ageBand ? AGE_OF_BAND[opts.ageBand] : undefined;
  const lines = helpLinesOpenAt(at, age !== undefined ? { age } : {});
  const fields: Field[] = lines.map(({ line, status }) => ({
    label: `${line.name}${status === 'open' ? ` – ${tr('sg.answer.open_now')}` : ''}`,
    value: [
      line.contacts.map((c) => (c.kind === 'phone' || c.kind === 'sms' ? c.label : c.url)).join(' · '),
      line.audience[locale],
      ...(status === 'unknown' ? [tr('sg.answer.hours_unknown')] : []),
    ].join('\n'),
  }));
  const [titleKey, bodyKey]: [MessageKey, MessageKey] =
    level === 'urgent'
      ? ['sg.answer.title_urgent', 'sg.answer.body_urgent']
      : level === 'support'
        ? ['sg.answer.title_support', 'sg.answer.body_support']
        : ['sg.answer.title_concern', 'sg.answer.body_concern'];
  const body = [tr(bodyKey), ...(opts.staffTold ? ['', tr('sg.answer.staff_told')] : [])].join('\n');
  return {
    title: tr(titleKey),
    body,
    fields,
    footer: [tr('sg.answer.emergency'), tr('sg.answer.checked', { date: HELP_LINES.lastChecked }), tr('sg.answer.private')].join(' '),
    tone: 'info',
  };
}

const CATEGORY_KEYS = new Set(['suicide', 'self-harm', 'overdose', 'abuse', 'sexual-abuse', 'grooming', 'harassment', 'distress']);

/** The staff alert: who and where, level and what it may be about; never the words themselves. */
export function alertBody(
  locale: Locale,
  a: { name: string; group: string; source: ScreenSource; level: 'urgent' | 'concern'; categories: readonly string[] },
): MessageBody {
  const tr = translator(locale);
  const cats = a.categories.map((c) => tr((CATEGORY_KEYS.has(c) ? `sg.cat.${c}` : 'sg.cat.other') as MessageKey));
  return {
    cards: [
      {
        title: tr('sg.alert.title', { name: a.name, group: a.group }),
        body: `${tr('sg.alert.body', { source: a.source, name: a.name, categories: { list: cats, join: 'and' }, level: a.level })}\n\n${tr('sg.alert.todo')}`,
        footer: tr('sg.alert.footer'),
        tone: a.level === 'urgent' ? 'warning' : 'info',
      },
    ],
  };
}

export function createSafeguard(deps: SafeguardDeps): Safeguard {
  const { pulje } = deps;
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? (() => new Date());

  async function alertStaff(
    ctx: MemberContext,
    source: ScreenSource,
    level: 'urgent' | 'concern',
    categories: string[],
    via: 'phrases' | 'model',
  ) {
    const recorded = await pulje.safeguarding.record(actorOf(ctx), {
      groupId: ctx.conversation.groupId,
      source,
      level,
      categories,
      via,
    });
    const notifier = deps.alerts.notifier;
    let reached = 0;
    if (notifier) {
      for (const r of recorded.recipients) {
        const locale = (r.locale === 'en' || r.locale === 'da' ? r.locale : ctx.conversation.locale) as Locale;
        const body = alertBody(locale, { name: recorded.personName, group: recorded.groupName, source, level, categories });
        try {
          if ((await notifier.notify(r.personId, ctx.conversation.groupId, body)) === 'sent') reached++;
        } catch (error) {
          log.warn({ err: error, alert: recorded.alertId }, 'safeguarding: a staff alert could not be sent');
        }
      }
      await pulje.safeguarding.alerted(recorded.alertId, reached);
      // Staff were told within the last hours and have not been told again: the answer may still say so.
      if (recorded.recentlyAlerted) return 1;
    } else if (recorded.recipients.length) {
      log.warn({ alert: recorded.alertId }, 'safeguarding: no notifier yet; the alert is recorded but not sent');
    }
    return reached;
  }

  return {
    async screen(ctx, text, source) {
      if (!text.trim()) return [];
      const settings = await pulje.safeguarding.settings(actorOf(ctx), { groupId: ctx.conversation.groupId });
      if (!settings.enabled) return [];
      const found = detectCrisis(text.slice(0, 200_000));
      let level = found.level;
      let categories: string[] = [...new Set(found.signals.map((s) => s.category))];
      let via: 'phrases' | 'model' = 'phrases';
      if (level === 'none' && settings.modelClassifier && deps.model) {
        const judged = await classifyWithModel(deps, { text, locale: ctx.locale, groupId: ctx.conversation.groupId });
        if (judged && judged.level !== 'none') {
          level = judged.level;
          categories = judged.categories.length ? judged.categories : ['other'];
          via = 'model';
        }
      }
      if (level === 'none') return [];
      // The answer must not wait on a failing alert: an alert that cannot be sent is logged and counted as 0.
      const reached = await alertStaff(ctx, source, level, categories, via).catch((error) => {
        log.error({ err: error }, 'safeguarding: could not record the signal');
        return 0;
      });
      const ageBand = await pulje.privacy.ageBand(actorOf(ctx)).catch(() => null);
      return [reply.private({ cards: [crisisCard(ctx.locale, now(), level, { staffTold: reached > 0, ageBand })] })];
    },
    supportCard: (locale) => crisisCard(locale, now(), 'support'),
  };
}
