import { z } from 'zod';
import { PuljeError } from '../core/errors.ts';
import { reply, type Card, type Control, type Reply } from '../conversation/outbound.ts';
import type { PersonContext, Router } from '../conversation/router.ts';
import { t } from '../i18n/index.ts';
import type { GroupView, Pulje } from '../usecases/index.ts';
import { ADMIN, STAFF, forbidden } from '../domain/roles.ts';
import { actorOf, button } from './common.ts';

/**
 * `/bind [name] [staffrole]` in a Discord or Slack channel that is not linked yet: staff link it to a group they
 * staff (by name, or from a list), and admins may create a new group for it. Web-chat rooms are made per group
 * already. `staffrole` (a Discord role, by id) is whose holders join as staff here; in a linked channel, staff of
 * its group may give it again to change it.
 */
const FLOW = 'bind';
/** The staff role chosen with /bind, carried through the group list and the new-group form. */
const roleArgs = z.array(z.string().min(1).max(64)).max(1);

interface Options {
  /** Groups the person staffs or runs. */
  staffed: GroupView[];
  /** An organisation where they are an admin (creating groups is an admin's call). */
  adminOrg: string | null;
}

export function registerBind(router: Router, pulje: Pulje): void {
  async function options(ctx: PersonContext): Promise<Options> {
    const groups = await pulje.setup.groups(actorOf(ctx));
    const staffed = groups.filter((g) => g.role === 'staff' || g.role === 'admin').map((g) => g.group);
    const adminOrg = groups.find((g) => g.role === 'admin')?.group.organisationId ?? null;
    if (!staffed.length) throw forbidden(STAFF);
    return { staffed, adminOrg };
  }

  function alreadyBound(ctx: PersonContext): Reply | undefined {
    return ctx.conversation ? reply.private(ctx.t('flow.bind.already', { group: ctx.conversation.groupName })) : undefined;
  }

  async function bind(ctx: PersonContext, group: GroupView, staffRoleId: string | undefined): Promise<Reply[]> {
    const { platform, channelId } = ctx.event.conversation;
    await pulje.setup.bindConversation(actorOf(ctx), { groupId: group.id, platform, channelId, ...(staffRoleId ? { staffRoleId } : {}) });
    // The welcome is for the whole group, in the group's language.
    const welcome: Card = {
      title: t(group.locale, 'flow.bind.welcome_title', { group: group.name }),
      body: t(group.locale, 'flow.bind.welcome'),
      tone: 'success',
    };
    return [reply.public({ cards: [welcome] }), ...(staffRoleId ? [reply.private(ctx.t('flow.bind.staff_role_set'))] : [])];
  }

  /** In a linked channel: staff of its group may name another staff role; anyone else hears it is linked. */
  async function alreadyBoundOrRole(ctx: PersonContext, staffRoleId: string | undefined): Promise<Reply | undefined> {
    const bound = alreadyBound(ctx);
    if (!bound || !staffRoleId || !ctx.conversation) return bound;
    const { platform, channelId } = ctx.event.conversation;
    await pulje.setup.bindConversation(actorOf(ctx), { groupId: ctx.conversation.groupId, platform, channelId, staffRoleId });
    return reply.private(ctx.t('flow.bind.staff_role_set'));
  }

  async function create(ctx: PersonContext, organisationId: string, name: string, staffRoleId: string | undefined): Promise<Reply[]> {
    const group = await pulje.setup.createGroup(actorOf(ctx), { organisationId, name, locale: ctx.locale });
    return bind(ctx, group, staffRoleId);
  }

  function chooseCard(ctx: PersonContext, o: Options, staffRoleId: string | undefined): Card {
    const carried = staffRoleId ? [staffRoleId] : [];
    const controls: Control[] = [
      {
        kind: 'select',
        action: { flow: FLOW, verb: 'group', args: carried },
        placeholder: ctx.t('flow.bind.pick'),
        options: o.staffed.map((g) => ({ value: g.id, label: g.name })),
      },
    ];
    if (o.adminOrg) controls.push(button(ctx.t('flow.bind.new'), { flow: FLOW, verb: 'new', args: carried }, 'primary'));
    return {
      title: ctx.t('flow.bind.title'),
      body: ctx.t(o.adminOrg ? 'flow.bind.intro_admin' : 'flow.bind.intro'),
      controls,
      tone: 'info',
    };
  }

  router
    .command({
      name: 'bind',
      description: 'flow.command.bind',
      args: [
        {
          name: 'name',
          hint: 'flow.arg.group',
          // The groups this person staffs; an admin may also type a new name.
          async complete(ctx, { partial }) {
            const wanted = partial.trim().toLocaleLowerCase();
            const groups = await pulje.setup.groups(actorOf(ctx));
            return groups
              .filter((g) => (g.role === 'staff' || g.role === 'admin') && g.group.name.toLocaleLowerCase().includes(wanted))
              .slice(0, 25)
              .map((g) => ({ label: g.group.name, value: g.group.name }));
          },
        },
        { name: 'staffrole', hint: 'flow.arg.staff_role', kind: 'role' },
      ],
      // Open to anyone known, so it shows in /help where nothing is bound yet; the handler asks for staff.
      requires: 'person',
      async handler(ctx, { args }) {
        const staffRoleId = args.staffrole?.trim() || undefined;
        const bound = await alreadyBoundOrRole(ctx, staffRoleId);
        if (bound) return bound;
        const o = await options(ctx);
        const name = args.name?.trim();
        if (!name) return reply.private({ cards: [chooseCard(ctx, o, staffRoleId)] });
        const match = o.staffed.find((g) => g.name.trim().toLocaleLowerCase() === name.toLocaleLowerCase());
        if (match) return bind(ctx, match, staffRoleId);
        if (o.adminOrg) return create(ctx, o.adminOrg, name, staffRoleId);
        throw new PuljeError('invalid_input', {}, [{ key: 'flow.issue.no_such_group', params: { name } }]);
      },
    })
    .alias('kobl', 'bind')
    .action({
      flow: FLOW,
      verb: 'group',
      args: roleArgs,
      requires: 'person',
      async handler(ctx, { args: [staffRoleId], values }) {
        const bound = alreadyBound(ctx);
        if (bound) return bound;
        const o = await options(ctx);
        const group = o.staffed.find((g) => g.id === values[0]);
        if (!group || values.length !== 1) throw forbidden(STAFF);
        return [reply.update(ctx.t('flow.bind.done', { group: group.name })), ...(await bind(ctx, group, staffRoleId))];
      },
    })
    .action({
      flow: FLOW,
      verb: 'new',
      args: roleArgs,
      requires: 'person',
      async handler(ctx, { args }) {
        const bound = alreadyBound(ctx);
        if (bound) return bound;
        const o = await options(ctx);
        if (!o.adminOrg) throw forbidden(ADMIN);
        return reply.form({
          action: { flow: FLOW, verb: 'new', args },
          title: ctx.t('flow.bind.new'),
          inputs: [{ name: 'name', label: ctx.t('flow.bind.name'), kind: 'short', required: true, maxLength: 120 }],
          submitLabel: ctx.t('flow.save'),
        });
      },
    })
    .form({
      flow: FLOW,
      verb: 'new',
      args: roleArgs,
      requires: 'person',
      async handler(ctx, { args: [staffRoleId], fields }) {
        const bound = alreadyBound(ctx);
        if (bound) return bound;
        const o = await options(ctx);
        if (!o.adminOrg) throw forbidden(ADMIN);
        return create(ctx, o.adminOrg, fields.name ?? '', staffRoleId);
      },
    });
}
