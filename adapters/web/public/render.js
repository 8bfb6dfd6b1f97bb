// Builds DOM for messages from the server's JSON. Only textContent and attributes are ever set from data, never
// innerHTML, so text written by members (and everything else) is shown literally.

/** el('p', { class: 'x', 'data-testid': 'y' }, child, 'text') */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function spans(list) {
  return list.map((s) => {
    const text = document.createTextNode(s.text);
    let node = text;
    if (s.code) node = el('code', {}, node);
    if (s.em) node = el('em', {}, node);
    if (s.strong) node = el('strong', {}, node);
    return node;
  });
}

function control(row, handlers) {
  if (row.kind === 'buttons') {
    return el(
      'div',
      { class: 'row', role: 'group' },
      row.buttons.map((b) =>
        el('button', {
          type: 'button',
          'data-testid': 'action-button',
          'data-action-id': b.id,
          'data-style': b.style,
          disabled: b.disabled,
          text: b.label,
          onclick: () => handlers.action(b.id, []),
        }),
      ),
    );
  }
  const s = row.select;
  const multiple = s.maxValues > 1;
  const select = el(
    'select',
    { 'data-testid': 'action-select', 'data-action-id': s.id, multiple, 'aria-label': s.placeholder || handlers.texts['form.submit'] },
    multiple ? [] : [el('option', { value: '', text: s.placeholder || '…', disabled: true, selected: !s.options.some((o) => o.selected) })],
    s.options.map((o) =>
      el('option', {
        value: o.value,
        selected: o.selected,
        title: o.description,
        text: o.description ? `${o.label} – ${o.description}` : o.label,
      }),
    ),
  );
  if (!multiple) {
    select.addEventListener('change', () => handlers.action(s.id, [select.value]));
    return el('div', { class: 'row' }, select);
  }
  const submit = el('button', {
    type: 'button',
    'data-testid': 'action-select-submit',
    text: handlers.texts['form.submit'],
    onclick: () => {
      const values = [...select.selectedOptions].map((o) => o.value);
      if (values.length >= s.minValues && values.length <= s.maxValues) handlers.action(s.id, values);
    },
  });
  return el('div', { class: 'row' }, select, submit);
}

/** Lists longer than this show their first SHOWN entries and a "show all" button (a phone screen is short). */
const COLLAPSE_OVER = 8;
const SHOWN = 5;

function fieldList(c, handlers) {
  if (!c.fields.length) return null;
  const items = c.fields.map((f) => el('div', { class: 'field-item' }, el('dt', { text: f.label }), el('dd', { text: f.value })));
  const list = el('dl', { 'data-testid': 'card-fields' }, items);
  if (items.length <= COLLAPSE_OVER) return list;
  for (const item of items.slice(SHOWN)) item.hidden = true;
  const more = el('button', {
    type: 'button',
    class: 'show-all',
    'data-testid': 'show-all',
    text: (handlers.texts.show_all ?? 'Show all ({count})').replace('{count}', String(items.length)),
    onclick: () => {
      for (const item of items) item.hidden = false;
      more.remove();
    },
  });
  return [list, more];
}

/** What was typed into a ballot's search box, per message and card: a redrawn ballot (after a tick) keeps it. */
const searches = new Map();

/** Text folded for searching: case, accents and Danish letters aside, so "cafe" finds "Café" and "ol" finds "Øl". */
export function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/ß/g, 'ss');
}

/**
 * Whether an idea is found by what was typed: every word somewhere in its title (with its number) or detail;
 * "#12" is idea number 12 exactly.
 */
