// A small element builder: h('td', {class: 'num'}, text, child...). Strings become text nodes,
// so object fields are never parsed as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A table with a header row, or a muted line when there are no rows. */
export function table(columns, rows, emptyText = 'None') {
  if (rows.length === 0) return h('p', { class: 'empty' }, emptyText);
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))),
    h('tbody', {}, rows));
}

export function panel(title, ...children) {
  return h('section', { class: 'panel', 'data-panel': title }, h('h2', {}, title), ...children);
}

export function badge(text, tone) {
  return h('span', { class: `status ${tone || ''}` }, text);
}

/** Replaces el's children, keeping el itself (and so its place and listeners). */
export function replace(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
}

/** Calls render at most once per frame, however often the data changes. */
export function throttled(render) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
  };
}
