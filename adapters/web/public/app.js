import { el, renderMessage } from './render.js';

const $ = (sel) => document.querySelector(sel);
const state = { me: null, texts: {}, room: null, messages: new Map(), lastSeq: 0, commands: [], stream: null, hint: -1, form: null };

async function api(path, options = {}) {
  let res;
  try {
    res = await fetch(path, {
      ...options,
      credentials: 'same-origin',
      headers: options.body ? { 'content-type': 'application/json' } : {},
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
  } catch {
    // The browser's own words ("Failed to fetch") are English and say nothing about what to do.
    throw Object.assign(new Error(state.texts['error.network'] ?? 'Pulje cannot be reached. Try again in a moment.'), { code: 'network' });
  }
  if (res.status === 401) {
    location.href = '/signin';
    throw new Error('signed out');
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok)
    throw Object.assign(new Error(json.error?.message ?? state.texts['error.network'] ?? res.statusText), { code: json.error?.code });
  return json;
}

function applyTexts() {
  for (const node of document.querySelectorAll('[data-text]')) {
    const text = state.texts[node.dataset.text];
    if (!text) continue;
    if (node.classList.contains('menu-toggle')) node.setAttribute('aria-label', text);
    else node.textContent = text;
  }
  $('[data-testid="composer-input"]').placeholder = state.texts['composer.placeholder'] ?? '';
  $('[data-testid="form-submit"]').textContent = state.texts['form.submit'] ?? '';
}

// ---- messages ---------------------------------------------------------------------------------------------

const atBottom = (scroller) => scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 40;

/**
 * Shows a message, new or changed. `mine`: it answers what this person just did, so it is brought into view.
 * Otherwise a new message keeps the view at the bottom if it was there; someone reading further up is not
 * moved, and gets the "new messages" marker instead.
 */
function upsert(m, { mine = false } = {}) {
  state.messages.set(m.id, m);
  state.lastSeq = Math.max(state.lastSeq, m.seq);
  const list = $('[data-testid="message-list"]');
  const scroller = $('[data-testid="message-scroll"]');
  const node = renderMessage(m, { texts: state.texts, action: (actionId, values) => pressed(m.id, actionId, values) });
  const old = list.querySelector(`[data-message-id="${CSS.escape(m.id)}"]`);
  if (old) {
    // A redrawn card (a ballot after a tick) keeps the keyboard where it was: on the control at the same place.
    const focusable = (root) => [...root.querySelectorAll('button, select, input, textarea')];
    const at = focusable(old).indexOf(document.activeElement);
    old.replaceWith(node);
    if (at >= 0) {
      const controls = focusable(node);
      controls[Math.min(at, controls.length - 1)]?.focus();
    }
    if (mine && at < 0) node.scrollIntoView({ block: 'nearest' });
  } else {
    const stick = atBottom(scroller);
    // Keep arrival order even when a replayed message comes in late.
    const after = [...list.children].find((li) => (state.messages.get(li.dataset.messageId)?.seq ?? 0) > m.seq);
    list.insertBefore(node, after ?? null);
    if (mine) node.scrollIntoView({ block: node.offsetHeight > scroller.clientHeight ? 'start' : 'nearest' });
    else if (stick) scroller.scrollTop = scroller.scrollHeight;
    // Someone else's message; one's own private answers come from one's own acts.
    else if (!after && !m.private && m.authorId !== state.me?.id) $('[data-testid="new-messages"]').hidden = false;
  }
  $('[data-testid="no-messages"]').hidden = state.messages.size > 0;
}

/** Shows what a request answered; a form opened by a button remembers that button's message. */
function received(result, sourceMessageId) {
  for (const m of result.messages ?? []) upsert(m, { mine: true });
  const form = result.forms?.[0];
  if (form) openForm(form, sourceMessageId);
}

async function pressed(messageId, actionId, values) {
  try {
    received(
      await api(`/api/conversations/${state.room.id}/actions`, {
        method: 'POST',
        body: { messageId, actionId, values, idempotencyKey: crypto.randomUUID() },
      }),
      messageId,
    );
  } catch (e) {
    notice(e.message);
  }
}

function notice(text) {
  upsert(
    {
      id: `local-${crypto.randomUUID()}`,
      seq: state.lastSeq + 0.5,
      author: 'pulje',
      private: true,
      createdAt: new Date().toISOString(),
      editedAt: null,
      body: { text: [{ text }], cards: [] },
    },
    { mine: true },
  );
}

// ---- rooms and live updates -------------------------------------------------------------------------------

async function openRoom(room) {
  state.room = room;
  state.messages.clear();
  state.lastSeq = 0;
  $('[data-testid="message-list"]').replaceChildren();
  $('[data-testid="room-title"]').textContent = room.groupName;
  for (const a of document.querySelectorAll('[data-testid="conversation-item"] a')) {
    if (a.dataset.conversationId === room.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  // The page speaks the person's language; the group's public cards may be in the group's.
  document.documentElement.lang = state.locale;
  history.replaceState(null, '', `#c=${room.id}`);
  $('.app').classList.remove('menu-open');
  const [{ messages }, { commands }] = await Promise.all([
    api(`/api/conversations/${room.id}/messages?limit=200`),
    api(`/api/conversations/${room.id}/commands`),
  ]);
  state.commands = commands;
  // The first time here: what is going on and what to do next, instead of an empty room.
  api(`/api/conversations/${room.id}/welcome`, { method: 'POST' })
    .then((result) => state.room === room && received(result))
    .catch(() => {});
  for (const m of messages) upsert(m);
  const scroller = $('[data-testid="message-scroll"]');
  scroller.scrollTop = scroller.scrollHeight;
  $('[data-testid="no-messages"]').hidden = messages.length > 0;
  listen();
  $('[data-testid="composer-input"]').focus();
}

/**
 * The live stream. The browser reconnects by itself after a dropped connection (asking for what came after the
 * last message it saw); when it gives up (the server answered with an error while restarting), a new stream is
 * started after a pause that grows to 30 s, from the last message shown, so nothing said meanwhile is missed.
 */
function listen(attempt = 0) {
  state.stream?.close();
  clearTimeout(state.retry);
  const room = state.room;
  const stream = new EventSource(`/api/conversations/${room.id}/events?after=${Math.floor(state.lastSeq)}`);
  stream.addEventListener('message', (e) => upsert(JSON.parse(e.data)));
  stream.addEventListener('open', () => {
    attempt = 0;
    $('[data-testid="offline"]').hidden = true;
  });
  stream.addEventListener('error', () => {
    $('[data-testid="offline"]').hidden = false;
    if (stream.readyState === EventSource.CLOSED && state.room === room) {
      state.retry = setTimeout(() => listen(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
    }
  });
  state.stream = stream;
}

// ---- composer with command hints --------------------------------------------------------------------------

function matchingCommands(text) {
  const m = /^\/(\S*)$/.exec(text);
  if (!m) return [];
  // In Danish, the Danish names first ("/stem"); the English ones work too.
  const typed = m[1].toLowerCase();
  return state.commands.filter((c) => (c.localName ?? c.name).startsWith(typed) || c.name.startsWith(typed));
}

function showHints() {
  const input = $('[data-testid="composer-input"]');
  const list = $('[data-testid="command-hints"]');
  const matches = matchingCommands(input.value);
  state.hint = matches.length ? Math.min(Math.max(state.hint, 0), matches.length - 1) : -1;
  list.replaceChildren(
    ...matches.map((c, i) =>
      el(
        'li',
        {
          id: `hint-${i}`,
          role: 'option',
          'aria-selected': i === state.hint ? 'true' : 'false',
          'data-testid': 'command-hint',
          'data-command': c.name,
          onmousedown: (e) => {
            e.preventDefault();
            choose(c);
          },
        },
        el('span', { class: 'usage', text: `/${c.localName ? c.usage.replace(c.name, c.localName) : c.usage}` }),
        el('span', { class: 'desc', text: c.description }),
      ),
    ),
  );
  list.hidden = matches.length === 0;
  if (state.hint >= 0) input.setAttribute('aria-activedescendant', `hint-${state.hint}`);
  else input.removeAttribute('aria-activedescendant');
}

/** Whether the composer already holds exactly this command, by either of its names. */
const typedIn = (command, text) => text === `/${command.name}` || (command.localName && text === `/${command.localName}`);

function choose(command) {
  const input = $('[data-testid="composer-input"]');
  input.value = `/${command.localName ?? command.name}${command.args.length ? ' ' : ''}`;
  state.hint = -1;
  showHints();
  input.focus();
}

async function send({ confirmPersonalData = false } = {}) {
  const input = $('[data-testid="composer-input"]');
  const text = input.value.trim();
  if (!text || !state.room) return;
  input.value = '';
  showHints();
  $('[data-testid="send-warning"]').hidden = true;
  try {
    const body = { text, idempotencyKey: crypto.randomUUID(), ...(confirmPersonalData ? { confirmPersonalData } : {}) };
    const result = await api(`/api/conversations/${state.room.id}/messages`, { method: 'POST', body });
    if (result.warning) {
      // Nothing was posted: the text goes back, and the person chooses.
      input.value = text;
      $('[data-testid="send-warning-text"]').textContent = result.warning.message;
      $('[data-testid="send-warning"]').hidden = false;
      $('[data-testid="send-warning-edit"]').focus();
      return;
    }
    received(result);
    // A new language: the page's own words change too.
    if (/^\/(sprog|language)\s/i.test(text) && result.messages?.some((m) => m.author === 'pulje')) location.reload();
  } catch (e) {
    input.value = text;
    notice(e.message);
  }
}

function composer() {
  const input = $('[data-testid="composer-input"]');
  $('[data-testid="send-warning-edit"]').addEventListener('click', () => {
    $('[data-testid="send-warning"]').hidden = true;
    input.focus();
  });
  $('[data-testid="send-warning-send"]').addEventListener('click', () => void send({ confirmPersonalData: true }));
  input.addEventListener('input', () => {
    state.hint = 0;
    showHints();
  });
  input.addEventListener('keydown', (e) => {
    const matches = matchingCommands(input.value);
    if (matches.length && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      state.hint = (state.hint + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      showHints();
    } else if (
      matches.length &&
      (e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey && state.hint >= 0 && !typedIn(matches[state.hint], input.value.trim())))
    ) {
      e.preventDefault();
      choose(matches[state.hint] ?? matches[0]);
    } else if (e.key === 'Escape') {
      $('[data-testid="command-hints"]').hidden = true;
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  });
  $('[data-testid="composer"]').addEventListener('submit', (e) => {
    e.preventDefault();
    void send();
  });
}

// ---- forms ------------------------------------------------------------------------------------------------

/** What was typed into a form that was closed without sending, per form id: reopening the same form brings it back. */
const formDrafts = new Map();

function formValues(form) {
  const dialog = $('[data-testid="form-dialog"]');
  return Object.fromEntries(form.inputs.map((i) => [i.name, dialog.querySelector(`[name="${CSS.escape(i.name)}"]`).value]));
}

function openForm(form, messageId) {
  const dialog = $('[data-testid="form-dialog"]');
  state.form = { form, messageId };
  const draft = formDrafts.get(form.id) ?? {};
  $('[data-testid="form-title"]').textContent = form.title;
  $('[data-testid="form-submit"]').textContent = form.submitLabel ?? state.texts['form.submit'];
  $('[data-testid="form-error"]').hidden = true;
  dialog.querySelector('[data-testid="form-confirm"]')?.remove();
  $('[data-testid="form-inputs"]').replaceChildren(
    ...form.inputs.map((input) => {
      const id = `form-input-${input.name}`;
      const value = draft[input.name] ?? input.initial ?? '';
      const attrs = {
        id,
        name: input.name,
        required: input.required,
        maxlength: input.maxLength,
        minlength: input.minLength,
        placeholder: input.placeholder,
        'data-testid': `form-input-${input.name}`,
      };
      const field =
        input.kind === 'long'
          ? el('textarea', { ...attrs, text: value })
          : el('input', { ...attrs, type: 'text', inputmode: input.kind === 'number' ? 'decimal' : undefined, value });
      const error = el('p', { class: 'field-error', id: `${id}-error`, 'data-testid': `form-error-${input.name}`, hidden: true });
      return el('div', { class: 'field' }, el('label', { for: id, text: input.label }), field, error);
    }),
  );
  dialog.showModal();
}

/** Shows a refusal inside the open form: next to each input it is about, the rest above the buttons. */
function showFormError(error) {
  const dialog = $('[data-testid="form-dialog"]');
  let first = null;
  for (const { name } of state.form.form.inputs) {
    const field = dialog.querySelector(`[name="${CSS.escape(name)}"]`);
    const box = dialog.querySelector(`#form-input-${CSS.escape(name)}-error`);
    const text = error.fields?.[name];
    box.textContent = text ?? '';
    box.hidden = !text;
    if (text) {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', box.id);
      first ??= field;
    } else {
      field.removeAttribute('aria-invalid');
      field.removeAttribute('aria-describedby');
    }
  }
  // Only a second look (personal data): the same form may be sent as it is.
  const again = dialog.querySelector('[data-testid="form-confirm"]');
  again?.remove();
  if (error.confirm) {
    const button = el('button', { type: 'button', 'data-testid': 'form-confirm', text: error.confirm.label });
    button.addEventListener('click', () => void submitForm({ [error.confirm.field]: error.confirm.value }));
    dialog.querySelector('.form-buttons').prepend(button);
  }
  const box = $('[data-testid="form-error"]');
  // Said once: when every part is next to its input, the summary would only repeat it.
  box.textContent = first ? (state.texts['form.fix'] ?? error.message) : error.message;
  box.hidden = false;
  (first ?? dialog.querySelector('input, textarea'))?.focus();
}

function forms() {
  const dialog = $('[data-testid="form-dialog"]');
  $('[data-testid="form-cancel"]').addEventListener('click', () => dialog.close());
  // However the form is closed without sending (Cancel, Escape), what was typed is kept for next time.
  dialog.addEventListener('close', () => {
    if (state.form && !state.form.sent) formDrafts.set(state.form.form.id, formValues(state.form.form));
  });
  $('[data-testid="form"]').addEventListener('submit', (e) => {
    e.preventDefault();
    void submitForm();
  });
}

/** Sends the open form; `extra`: hidden answers (the "send anyway" of the personal-data warning). */
async function submitForm(extra = {}) {
  const dialog = $('[data-testid="form-dialog"]');
  const { form, messageId } = state.form;
  const fields = { ...formValues(form), ...extra };
  try {
    const result = await api(`/api/conversations/${state.room.id}/forms`, {
      method: 'POST',
      body: { formId: form.id, fields, messageId, idempotencyKey: crypto.randomUUID() },
    });
    if (result.formError) {
      showFormError(result.formError);
      return;
    }
    state.form.sent = true;
    formDrafts.delete(form.id);
    dialog.close();
    received(result);
  } catch (err) {
    showFormError({ message: err.message, fields: {} });
  }
}

// ---- start ------------------------------------------------------------------------------------------------

async function start() {
  const me = await api('/api/me');
  state.me = me.person;
  state.texts = me.texts;
  state.locale = me.locale;
  document.documentElement.lang = me.locale;
  applyTexts();
  $('[data-testid="me"]').textContent = (state.texts.signed_in_as ?? '{name}').replace('{name}', me.person.displayName);
  const list = $('[data-testid="conversation-list"]');
  list.replaceChildren(
    ...me.conversations.map((c) =>
      el(
        'li',
        { 'data-testid': 'conversation-item' },
        el('a', {
          href: `#c=${c.id}`,
          'data-conversation-id': c.id,
          text: c.groupName,
          onclick: (e) => {
            e.preventDefault();
            void openRoom(c);
          },
        }),
      ),
    ),
  );
  $('[data-testid="no-conversations"]').hidden = me.conversations.length > 0;
  $('[data-testid="menu-toggle"]').addEventListener('click', () => {
    const open = $('.app').classList.toggle('menu-open');
    $('[data-testid="menu-toggle"]').setAttribute('aria-expanded', String(open));
  });
  $('[data-testid="signout"]').addEventListener('click', async () => {
    await api('/api/session', { method: 'DELETE' });
    location.href = '/signin';
  });
  const scroller = $('[data-testid="message-scroll"]');
  const marker = $('[data-testid="new-messages"]');
  scroller.addEventListener('scroll', () => {
    if (atBottom(scroller)) marker.hidden = true;
  });
  marker.addEventListener('click', () => {
    scroller.scrollTop = scroller.scrollHeight;
    marker.hidden = true;
  });
  const language = $('[data-testid="language-choice"]');
  language.value = me.locale;
  language.addEventListener('change', async () => {
    try {
      await api('/api/me/language', { method: 'POST', body: { locale: language.value } });
      location.reload();
    } catch (e) {
      notice(e.message);
    }
  });
  composer();
  forms();
  const wanted = /#c=([\w-]+)/.exec(location.hash)?.[1];
  const room = me.conversations.find((c) => c.id === wanted) ?? me.conversations[0];
  if (room) await openRoom(room);
}

start().catch((e) => console.error(e));
