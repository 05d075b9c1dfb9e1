// Tiny DOM helpers: no framework, just elements.

/**
 * Creates an element. `props`: `class`, `testid` (data-testid), `on<event>` handlers,
 * `style` objects, DOM properties (value, checked, disabled, textContent...) and attributes.
 * Children may be strings, nodes, arrays, or null/false (skipped).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value == null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'testid') el.dataset.testid = value;
      else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (PROPERTIES.has(key)) el[key] = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

const PROPERTIES = new Set([
  'value', 'checked', 'disabled', 'textContent', 'htmlFor', 'selected', 'hidden', 'open',
  'readOnly', 'required', 'multiple', 'spellcheck', 'title', 'type', 'name', 'placeholder', 'id',
]);

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false || child === true) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replaces every child of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const ICONS = {
  play: '<path d="M5 3.5v9l7.5-4.5z" fill="currentColor"/>',
  stop: '<rect x="4" y="4" width="8" height="8" rx="1.2" fill="currentColor"/>',
  scale: '<path d="M2.5 13.5h11M4.5 11V7.5M8 11V4.5M11.5 11V2.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" fill="none"/>',
  trash: '<path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.2c.05.7.6 1.3 1.3 1.3h3.2c.7 0 1.25-.6 1.3-1.3l.6-8.2" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round" fill="none"/>',
  copy: '<rect x="5.5" y="5.5" width="8" height="8" rx="1.5" stroke="currentColor" stroke-width="1.4" fill="none"/><path d="M10.5 3.5v-.5A1.5 1.5 0 0 0 9 1.5H4A1.5 1.5 0 0 0 2.5 3v5A1.5 1.5 0 0 0 4 9.5h.5" stroke="currentColor" stroke-width="1.4" fill="none"/>',
  check: '<path d="M3 8.5l3.2 3L13 4.5" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" fill="none"/>',
  plus: '<path d="M8 3v10M3 8h10" stroke="currentColor" stroke-width="1.7" stroke-linecap="round"/>',
  x: '<path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
  refresh: '<path d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v3h-3" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" fill="none"/>',
  back: '<path d="M10 3L5 8l5 5" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" fill="none"/>',
  search: '<circle cx="7" cy="7" r="4.2" stroke="currentColor" stroke-width="1.5" fill="none"/><path d="M10.2 10.2L13.5 13.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
  alert: '<path d="M8 1.8L15 14H1z" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round" fill="none"/><path d="M8 6.2v3.6" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/><circle cx="8" cy="11.9" r=".9" fill="currentColor"/>',
  info: '<circle cx="8" cy="8" r="6.3" stroke="currentColor" stroke-width="1.4" fill="none"/><path d="M8 7.2v4" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/><circle cx="8" cy="4.9" r=".9" fill="currentColor"/>',
  send: '<path d="M2 8l11.5-5.5L9 14l-1.6-4.4z" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round" fill="none"/>',
  chevronDown: '<path d="M4 6l4 4 4-4" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" fill="none"/>',
  settings: '<circle cx="8" cy="8" r="2.2" stroke="currentColor" stroke-width="1.4" fill="none"/><path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/>',
};

/** A 16x16 inline icon (static markup from the table above). */
export function icon(name, extraClass = '') {
  const span = document.createElement('span');
  span.className = `icon ${extraClass}`.trim();
  span.setAttribute('aria-hidden', 'true');
  span.innerHTML = `<svg viewBox="0 0 16 16" width="16" height="16">${ICONS[name] ?? ''}</svg>`;
  return span;
}

/** Copies text to the clipboard, briefly showing a check on the button. */
export function copyButton(text, label = 'Copy') {
  const button = h('button', {
    type: 'button', class: 'icon-button copy-button', title: label, 'aria-label': label, testid: 'copy',
  }, icon('copy'));
  button.addEventListener('click', async (event) => {
    event.preventDefault();
    event.stopPropagation();
    try {
      await navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
      replace(button, icon('check'));
      button.classList.add('copied');
      setTimeout(() => { replace(button, icon('copy')); button.classList.remove('copied'); }, 1200);
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): nothing to do.
    }
  });
  return button;
}

/** Runs `fn` every `ms` after each completion until `signal` aborts. */
export function every(ms, fn, signal) {
  let timer;
  const loop = async () => {
    if (signal.aborted) return;
    try { await fn(); } finally {
      if (!signal.aborted) timer = setTimeout(loop, ms);
    }
  };
  signal.addEventListener('abort', () => clearTimeout(timer));
  timer = setTimeout(loop, ms);
}
