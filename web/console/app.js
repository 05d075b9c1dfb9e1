// The Yotta Serverless web console: hash routes over the SDK (no framework, no bundler).
//   #/endpoints                     the endpoints table
//   #/endpoints/new                 the create form
//   #/endpoints/<id>[/<tab>[/<item>]]  an endpoint: workers, logs (item: worker), tasks (item: task)
//   #/credentials                   registry credentials (for private images)
import { h, icon, replace } from './lib/dom.js';
import { start, apiVersion, setApiVersion, onApiVersionChange } from './lib/client.js';
import { toast } from './lib/ui.js';
import { mountEndpoints } from './views/endpoints.js';
import { mountCreate } from './views/create.js';
import { mountEndpoint } from './views/endpoint.js';
import { mountCredentials } from './views/credentials.js';

const view = document.getElementById('view');
let current = null; // { name, key, controller, update }

function parseRoute(hash) {
  const [path, query = ''] = (hash || '#/endpoints').replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = { query: new URLSearchParams(query) };
  if (parts[0] === 'credentials') return { name: 'credentials', params };
  if (parts[0] !== 'endpoints' || parts.length === 1) return { name: 'endpoints', params };
  if (parts[1] === 'new') return { name: 'create', params };
  return { name: 'endpoint', params: { ...params, id: parts[1], tab: parts[2] ?? 'workers', item: parts[3] ?? null } };
}

export function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function render({ force = false } = {}) {
  const route = parseRoute(location.hash);
  const key = route.params.id ?? '';
  if (!force && current && current.name === route.name && current.key === key && current.update) {
    if (current.update(route.params)) return;
  }
  current?.controller.abort();
  const controller = new AbortController();
  const container = h('div', { class: `view view-${route.name}`, testid: `view-${route.name}` });
  replace(view, container);
  const mount = { endpoints: mountEndpoints, create: mountCreate, endpoint: mountEndpoint, credentials: mountCredentials }[route.name];
  const result = mount(container, route.params, { signal: controller.signal, navigate });
  current = { name: route.name, key, controller, update: result?.update };
  const titles = { create: 'New endpoint', credentials: 'Registry credentials' };
  document.title = titles[route.name] ? `${titles[route.name]} · Yotta Serverless` : 'Yotta Serverless Console';
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === route.name || (link.dataset.nav === 'endpoints' && route.name === 'endpoint'));
  }
  window.scrollTo({ top: 0 });
}

function versionSwitch() {
  const buttons = ['v1', 'v2'].map((v) => h('button', {
    type: 'button', class: 'segment', testid: `api-version-${v}`, 'data-version': v, role: 'radio',
    onclick: () => setApiVersion(v),
  }, v));
  const sync = () => buttons.forEach((b) => {
    const on = b.dataset.version === apiVersion();
    b.classList.toggle('active', on);
    b.setAttribute('aria-checked', String(on));
  });
  sync();
  onApiVersionChange((v) => {
    sync();
    toast(`Using API ${v}`, { tone: 'info' });
    render({ force: true });
  });
  return h('div', { class: 'api-switch', title: 'Which Yotta API version the SDK speaks (saved in this browser)' },
    h('span', { class: 'api-switch-label' }, 'API'),
    h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'API version', testid: 'api-version' }, buttons));
}

async function main() {
  document.getElementById('topbar-right').append(versionSwitch());
  try {
    await start();
  } catch (error) {
    replace(view, h('div', { class: 'empty-state fatal', testid: 'fatal' },
      h('div', { class: 'empty-icon' }, icon('alert')),
      h('div', { class: 'empty-title' }, 'The console could not start'),
      h('div', { class: 'empty-text' }, `Loading the SDK failed: ${error?.message ?? error}`)));
    return;
  }
  window.addEventListener('hashchange', () => render());
  if (!location.hash) history.replaceState(null, '', '#/endpoints');
  render();
  document.body.dataset.ready = 'true';
}

main();
