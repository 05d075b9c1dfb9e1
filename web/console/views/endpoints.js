// The endpoints table: auto-refreshing, rows updated in place.
import { h, icon, replace, copyButton, every } from '../lib/dom.js';
import { api, apiVersion } from '../lib/client.js';
import { money, perHour, clock } from '../lib/format.js';
import { setBadge, modePill, emptyState, errorBanner, spinner } from '../lib/ui.js';
import { actionButtons } from './actions.js';

const REFRESH_MS = 2000;
const FILTERS = ['', 'RUNNING', 'INITIALIZING', 'STOPPING', 'STOPPED', 'FAILED'];

export function mountEndpoints(root, params, { signal }) {
  let filter = sessionStorage.getItem('yotta.console.endpointFilter') ?? '';
  if (!FILTERS.includes(filter)) filter = '';
  const highlight = params.query.get('created');
  const rows = new Map();
  const banner = errorBanner('list-error');
  const updated = h('span', { class: 'muted small', testid: 'last-updated' }, '');
  const tbody = h('tbody', { testid: 'endpoint-rows' });
  const body = h('div', { class: 'card-body-flush' }, spinner('Loading endpoints…'));
  const count = h('span', { class: 'count-chip', testid: 'endpoint-count' }, '');
  const filterSelect = h('select', {
    class: 'select select-sm', testid: 'endpoint-filter', 'aria-label': 'Filter by status',
    onchange: () => {
      filter = filterSelect.value;
      sessionStorage.setItem('yotta.console.endpointFilter', filter);
      refresh();
    },
  }, FILTERS.map((f) => h('option', { value: f, selected: f === filter }, f ? f[0] + f.slice(1).toLowerCase() : 'All statuses')));

  const table = h('table', { class: 'table', testid: 'endpoints-table' },
    h('thead', null, h('tr', null,
      h('th', null, 'Name'), h('th', null, 'Endpoint ID'), h('th', null, 'Status'), h('th', null, 'Mode'),
      h('th', { class: 'num' }, 'Workers'), h('th', { class: 'num' }, 'Cost'), h('th', { class: 'num' }, 'Price'),
      h('th', { class: 'actions-col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    tbody);

  replace(root,
    h('div', { class: 'page-header' },
      h('div', null,
        h('h1', { class: 'page-title' }, 'Endpoints', count),
        h('p', { class: 'page-subtitle' }, 'Serverless GPU deployments. Status, workers and cost refresh every few seconds.')),
      h('div', { class: 'page-actions' },
        updated,
        filterSelect,
        h('button', { type: 'button', class: 'button', testid: 'refresh', onclick: () => refresh() }, icon('refresh'), 'Refresh'),
        h('a', { class: 'button button-primary', href: '#/endpoints/new', testid: 'new-endpoint' }, icon('plus'), 'New endpoint'))),
    banner.el,
    h('section', { class: 'card' }, body));

  function rowFor(endpoint) {
    let row = rows.get(endpoint.id);
    if (row) return row;
    const current = { endpoint };
    const cells = {
      name: h('td', { class: 'cell-name' }),
      id: h('td', { class: 'cell-id' }),
      status: h('td', null),
      mode: h('td', null),
      workers: h('td', { class: 'num', testid: 'workers' }),
      cost: h('td', { class: 'num', testid: 'cost' }),
      price: h('td', { class: 'num', testid: 'price' }),
    };
    const actions = actionButtons(() => current.endpoint, () => refresh(), { compact: true });
    const tr = h('tr', { testid: 'endpoint-row', 'data-endpoint-id': endpoint.id, class: 'clickable' },
      Object.values(cells), h('td', { class: 'actions-col' }, actions.el));
    tr.addEventListener('click', (event) => {
      if (event.target.closest('button, a, input, select')) return;
      location.hash = `#/endpoints/${endpoint.id}`;
    });
    cells.id.append(h('div', { class: 'id-cell' }, h('code', { class: 'mono', testid: 'endpoint-id' }, endpoint.id), copyButton(endpoint.id, 'Copy endpoint ID')));
    row = { tr, cells, actions, current, key: '' };
    rows.set(endpoint.id, row);
    if (endpoint.id === highlight) tr.classList.add('flash');
    return row;
  }

  function updateRow(row, endpoint) {
    row.current.endpoint = endpoint;
    const key = JSON.stringify([endpoint.name, endpoint.image, endpoint.status, endpoint.serviceMode,
      endpoint.runningWorkers, endpoint.totalWorkers, endpoint.cost, endpoint.perHourPrice]);
    if (key === row.key) return;
    row.key = key;
    const { cells } = row;
    replace(cells.name,
      h('a', { href: `#/endpoints/${endpoint.id}`, class: 'link-strong', testid: 'endpoint-link' }, endpoint.name),
      h('div', { class: 'muted small truncate', title: endpoint.image ?? '' }, endpoint.image ?? ''));
    setBadge(cells.status, endpoint.status);
    replace(cells.mode, modePill(endpoint.serviceMode));
    const running = endpoint.runningWorkers ?? 0;
    const total = endpoint.totalWorkers ?? 0;
    replace(cells.workers, h('span', { class: 'workers-count' }, h('strong', null, running), h('span', { class: 'muted' }, ` / ${total}`)),
      h('div', { class: 'meter', title: `${running} of ${total} running` },
        h('div', { class: 'meter-fill', style: { width: `${total ? Math.round((running / total) * 100) : 0}%` } })));
    cells.cost.textContent = money(endpoint.cost);
    cells.price.textContent = perHour(endpoint.perHourPrice);
    row.actions.update(endpoint);
  }

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    try {
      const list = await api().listEndpoints({ ...(filter ? { status: filter } : {}), signal });
      if (mine !== seq) return; // a newer refresh (filter change, action) is under way
      banner.clear();
      const seen = new Set();
      const ordered = list.map((endpoint) => {
        seen.add(endpoint.id);
        const row = rowFor(endpoint);
        updateRow(row, endpoint);
        return row.tr;
      });
      for (const [id, row] of rows) {
        if (!seen.has(id)) { row.tr.remove(); rows.delete(id); }
      }
      // Re-order only when needed, so rows under the pointer are not re-inserted.
      ordered.forEach((tr, index) => { if (tbody.children[index] !== tr) tbody.insertBefore(tr, tbody.children[index] ?? null); });
      count.textContent = String(list.length);
      if (list.length === 0) {
        replace(body, emptyState({
          title: filter ? `No ${filter.toLowerCase()} endpoints` : 'No endpoints yet',
          text: filter ? 'Try another status filter.' : 'Create an endpoint to run a container on serverless GPUs.',
          action: filter ? null : h('a', { class: 'button button-primary', href: '#/endpoints/new' }, icon('plus'), 'New endpoint'),
        }));
      } else if (body.firstChild !== table) {
        replace(body, table);
      }
      updated.textContent = `Updated ${clock(Date.now())} · API ${apiVersion()}`;
    } catch (error) {
      if (signal.aborted || mine !== seq) return;
      banner.show('Could not load endpoints', error);
      if (!rows.size) replace(body, emptyState({ title: 'Endpoints unavailable', text: 'Retrying automatically…', iconName: 'alert' }));
    }
  }

  refresh();
  every(REFRESH_MS, refresh, signal);
}
