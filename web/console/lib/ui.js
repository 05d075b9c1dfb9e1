// Shared pieces of the interface: status badges, toasts, confirmation dialogs, empty states.
import { h, icon, replace } from './dom.js';
import { describe, detail, fieldErrors, isAbort } from './errors.js';

const TONES = {
  RUNNING: 'green', SUCCESS: 'green',
  INITIALIZING: 'blue', INITIALIZE: 'blue', PROCESSING: 'blue',
  STOPPING: 'amber', TERMINATING: 'amber',
  STOPPED: 'grey', TERMINATED: 'grey', INIT: 'grey',
  FAILED: 'red', MAX_RETRIES_EXCEEDED: 'red',
  DELIVERED: 'teal',
};
const BUSY = new Set(['INITIALIZING', 'INITIALIZE', 'PROCESSING', 'STOPPING', 'TERMINATING']);

/** A coloured status badge; `data-status` carries the raw value for tests and styling. */
export function badge(status, testid = 'status-badge') {
  const value = status ?? 'UNKNOWN';
  const tone = TONES[value] ?? 'grey';
  return h('span', {
    class: `badge badge-${tone}${BUSY.has(value) ? ' badge-busy' : ''}`,
    testid, 'data-status': value, title: value,
  }, h('span', { class: 'badge-dot' }), value.replaceAll('_', ' '));
}

/** Updates a badge in place (keeps layout stable during auto-refresh). */
export function setBadge(container, status, testid) {
  const current = container.querySelector('.badge');
  if (current?.dataset.status === status) return;
  replace(container, badge(status, testid));
}

export function modePill(mode) {
  return mode ? h('span', { class: `pill pill-${String(mode).toLowerCase()}`, testid: 'service-mode' }, mode) : '—';
}

// ---------------------------------------------------------------------------------------------
// Toasts

export function toast(message, { tone = 'success', timeout = tone === 'error' ? 9000 : 3500, detail: more } = {}) {
  const region = document.getElementById('toasts');
  const close = h('button', { type: 'button', class: 'icon-button toast-close', 'aria-label': 'Dismiss' }, icon('x'));
  const el = h('div', { class: `toast toast-${tone}`, role: tone === 'error' ? 'alert' : 'status', testid: `toast-${tone}` },
    icon(tone === 'error' ? 'alert' : tone === 'info' ? 'info' : 'check', 'toast-icon'),
    h('div', { class: 'toast-body' }, h('div', { class: 'toast-text', testid: 'toast-text' }, message),
      more ? h('div', { class: 'toast-detail' }, more) : null),
    close);
  const remove = () => {
    el.classList.add('leaving');
    setTimeout(() => el.remove(), 180);
  };
  close.addEventListener('click', remove);
  region.append(el);
  if (timeout) setTimeout(remove, timeout);
  return el;
}

// ---------------------------------------------------------------------------------------------
// Confirmation dialog

/**
 * Opens a modal confirmation. `action(value)` runs on confirm with the dialog kept open (its
 * button shows progress); if it throws, the error is shown in the dialog in words, next to the
 * input for a validation error. Resolves to the action's result, or `undefined` when cancelled.
 *
 * options: { title, message, confirmLabel, tone: 'danger'|'primary', input: { label, value,
 *   min, field, hint }, action }
 */
