import { z } from 'zod';
import { reply, type Card, type MessageBody } from '../conversation/outbound.ts';
import type { Context, MemberContext, Router } from '../conversation/router.ts';
import { formatDateTime } from '../domain/values.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { Pulje, SafeguardingSettingsView } from '../usecases/index.ts';
import { AGE_BANDS } from '../usecases/privacy.ts';
import { actorOf, button, idArg } from './common.ts';
import type { Safeguard } from './safeguarding.ts';

const FLOW = 'privacy';

export interface PrivacyFlowOptions {
  /** PULJE_PUBLIC_URL: where /mydata links point. Without it a link is only given in the web chat (same site). */
  publicUrl?: string | undefined;
}

const ALERT_TO = ['staff', 'admins', 'none'] as const;
const alertKey: Record<(typeof ALERT_TO)[number], MessageKey> = {
  staff: 'sg.settings.alert_staff',
  admins: 'sg.settings.alert_admins',
  none: 'sg.settings.alert_none',
};

/**
 * A person's own data and the safeguards around it (issue 15): /mydata, /forgetme (with a confirmation), an
 * admin's erasure on request, /audit, /support (help lines at any time), /age (optional age band), and the
 * organisation's crisis settings (/safeguarding). Every answer is private.
 */
export function registerPrivacy(router: Router, pulje: Pulje, safeguard: Safeguard | undefined, opts: PrivacyFlowOptions = {}): void {
  const person = (ctx: Context) => actorOf(ctx as Context & { person: { personId: string } });

  // --- /mydata ------------------------------------------------------------------------------------------
  router
    .command({
      name: 'mydata',
      description: 'privacy.command.mydata',
      requires: 'person',
      async handler(ctx) {
        const data = await pulje.privacy.exportMine(person(ctx));
        const { token, expiresAt } = await pulje.privacy.exportLink(person(ctx));
        const web = ctx.event.conversation.platform === 'web';
        const base = opts.publicUrl?.replace(/\/+$/, '') ?? (web ? '' : undefined);
        const tr = ctx.t;
        const counts = tr('privacy.mydata.counts', {
          groups: data.memberships.length,
          ideas: data.ideas.length,
          ballots: data.ballots.length,
          messages: data.chatMessages.length + data.capturedMessages.length,
        });
        const body =
          base !== undefined
            ? tr('privacy.mydata.link', { url: `${base}/mydata/${token}`, until: formatDateTime(expiresAt, ctx.locale) })
            : tr('privacy.mydata.no_link');
        return reply.private({
          cards: [{ title: tr('privacy.mydata.title'), body: `${counts}\n\n${body}`, footer: tr('privacy.private'), tone: 'info' }],
        });
      },
    })
    .alias('minedata', 'mydata');

  // --- /forgetme ----------------------------------------------------------------------------------------
  const forgetCard = (ctx: Context): Card => ({
    title: ctx.t('privacy.forget.title'),
    body: ctx.t('privacy.forget.body'),
    controls: [
      button(ctx.t('privacy.forget.confirm'), { flow: FLOW, verb: 'forgetok' }, 'danger'),
      button(ctx.t('privacy.cancel'), { flow: FLOW, verb: 'cancel' }),
    ],
    tone: 'warning',
  });
  router
    .command({
      name: 'forgetme',
      description: 'privacy.command.forgetme',
      requires: 'person',
      handler: (ctx) => reply.private({ cards: [forgetCard(ctx)] }),
    })
    .alias('glemmig', 'forgetme')
    .action({
      flow: FLOW,
      verb: 'forgetok',
      requires: 'person',
      async handler(ctx) {
        const r = await pulje.privacy.erase(person(ctx), {});
        return reply.update({
          cards: [{ title: ctx.t('privacy.forget.done_title'), body: ctx.t('privacy.forget.done', r), tone: 'success' }],
        });
      },
    })
    .action({ flow: FLOW, verb: 'cancel', requires: 'person', handler: (ctx) => reply.update(ctx.t('privacy.cancelled')) });

  // --- an admin erases on request ---------------------------------------------------------------------------
  router
    .command({
      name: 'erase',
      description: 'privacy.command.erase',
      roles: ['admin'],
      async handler(ctx) {
        const members = (await pulje.discussion.members(actorOf(ctx), { groupId: ctx.conversation.groupId, why: '/erase' })).filter(
          (m) => m.personId !== ctx.person.personId,
        );
        if (!members.length) return reply.private(ctx.t('privacy.erase.nobody'));
        return reply.private({
          cards: [
            {
              title: ctx.t('privacy.erase.title'),
              body: ctx.t('privacy.erase.pick'),
              controls: [
                {
                  kind: 'select',
                  action: { flow: FLOW, verb: 'erasepick' },
                  placeholder: ctx.t('privacy.erase.placeholder'),
                  options: members.slice(0, 25).map((m) => ({ value: m.personId, label: m.displayName })),
                },
              ],
              tone: 'warning',
            },
          ],
        });
      },
    })
    .alias('slet', 'erase')
    .action({
      flow: FLOW,
      verb: 'erasepick',
      roles: ['admin'],
      async handler(ctx, { values }) {
        const personId = idArg.parse(values[0]);
        const members = await pulje.discussion.members(actorOf(ctx), { groupId: ctx.conversation.groupId, why: '/erase' });
        const who = members.find((m) => m.personId === personId);
        if (!who) return reply.private(ctx.t('privacy.erase.nobody'));
        return reply.update({
          cards: [
            {
              title: ctx.t('privacy.erase.confirm_title', { name: who.displayName }),
              body: ctx.t('privacy.erase.confirm_body', { name: who.displayName }),
              controls: [
                button(ctx.t('privacy.erase.confirm'), { flow: FLOW, verb: 'eraseok', args: [personId] }, 'danger'),
                button(ctx.t('privacy.cancel'), { flow: FLOW, verb: 'cancel' }),
              ],
              tone: 'warning',
            },
          ],
        });
      },
    })
    .action({
      flow: FLOW,
      verb: 'eraseok',
      args: z.tuple([idArg]),
      roles: ['admin'],
      async handler(ctx, { args: [personId] }) {
        const r = await pulje.privacy.erase(actorOf(ctx), { personId, reason: 'erasure request (admin)' });
        return reply.update({
          cards: [{ title: ctx.t('privacy.forget.done_title'), body: ctx.t('privacy.erase.done', r), tone: 'success' }],
        });
      },
    });

  // --- /signout: every web session and invite link of the person ends ---------------------------------------
  router
    .command({
      name: 'signout',
      description: 'privacy.command.signout',
      requires: 'person',
      async handler(ctx) {
        await pulje.privacy.revokeTokens(person(ctx), {});
        return reply.private(ctx.t('privacy.signout.done'));
      },
    })
    .alias('logud', 'signout');

  // --- an admin answers an access request that came another way ------------------------------------------------
  router
    .command({
      name: 'memberdata',
      description: 'privacy.command.memberdata',
      roles: ['admin'],
      async handler(ctx) {
        const members = (await pulje.discussion.members(actorOf(ctx), { groupId: ctx.conversation.groupId, why: '/memberdata' })).filter(
          (m) => m.personId !== ctx.person.personId,
        );
        if (!members.length) return reply.private(ctx.t('privacy.erase.nobody'));
        return reply.private({
          cards: [
            {
              title: ctx.t('privacy.memberdata.title'),
              body: ctx.t('privacy.memberdata.pick'),
              controls: [
                {
                  kind: 'select',
                  action: { flow: FLOW, verb: 'datapick' },
                  placeholder: ctx.t('privacy.erase.placeholder'),
                  options: members.slice(0, 25).map((m) => ({ value: m.personId, label: m.displayName })),
                },
              ],
              tone: 'neutral',
            },
          ],
        });
      },
    })
    .alias('medlemsdata', 'memberdata')
    .action({
      flow: FLOW,
      verb: 'datapick',
      roles: ['admin'],
      async handler(ctx, { values }) {
        const personId = idArg.parse(values[0]);
        const { token, expiresAt } = await pulje.privacy.exportLinkFor(actorOf(ctx), { personId, reason: 'access request (admin)' });
        const base = opts.publicUrl?.replace(/\/+$/, '') ?? (ctx.event.conversation.platform === 'web' ? '' : undefined);
        return reply.update(
          base !== undefined
            ? ctx.t('privacy.memberdata.link', { url: `${base}/mydata/${token}`, until: formatDateTime(expiresAt, ctx.locale) })
            : ctx.t('privacy.mydata.no_link'),
        );
      },
    });

  // --- /audit ---------------------------------------------------------------------------------------------
  router.command({
    name: 'audit',
    description: 'privacy.command.audit',
    roles: ['admin'],
    async handler(ctx) {
      const rows = await pulje.audit.list(actorOf(ctx), { groupId: ctx.conversation.groupId, limit: 20 });
      const fields = rows.map((r) => ({
        label: `${formatDateTime(r.at, ctx.locale)} · ${r.reader}`,
        value: ctx.t('privacy.audit.row', { what: r.what, subject: r.subject ?? '–', why: r.why }),
      }));
      return reply.private({
        cards: [
          {
            title: ctx.t('privacy.audit.title'),
            body: ctx.t(rows.length ? 'privacy.audit.body' : 'privacy.audit.empty'),
            fields,
            tone: 'neutral',
          },
        ],
      });
    },
  });

  // --- /support: the help lines whenever someone asks -----------------------------------------------------
  if (safeguard)
    router
      .command({
        name: 'support',
        description: 'sg.command.support',
        requires: 'none',
        handler: (ctx) => reply.private({ cards: [safeguard.supportCard(ctx.locale)] }),
      })
      .alias('støtte', 'support');

  // --- /age: an optional, self-reported age band ----------------------------------------------------------
  router
    .command({
      name: 'age',
      description: 'privacy.command.age',
      requires: 'person',
      async handler(ctx) {
        const current = await pulje.privacy.ageBand(person(ctx));
        return reply.private({
          cards: [
            {
              title: ctx.t('privacy.age.title'),
              body: ctx.t('privacy.age.body'),
              controls: [
                {
                  kind: 'select',
                  action: { flow: FLOW, verb: 'age' },
                  placeholder: ctx.t('privacy.age.placeholder'),
                  options: [...AGE_BANDS, 'none'].map((b) => ({
                    value: b,
                    label: ctx.t(`privacy.age.${b}` as MessageKey),
                    ...(b === (current ?? 'none') ? { selected: true } : {}),
                  })),
                },
              ],
              tone: 'neutral',
            },
          ],
        });
      },
    })
    .alias('alder', 'age')
    .action({
      flow: FLOW,
      verb: 'age',
      requires: 'person',
      async handler(ctx, { values }) {
        const band = values[0] === 'none' ? null : values[0];
        const saved = await pulje.privacy.setAgeBand(person(ctx), { ageBand: band ?? null });
        return reply.update(ctx.t('privacy.age.saved', { band: ctx.t(`privacy.age.${saved ?? 'none'}` as MessageKey) }));
      },
    });

  // --- /safeguarding: the organisation's crisis settings (admins) -----------------------------------------
  const settingsCard = (ctx: MemberContext, s: SafeguardingSettingsView): MessageBody => {
    const tr = ctx.t;
    const onOff = (on: boolean) => tr(on ? 'sg.settings.on' : 'sg.settings.off');
    return {
      cards: [
        {
          title: tr('sg.settings.title'),
          body: tr('sg.settings.body'),
          fields: [
            { label: tr('sg.settings.enabled'), value: onOff(s.enabled) },
            { label: tr('sg.settings.alert'), value: tr(alertKey[s.alertTo]) },
            { label: tr('sg.settings.model'), value: onOff(s.modelClassifier) },
          ],
          controls: [
            button(tr('sg.settings.toggle', { what: tr('sg.settings.enabled'), state: onOff(!s.enabled) }), {
              flow: 'sgset',
              verb: 'toggle',
              args: ['enabled'],
            }),
            button(tr('sg.settings.toggle', { what: tr('sg.settings.model'), state: onOff(!s.modelClassifier) }), {
              flow: 'sgset',
              verb: 'toggle',
              args: ['modelClassifier'],
            }),
            ...ALERT_TO.filter((a) => a !== s.alertTo).map((a) =>
              button(tr('sg.settings.alert_to', { who: tr(alertKey[a]) }), { flow: 'sgset', verb: 'alert', args: [a] }),
            ),
          ],
          tone: 'neutral',
        },
      ],
    };
  };
  router
    .command({
      name: 'safeguarding',
      description: 'sg.command.safeguarding',
      roles: ['admin'],
      async handler(ctx) {
        return reply.private(settingsCard(ctx, await pulje.safeguarding.settings(actorOf(ctx), { groupId: ctx.conversation.groupId })));
      },
    })
    .alias('trivsel', 'safeguarding')
    .action({
      flow: 'sgset',
      verb: 'toggle',
      args: z.tuple([z.enum(['enabled', 'modelClassifier'])]),
      roles: ['admin'],
      async handler(ctx, { args: [field] }) {
        const before = await pulje.safeguarding.settings(actorOf(ctx), { groupId: ctx.conversation.groupId });
        const after = await pulje.safeguarding.update(actorOf(ctx), { groupId: ctx.conversation.groupId, [field]: !before[field] });
        return reply.update(settingsCard(ctx, after));
      },
    })
    .action({
      flow: 'sgset',
      verb: 'alert',
      args: z.tuple([z.enum(ALERT_TO)]),
      roles: ['admin'],
      async handler(ctx, { args: [alertTo] }) {
        const after = await pulje.safeguarding.update(actorOf(ctx), { groupId: ctx.conversation.groupId, alertTo });
        return reply.update(settingsCard(ctx, after));
      },
    });
}