export function matches(item, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const text = fold(`${item.title} ${item.detail}`);
  const number = /^#(\d+)/.exec(item.title)?.[1];
  return words.every((w) => (/^#\d+$/.test(w) ? w.slice(1) === number : text.includes(w)));
}

const fill = (text, values) => Object.entries(values).reduce((t, [k, v]) => t.replaceAll(`{${k}}`, String(v)), text ?? '');

/**
 * The search box above a long ballot: filters the list as one types (the ideas already chosen stay in sight),
 * and says how many match in a live region. Returns the box and a function applying the current search.
 */
function choiceSearch(list, items, key, ids, texts) {
  const total = list.items.length;
  const input = el('input', {
    type: 'search',
    id: ids.search,
    class: 'choice-search-input',
    'data-testid': 'choice-search',
    autocomplete: 'off',
    spellcheck: 'false',
    enterkeyhint: 'search',
    placeholder: texts['choices.hint'],
    'aria-controls': ids.list,
    'aria-describedby': ids.count,
    value: searches.get(key) ?? '',
  });
  const count = el('p', { class: 'choice-count', id: ids.count, 'data-testid': 'choice-count', role: 'status' });
  const clear = el('button', {
    type: 'button',
    class: 'choice-search-clear',
    'data-testid': 'choice-search-clear',
    text: texts['choices.clear'],
  });
  const apply = () => {
    const query = input.value.trim();
    if (query) searches.set(key, input.value);
    else searches.delete(key);
    let shown = 0;
    let kept = 0;
    list.items.forEach((item, i) => {
      const found = !query || matches(item, query);
      if (found) shown++;
      else if (item.chosen) kept++;
      items[i].hidden = !found && !item.chosen;
    });
    clear.hidden = !query;
    const parts = [
      !query
        ? fill(texts['choices.all'], { total })
        : shown
          ? fill(texts['choices.count'], { shown, total })
          : fill(texts['choices.none'], { total }),
    ];
    // "12 af 140 idéer. Dem, du har valgt, vises også."
    if (kept) parts.push(fill(texts['choices.kept'], { count: kept }));
    count.textContent = parts.map((p, i) => (i < parts.length - 1 && !/[.!?]$/.test(p) ? `${p}.` : p)).join(' ');
  };
  input.addEventListener('input', apply);
  clear.addEventListener('click', () => {
    input.value = '';
    apply();
    input.focus();
  });
  const box = el(
    'div',
    { class: 'choice-search' },
    el('div', { class: 'choice-search-top' }, el('label', { for: ids.search, text: texts['choices.search'] }), count),
    el('div', { class: 'choice-search-row' }, input, clear),
  );
  return { box, apply };
}

/**
 * A ballot as a native list: each idea with its own checkbox (or stepper, or rank button) next to its title,
 * cost and description, and the running total kept in sight while scrolling; a long list with a search box.
 */
function choiceList(c, handlers, key) {
  const list = c.choices;
  const press = (b) => () => handlers.action(b.id, []);
  const items = list.items.map((item) => {
    const text = [el('span', { class: 'choice-title', text: item.title }), el('span', { class: 'choice-detail', text: item.detail })];
    if (list.kind === 'toggle') {
      const b = item.buttons[0];
      return el(
        'li',
        { class: 'choice', 'data-testid': 'choice' },
        el(
          'label',
          {},
          el('input', { type: 'checkbox', checked: item.checked, disabled: b.disabled, 'data-action-id': b.id, onchange: press(b) }),
          el('span', { class: 'choice-text' }, text),
        ),
      );
    }
    // Steppers and rank buttons: the button's own words plus the idea, so each is clear when read alone.
    const buttons = item.buttons.map((b) =>
      el('button', {
        type: 'button',
        'data-action-id': b.id,
        'data-style': b.style,
        disabled: b.disabled,
        'aria-label': `${b.label}: ${item.title}`,
        text: b.label,
        onclick: press(b),
      }),
    );
    return el(
      'li',
      { class: 'choice', 'data-testid': 'choice' },
      el('span', { class: 'choice-text' }, text),
      el('span', { class: 'choice-state', text: item.state ?? '' }),
      el('span', { class: 'choice-buttons' }, buttons),
    );
  });
  const extra = list.buttons.map((b) =>
    el('button', { type: 'button', 'data-action-id': b.id, 'data-style': b.style, disabled: b.disabled, text: b.label, onclick: press(b) }),
  );
  const id = `choices-${key.replace(/[^\w-]/g, '_')}`;
  const ids = { list: `${id}-list`, search: `${id}-search`, count: `${id}-count` };
  const search = list.search ? choiceSearch(list, items, key, ids, handlers.texts) : null;
  search?.apply();
  return [
    el(
      'div',
      { class: 'choice-head' },
      el('p', { class: 'choice-summary', 'data-testid': 'choice-summary', role: 'status', text: list.summary }),
      search?.box,
    ),
    el('ul', { class: 'choices', id: ids.list, 'aria-label': c.title ?? '' }, items),
    extra.length ? el('div', { class: 'row' }, extra) : null,
  ];
}

function card(c, handlers, key) {
  // With a native choice list, the paged view of the same list (its fields, its buttons, "page 1 of 3") goes.
  const native = Boolean(c.choices);
  const rows = native
    ? c.rows
        .map((r) => (r.kind === 'buttons' ? { ...r, buttons: r.buttons.filter((b) => !b.list) } : r))
        .filter((r) => r.kind !== 'buttons' || r.buttons.length)
    : c.rows;
  return el(
    'section',
    { class: `card tone-${c.tone}`, 'data-testid': 'card' },
    c.title ? el('h3', { 'data-testid': 'card-title', text: c.title }) : null,
    c.body.length ? el('p', { class: 'body' }, spans(c.body)) : null,
    native ? choiceList(c, handlers, key) : fieldList(c, handlers),
    c.footer && !native ? el('p', { class: 'footer', text: c.footer }) : null,
    rows.map((r) => control(r, handlers)),
  );
}

/** One message as a list item; `handlers.action(actionId, values)` is called with the message id bound by the caller. */
export function renderMessage(m, handlers) {
  const texts = handlers.texts;
  const author = m.author === 'pulje' ? texts.bot : (m.authorName ?? '');
  const time = new Date(m.createdAt);
  const meta = el(
    'div',
    { class: 'meta' },
    el('span', { class: 'author', text: author }),
    el('time', {
      datetime: m.createdAt,
      // The group's clock, wherever the phone thinks it is (the server writes every time in Danish time too).
      text: time.toLocaleTimeString(document.documentElement.lang || undefined, {
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'Europe/Copenhagen',
      }),
    }),
    m.private ? el('span', { class: 'badge', 'data-testid': 'private-badge', text: texts.private }) : null,
    // One's own private cards change as one uses them (a ballot); "edited" is news only on what everyone sees.
    m.editedAt && !m.private ? el('span', { class: 'badge', text: texts.edited }) : null,
  );
  const content =
    m.author === 'member'
      ? [el('p', { class: 'text', text: m.text })]
      : [
          m.body.text.length ? el('p', { class: 'text' }, spans(m.body.text)) : null,
          m.body.cards.map((c, i) => card(c, handlers, `${m.id}-${i}`)),
        ];
  return el(
    'li',
    {
      class: `message ${m.author}${m.private ? ' private' : ''}`,
      'data-testid': 'message',
      'data-message-id': m.id,
      'data-author': m.author,
      'data-private': m.private ? 'true' : 'false',
    },
    meta,
    content,
  );
}