export function confirmDialog(options) {
  const { title, message, confirmLabel = 'Confirm', tone = 'primary', input, action } = options;
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog', testid: 'confirm-dialog', 'aria-labelledby': 'dialog-title' });
    const errorBox = h('div', { class: 'dialog-error', role: 'alert', testid: 'dialog-error', hidden: true });
    let field = null;
    let fieldError = null;
    if (input) {
      field = h('input', {
        class: 'input', type: 'number', min: input.min ?? 0, step: 1, value: String(input.value ?? ''),
        testid: 'dialog-input', id: 'dialog-input', 'data-field': input.field ?? '',
      });
      fieldError = h('div', { class: 'field-error', testid: 'field-error', 'data-error-for': input.field ?? '', hidden: true });
    }
    const cancel = h('button', { type: 'button', class: 'button', testid: 'dialog-cancel' }, 'Cancel');
    const confirm = h('button', {
      type: 'submit', class: `button button-${tone === 'danger' ? 'danger' : 'primary'}`, testid: 'dialog-confirm',
    }, confirmLabel);
    const form = h('form', { method: 'dialog', class: 'dialog-form', novalidate: true },
      h('div', { class: 'dialog-header' },
        h('span', { class: `dialog-icon dialog-icon-${tone}` }, icon(tone === 'danger' ? 'alert' : 'info')),
        h('h2', { id: 'dialog-title', class: 'dialog-title' }, title)),
      h('div', { class: 'dialog-message', testid: 'dialog-message' }, message),
      input ? h('div', { class: 'field' },
        h('label', { class: 'label', htmlFor: 'dialog-input' }, input.label),
        field,
        input.hint ? h('div', { class: 'hint' }, input.hint) : null,
        fieldError) : null,
      errorBox,
      h('div', { class: 'dialog-actions' }, cancel, confirm));
    dialog.append(form);
    document.body.append(dialog);

    let busy = false;
    let result;
    const finish = () => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    cancel.addEventListener('click', () => { if (!busy) finish(); });
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      if (!busy) finish();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      errorBox.hidden = true;
      if (fieldError) { fieldError.hidden = true; field.classList.remove('invalid'); }
      confirm.disabled = true;
      cancel.disabled = true;
      confirm.classList.add('loading');
      try {
        const value = field ? (field.value.trim() === '' ? null : Number(field.value)) : undefined;
        result = (await action?.(value)) ?? true;
        finish();
      } catch (error) {
        busy = false;
        confirm.disabled = false;
        cancel.disabled = false;
        confirm.classList.remove('loading');
        const blamed = fieldErrors(error);
        if (field && blamed.length) {
          fieldError.textContent = blamed.map((b) => b.text).join(' ');
          fieldError.hidden = false;
          field.classList.add('invalid');
          field.focus();
        } else {
          replace(errorBox, icon('alert'),
            h('div', null, h('div', { testid: 'dialog-error-text' }, describe(error)),
              detail(error) ? h('div', { class: 'error-detail' }, detail(error)) : null));
          errorBox.hidden = false;
        }
      }
    });
    dialog.showModal();
    (field ?? confirm).focus();
    if (field) field.select();
  });
}

// ---------------------------------------------------------------------------------------------
// Small layout pieces

export function emptyState({ title, text, action, testid = 'empty-state', iconName = 'info' }) {
  return h('div', { class: 'empty-state', testid },
    h('div', { class: 'empty-icon' }, icon(iconName)),
    h('div', { class: 'empty-title' }, title),
    text ? h('div', { class: 'empty-text' }, text) : null,
    action ?? null);
}

/** An inline error banner (kept until the next success). */
export function errorBanner(testid) {
  const el = h('div', { class: 'banner banner-error', role: 'alert', testid, hidden: true });
  return {
    el,
    show(title, error) {
      if (isAbort(error)) return;
      replace(el, icon('alert'), h('div', null,
        h('strong', null, `${title}: `), describe(error),
        detail(error) ? h('span', { class: 'error-detail' }, ` (${detail(error)})`) : null));
      el.hidden = false;
    },
    clear() { el.hidden = true; },
  };
}

/** The place under an input (or a row of inputs) where its error message goes. */
export function errorSlot() {
  return h('div', { class: 'field-error', testid: 'field-error', hidden: true });
}

/** A labelled field; `alias` also routes errors for that path here (e.g. "expose" -> the port). */
export function field(labelText, el, hint, alias) {
  if (alias) el.setAttribute('data-field-alias', alias);
  const id = el.id;
  return h('div', { class: 'field control' },
    h('label', { class: 'label', htmlFor: id || null }, labelText),
    el,
    hint ? h('div', { class: 'hint' }, hint) : null,
    errorSlot());
}

export function spinner(label = 'Loading…') {
  return h('div', { class: 'loading-row', testid: 'loading' }, h('span', { class: 'spinner' }), label);
}
