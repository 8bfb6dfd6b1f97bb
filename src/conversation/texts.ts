import { defineCatalog } from '../i18n/catalog.ts';

export default defineCatalog({
  da: {
    'conversation.unknown_person': 'Jeg kender dig ikke endnu. Bed en voksen fra din gruppe om et invitationslink.',
    'conversation.unbound': 'Denne kanal er ikke koblet til en gruppe endnu.',
    'conversation.unknown_command': 'Kommandoen /{name} kender jeg ikke. Skriv /help for at se, hvad jeg kan.',
    'conversation.bad_control': 'den knap eller formular virker ikke længere – prøv kommandoen igen',
    'conversation.send_anyway': 'Send alligevel',
    'conversation.form_kept': 'Det, du skrev, er gemt: åbn formularen igen, så står det der.',
    'conversation.already_sent': 'Det er allerede sendt.',
    'conversation.draft_gone':
      'Den knap virker ikke længere: det, du skrev, er enten sendt, eller også er det ikke gemt mere. Åbn formularen igen, hvis det ikke er sendt.',
    'conversation.form_unavailable': 'Det tog for lang tid at åbne formularen. Prøv igen.',
    'conversation.dm_closed':
      'Jeg kunne ikke sende dig en kopi som privat besked, fordi du har slået private beskeder fra. Gem denne besked, eller tag et skærmbillede.',
    'command.help.description': 'Vis hvad jeg kan hjælpe med',
    'command.help.arg.command': 'kommando',
    'help.title': 'Det kan jeg hjælpe med',
    'help.intro': 'Skriv en kommando med / foran, fx /hjælp.',
    'help.none': 'Der er ingen kommandoer, du kan bruge her.',
  },
  en: {
    'conversation.unknown_person': "I don't know you yet. Ask an adult from your group for an invite link.",
    'conversation.unbound': 'This channel is not linked to a group yet.',
    'conversation.unknown_command': "I don't know the command /{name}. Type /help to see what I can do.",
    'conversation.bad_control': 'that button or form no longer works – please run the command again',
    'conversation.send_anyway': 'Send anyway',
    'conversation.form_kept': 'What you typed is kept: open the form again and it will be filled in.',
    'conversation.already_sent': 'That has already been sent.',
    'conversation.draft_gone':
      'That button no longer works: what you typed has either been sent or is no longer kept. Open the form again if it was not sent.',
    'conversation.form_unavailable': 'Opening the form took too long. Please try again.',
    'conversation.dm_closed':
      "I couldn't send you a copy as a direct message because your direct messages are turned off. Keep this message, or take a screenshot.",
    'command.help.description': 'Show what I can help with',
    'command.help.arg.command': 'command',
    'help.title': 'What I can help with',
    'help.intro': 'Type a command starting with /, e.g. /help.',
    'help.none': 'There are no commands you can use here.',
  },
});
