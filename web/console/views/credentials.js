// Registry credentials: the table, a create form, rename and rotate the secret, delete.
// Secrets are write-only: the form clears the password field once sent, and no answer has one.
import { h, icon, replace, copyButton } from '../lib/dom.js';
import { api, apiVersion, REGISTRY_TYPES } from '../lib/client.js';
import { describe, detail, fieldErrors, isAbort } from '../lib/errors.js';
import { confirmDialog, emptyState, errorBanner, field, spinner, toast } from '../lib/ui.js';

export function mountCredentials(root, _params, { signal }) {
  const banner = errorBanner('credentials-error');
  const body = h('div', { class: 'card-body-flush' }, spinner('Loading credentials…'));
  const count = h('span', { class: 'count-chip', testid: 'credential-count' }, '');
  const form = credentialForm(signal, () => refresh());

  replace(root,
    h('div', { class: 'page-header' },
      h('div', null,
        h('h1', { class: 'page-title' }, 'Registry credentials', count),
        h('p', { class: 'page-subtitle' }, 'What private images are pulled with. Choose one by name in the endpoint form; secrets are never shown again.')),
      h('div', { class: 'page-actions' },
        h('button', { type: 'button', class: 'button', testid: 'refresh', onclick: () => refresh() }, icon('refresh'), 'Refresh'))),
    banner.el,
    h('div', { class: 'credentials-layout' },
      h('section', { class: 'card' }, body),
      form.el));

  async function refresh() {
    try {
      const list = await api().listCredentials({ signal });
      banner.clear();
      count.textContent = String(list.length);
      replace(body, list.length ? table(list) : emptyState({
        title: 'No credentials yet', text: 'Add one to deploy an image from a private registry.', testid: 'credentials-empty',
      }));
    } catch (error) {
      if (signal.aborted) return;
      banner.show('Could not load credentials', error);
    }
  }

  function table(list) {
    return h('table', { class: 'table', testid: 'credentials-table' },
      h('thead', null, h('tr', null,
        h('th', null, 'Name'), h('th', null, 'Credential ID'), h('th', null, 'Type'), h('th', null, 'Created'),
        h('th', { class: 'actions-col' }, h('span', { class: 'sr-only' }, 'Actions')))),
      h('tbody', null, list.map((credential) => h('tr', { testid: 'credential-row', 'data-credential-id': credential.id },
        h('td', { class: 'cell-name', testid: 'credential-name' }, credential.name),
        h('td', { class: 'cell-id' }, h('div', { class: 'id-cell' },
          h('code', { class: 'mono' }, credential.id), copyButton(credential.id, 'Copy credential ID'))),
        h('td', null, credential.type ?? h('span', { class: 'muted' }, apiVersion() === 'v1' ? 'not reported by v1' : '—')),
        h('td', { class: 'muted small' }, credential.createdAt ?? '—'),
        h('td', { class: 'actions-col' }, h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button button-sm', testid: 'rotate-credential', onclick: () => rotate(credential) }, 'Change secret'),
          h('button', { type: 'button', class: 'button button-sm button-danger-ghost', testid: 'delete-credential', onclick: () => remove(credential) }, icon('trash'), 'Delete')))))));
  }

  async function rotate(credential) {
    const done = await secretDialog(credential, signal);
    if (done) {
      toast(`Secret of ${credential.name} changed`);
      refresh();
    }
  }

  async function remove(credential) {
    const done = await confirmDialog({
      title: `Delete ${credential.name}?`,
      message: 'Endpoints that use it must be deleted or moved to another credential first; the API refuses otherwise.',
      confirmLabel: 'Delete credential', tone: 'danger',
      action: () => api().deleteCredential(credential.id, { signal }),
    });
    if (done) {
      toast(`Credential ${credential.name} deleted`);
      refresh();
    }
  }

  refresh();
}

/** The create form: name, registry type (sent by v2), username, password. */
function credentialForm(signal, created) {
  const input = (field, props = {}) => h('input', {
    class: 'input', id: `credential-${field}`, 'data-field': field, testid: `credential-${field}`, autocomplete: 'off', ...props,
  });
  const name = input('name', { placeholder: 'dockerhub', spellcheck: false });
  const username = input('username', { placeholder: 'registry user' });
  const password = input('password', { type: 'password', placeholder: 'password or access token', autocomplete: 'new-password' });
  const type = h('select', { class: 'select', id: 'credential-type', 'data-field': 'type', testid: 'credential-type' },
    REGISTRY_TYPES.map((value) => h('option', { value }, value)));
  const error = h('div', { class: 'banner banner-error', role: 'alert', testid: 'credential-form-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block', testid: 'credential-submit' }, 'Add credential');
  const el = h('form', { class: 'card credential-form', testid: 'credential-form', novalidate: true },
    h('div', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'New credential')),
    h('div', { class: 'section-body' },
      field('Name', name),
      field('Registry type', type, apiVersion() === 'v1' ? 'API v1 does not take a type; it is not sent.' : null),
      field('Username', username),
      field('Password or token', password, 'Write-only: never shown again.'),
      error, submit));

  el.addEventListener('input', () => { error.hidden = true; el.querySelectorAll('.invalid').forEach((i) => i.classList.remove('invalid')); });
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const credential = await api().createCredential({
        name: name.value.trim(), type: type.value, username: username.value.trim(), password: password.value,
      }, { signal });
      for (const field of [name, username, password]) field.value = '';
      toast(`Credential ${credential.name} added`, { detail: `ID ${credential.id}` });
      created();
    } catch (failure) {
      if (isAbort(failure) || signal.aborted) return;
      for (const { field } of fieldErrors(failure)) el.querySelector(`[data-field="${CSS.escape(field)}"]`)?.classList.add('invalid');
      replace(error, icon('alert'), h('div', null, h('div', { testid: 'credential-form-error-text' }, describe(failure)),
        detail(failure) ? h('div', { class: 'error-detail' }, detail(failure)) : null));
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  return { el };
}

/** Asks for a new password and sends it (the name and username stay). */
function secretDialog(credential, signal) {
  const secret = h('input', { class: 'input', type: 'password', testid: 'secret-input', autocomplete: 'new-password', 'aria-label': 'New password or token' });
  return confirmDialog({
    title: `New secret for ${credential.name}`,
    message: h('div', null, h('p', null, 'The name and username stay; the new secret replaces the old one.'), secret),
    confirmLabel: 'Save secret',
    action: () => api().updateCredential(credential.id, { password: secret.value }, { signal }),
  });
}
