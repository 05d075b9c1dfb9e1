// The endpoint page: header with actions, configuration summary, and the workers, logs and
// tasks tabs (#/endpoints/<id>/<tab>[/<item>]).
import { h, icon, replace, copyButton, every } from '../lib/dom.js';
import { api } from '../lib/client.js';
import { money, perHour, duration, plural } from '../lib/format.js';
import { badge, setBadge, modePill, emptyState, errorBanner, spinner } from '../lib/ui.js';
import { actionButtons } from './actions.js';
import { mountLogs } from './logs.js';
import { mountTasks } from './tasks.js';

const REFRESH_MS = 2000;
const TABS = [['workers', 'Workers'], ['logs', 'Logs'], ['tasks', 'Tasks'], ['config', 'Configuration']];

export function mountEndpoint(root, params, { signal, navigate }) {
  const id = params.id;
  let endpoint = null;
  let workers = [];
  let tab = null;
  let tabAbort = null;
  let tabView = null;
  let loaded = false;

  const banner = errorBanner('endpoint-error');
  const title = h('h1', { class: 'page-title', testid: 'endpoint-name' }, '…');
  const statusSlot = h('span', { testid: 'endpoint-status' });
  const idLine = h('div', { class: 'id-line' }, h('span', { class: 'muted' }, 'ID'),
    h('code', { class: 'mono', testid: 'endpoint-id' }, id), copyButton(id, 'Copy endpoint ID'));
  const actionsSlot = h('div', { class: 'page-actions' });
  const stats = h('div', { class: 'stats', testid: 'endpoint-stats' });
  const config = h('dl', { class: 'config', testid: 'endpoint-config' });
  const tabBar = h('nav', { class: 'tabs', role: 'tablist' });
  const tabBody = h('div', { class: 'tab-body', testid: 'tab-body' });
  const page = h('div', { class: 'endpoint-page' },
    h('div', { class: 'page-header' },
      h('div', null,
        h('a', { class: 'breadcrumb', href: '#/endpoints', testid: 'back-to-list' }, icon('back'), 'Endpoints'),
        h('div', { class: 'title-row' }, title, statusSlot),
        idLine),
      actionsSlot),
    banner.el,
    stats,
    tabBar,
    tabBody);
  replace(root, spinner('Loading endpoint…'));

  let actions = null;
  const tabLinks = new Map(TABS.map(([key, label]) => {
    const link = h('a', { href: `#/endpoints/${id}/${key}`, class: 'tab', role: 'tab', testid: `tab-${key}` }, label,
      key === 'workers' ? h('span', { class: 'tab-count', testid: 'worker-count' }) : null);
    tabBar.append(link);
    return [key, link];
  }));

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    try {
      const [ep, ws] = await Promise.all([
        api().getEndpoint(id, { signal }),
        api().listWorkers(id, { signal }),
      ]);
      if (mine !== seq) return; // superseded by a newer refresh
      endpoint = ep;
      workers = ws;
      banner.clear();
      show();
      if (!actions) {
        actions = actionButtons(() => endpoint, (what) => {
          if (what === 'deleted') navigate('#/endpoints');
          else refresh();
        });
        actionsSlot.append(actions.el);
      }
      render();
      if (!loaded) {
        loaded = true;
        update(params);
      } else {
        tabView?.refresh?.(endpoint, workers);
      }
    } catch (error) {
      if (signal.aborted || mine !== seq) return;
      if (error?.kind === 'notFound') {
        // Deleted (here or elsewhere): stop the tab's work (a live tail, task polling).
        tabAbort?.abort();
        tab = null;
        tabView = null;
        loaded = false;
        replace(root, emptyState({
          title: 'Endpoint not found', testid: 'endpoint-missing', iconName: 'alert',
          text: `No endpoint ${id} exists (it may have been deleted).`,
          action: h('a', { class: 'button', href: '#/endpoints' }, icon('back'), 'Back to endpoints'),
        }));
        return;
      }
      show();
      banner.show('Could not refresh this endpoint', error);
    }
  }

  function show() {
    if (root.firstChild !== page) replace(root, page);
  }

  function render() {
    if (!endpoint) return;
    title.textContent = endpoint.name;
    document.title = `${endpoint.name} · Yotta Serverless`;
    setBadge(statusSlot, endpoint.status);
    actions?.update(endpoint);
    const running = endpoint.runningWorkers ?? 0;
    const total = endpoint.totalWorkers ?? 0;
    replace(stats,
      stat('Workers', [h('strong', null, running), h('span', { class: 'muted' }, ` / ${total} running`)], 'stat-workers'),
      stat('Cost so far', money(endpoint.cost), 'stat-cost'),
      stat('Price', perHour(endpoint.perHourPrice), 'stat-price', endpoint.perSecondPrice != null ? `${money(endpoint.perSecondPrice)}/s` : null),
      stat('Service mode', modePill(endpoint.serviceMode), 'stat-mode'));
    const resources = endpoint.resources.map((r) => `${r.gpuCount}× ${r.gpuDisplayName ?? r.gpuType} · ${r.regionDisplayName ?? r.region}`);
    const env = endpoint.environmentVars ?? [];
    const key = JSON.stringify([endpoint.image, endpoint.imageRegistry, resources, endpoint.expose, endpoint.domain, endpoint.webhook, env, endpoint.containerVolumeInGb, endpoint.initializationCommand, endpoint.creator]);
    if (config.dataset.key !== key) {
      config.dataset.key = key;
      replace(config,
        item('Image', h('code', { class: 'mono' }, endpoint.image ?? '—'), endpoint.imageRegistry ? ` on ${endpoint.imageRegistry}` : null),
        item('GPU resources', resources.length ? h('div', { class: 'stack' }, resources.map((r) => h('span', null, r))) : '—'),
        item('Exposed port', endpoint.expose ? `${endpoint.expose.port}/${endpoint.expose.protocol ?? 'http'}` : '—'),
        item('Domain', endpoint.domain ? h('code', { class: 'mono' }, endpoint.domain) : '—'),
        item('Volume', endpoint.containerVolumeInGb != null ? `${endpoint.containerVolumeInGb} GB` : '—'),
        item('Webhook', endpoint.webhook ? h('code', { class: 'mono truncate' }, endpoint.webhook) : '—'),
        item('Environment', env.length ? h('div', { class: 'chips' }, env.map((e) => h('code', { class: 'chip mono' }, e.key))) : '—'),
        item('Start-up command', endpoint.initializationCommand ? h('code', { class: 'mono' }, endpoint.initializationCommand) : '—'),
        item('Creator', endpoint.creator ?? '—'));
    }
    tabLinks.get('workers').querySelector('.tab-count').textContent = String(workers.length);
  }

  /** Routes within the page: switching tabs keeps the header and its refresh loop. */
  function update(next) {
    params = next;
    if (!loaded) return true;
    const wanted = TABS.some(([k]) => k === next.tab) ? next.tab : 'workers';
    for (const [key, link] of tabLinks) {
      link.classList.toggle('active', key === wanted);
      link.setAttribute('aria-selected', String(key === wanted));
    }
    if (wanted === tab && tabView?.update) {
      tabView.update(next);
      return true;
    }
    tabAbort?.abort();
    tabAbort = new AbortController();
    signal.addEventListener('abort', () => tabAbort.abort(), { once: true });
    tab = wanted;
    const context = { signal: tabAbort.signal, navigate, endpoint: () => endpoint, workers: () => workers, endpointId: id };
    if (wanted === 'workers') tabView = mountWorkers(tabBody, context);
    else if (wanted === 'config') {
      replace(tabBody, h('section', { class: 'card' },
        h('div', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Configuration')), config));
      tabView = null;
    } else if (wanted === 'logs') tabView = mountLogs(tabBody, next, context);
    else tabView = mountTasks(tabBody, next, context);
    tabView?.refresh?.(endpoint, workers);
    return true;
  }

  refresh();
  every(REFRESH_MS, refresh, signal);
  return { key: id, update };
}

function mountWorkers(root, { endpointId }) {
  const tbody = h('tbody', { testid: 'worker-rows' });
  const table = h('table', { class: 'table', testid: 'workers-table' },
    h('thead', null, h('tr', null,
      h('th', null, 'Worker ID'), h('th', null, 'Status'), h('th', null, 'GPU'), h('th', null, 'Region'),
      h('th', { class: 'num' }, 'Uptime'), h('th', { class: 'num' }, 'Cost'), h('th', { class: 'actions-col' }))),
    tbody);
  const body = h('div', { class: 'card-body-flush' }, spinner('Loading workers…'));
  const caption = h('span', { class: 'muted small' });
  replace(root, h('section', { class: 'card' },
    h('div', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Workers'), caption),
    body));
  return {
    refresh(endpoint, workers) {
      if (!endpoint) return;
      caption.textContent = `${plural(workers.filter((w) => w.status === 'RUNNING').length, 'running worker')} · terminated workers stay listed for a while`;
      if (workers.length === 0) {
        replace(body, emptyState({ title: 'No workers', text: endpoint.status === 'STOPPED' ? 'The endpoint is stopped. Start it to schedule workers.' : 'Workers appear here once scheduled.' }));
        return;
      }
      replace(tbody, workers.map((w) => h('tr', { testid: 'worker-row', 'data-worker-id': w.id },
        h('td', null, h('code', { class: 'mono' }, w.id)),
        h('td', null, badge(w.status)),
        h('td', null, w.gpuCount != null ? `${w.gpuCount}× ${w.gpuDisplayName ?? w.gpuType ?? ''}` : (w.gpuDisplayName ?? '—')),
        h('td', null, w.regionDisplayName ?? w.region ?? '—'),
        h('td', { class: 'num', testid: 'worker-uptime' }, duration(w.uptime)),
        h('td', { class: 'num', testid: 'worker-cost' }, money(w.cost)),
        h('td', { class: 'actions-col' }, h('a', { class: 'button button-sm button-ghost', href: `#/endpoints/${endpointId}/logs/${w.id}`, testid: 'worker-logs' }, 'Logs')))));
      if (body.firstChild !== table) replace(body, table);
    },
  };
}

function stat(label, value, testid, sub) {
  return h('div', { class: 'stat card', testid },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value),
    sub ? h('div', { class: 'stat-sub muted small' }, sub) : null);
}

function item(label, ...value) {
  return h('div', { class: 'config-item' }, h('dt', null, label), h('dd', null, value));
}
