import { defineCatalog } from '../../i18n/catalog.ts';

export default defineCatalog({
  da: {
    'flow.command.bind': 'Kobl kanalen til en gruppe (for voksne)',
    'flow.arg.group': 'gruppenavn',
    'flow.issue.no_such_group': 'du er ikke voksen i en gruppe, der hedder "{name}"',
    'flow.bind.title': 'Kobl kanalen til en gruppe',
    'flow.bind.intro': 'Vælg den gruppe, kanalen hører til. Så kan gruppen bruge Pulje her.',
    'flow.bind.intro_admin': 'Vælg den gruppe, kanalen hører til – eller opret en ny gruppe til den.',
    'flow.bind.pick': 'Vælg en gruppe',
    'flow.bind.new': 'Opret ny gruppe',
    'flow.bind.name': 'Gruppens navn',
    'flow.bind.already': 'Kanalen er allerede koblet til {group}.',
    'flow.bind.done': 'Kanalen er koblet til {group}.',
    'flow.bind.welcome_title': 'Hej, {group}! 👋',
    'flow.arg.staff_role': 'rolle for voksne',
    'flow.bind.staff_role_set':
      'Dem med den rolle, du valgte, kommer med som voksne første gang, de bruger Pulje her. Alle andre kommer med som unge.',
    'flow.bind.welcome':
      'Jeg er Pulje. Her kan I komme med idéer til, hvad jeres penge skal bruges på, og stemme om dem – hemmeligt. Skriv /hjælp for at se, hvad jeg kan.',
  },
  en: {
    'flow.command.bind': 'Link this channel to a group (for staff)',
    'flow.arg.group': 'group name',
    'flow.issue.no_such_group': 'you are not staff in a group called "{name}"',
    'flow.bind.title': 'Link this channel to a group',
    'flow.bind.intro': 'Pick the group this channel belongs to. Then the group can use Pulje here.',
    'flow.bind.intro_admin': 'Pick the group this channel belongs to – or create a new group for it.',
    'flow.bind.pick': 'Pick a group',
    'flow.bind.new': 'Create a new group',
    'flow.bind.name': 'Name of the group',
    'flow.bind.already': 'This channel is already linked to {group}.',
    'flow.bind.done': 'This channel is now linked to {group}.',
    'flow.bind.welcome_title': 'Hi, {group}! 👋',
    'flow.arg.staff_role': 'staff role',
    'flow.bind.staff_role_set':
      'People with the role you chose join as staff the first time they use Pulje here. Everyone else joins as a young person.',
    'flow.bind.welcome':
      'I’m Pulje. Here you can share ideas for what your money should go to, and vote on them – in secret. Type /help to see what I can do.',
  },
});
