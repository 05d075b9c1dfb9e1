// Start, stop, scale and delete: each behind a confirmation dialog, each reporting in words.
import { h, icon } from '../lib/dom.js';
import { api } from '../lib/client.js';
import { confirmDialog, toast } from '../lib/ui.js';

const STARTABLE = new Set(['STOPPED', 'FAILED']);
const STOPPABLE = new Set(['INITIALIZING', 'RUNNING', 'FAILED']);

function strong(text) {
  return h('strong', null, text);
}

export async function startEndpoint(endpoint, after) {
  const done = await confirmDialog({
    title: 'Start endpoint?',
    message: [ 'Start ', strong(endpoint.name), '? Its workers are scheduled again and billing resumes once they run.' ],
    confirmLabel: 'Start',
    action: () => api().startEndpoint(endpoint.id),
  });
  if (done) {
    toast(`Starting ${endpoint.name}`);
    after?.('started');
  }
}

export async function stopEndpoint(endpoint, after) {
  const done = await confirmDialog({
    title: 'Stop endpoint?',
    message: [ 'Stop ', strong(endpoint.name), '? Every worker is terminated; queued tasks wait until it starts again.' ],
    confirmLabel: 'Stop endpoint',
    tone: 'danger',
    action: () => api().stopEndpoint(endpoint.id),
  });
  if (done) {
    toast(`Stopping ${endpoint.name}`);
    after?.('stopped');
  }
}

export async function scaleEndpoint(endpoint, after) {
  const current = endpoint.totalWorkers ?? 0;
  const done = await confirmDialog({
    title: 'Scale workers',
    message: [ 'How many workers should ', strong(endpoint.name), ' run? ',
      `It has ${current} now${endpoint.status === 'STOPPED' ? '; a stopped endpoint uses the count at its next start' : ''}.` ],
    confirmLabel: 'Scale',
    input: { label: 'Workers', value: current || 1, min: 0, field: 'workers', hint: 'Scaling down stops the newest workers first.' },
    action: async (count) => {
      await api().scaleWorkers(endpoint.id, count);
      return { count };
    },
  });
  if (done) {
    toast(`Scaling ${endpoint.name} to ${done.count} worker${done.count === 1 ? '' : 's'}`);
    after?.('scaled');
  }
}

export async function deleteEndpoint(endpoint, after) {
  const done = await confirmDialog({
    title: 'Delete endpoint?',
    message: [ 'Delete ', strong(endpoint.name), ' ', h('code', null, endpoint.id),
      '? This cannot be undone. Only a stopped endpoint can be deleted.' ],
    confirmLabel: 'Delete',
    tone: 'danger',
    action: () => api().deleteEndpoint(endpoint.id),
  });
  if (done) {
    toast(`Deleted ${endpoint.name}`);
    after?.('deleted');
  }
}

/**
 * The four action buttons for an endpoint. `get()` returns the current endpoint (rows refresh);
 * `after(what)` runs after a successful action. Returns { el, update(endpoint) }.
 */
export function actionButtons(get, after, { compact = false } = {}) {
  // Compact (table rows): icon buttons with a tooltip; otherwise labelled buttons.
  const make = (name, iconName, label, handler, extra = '') => h('button', {
    type: 'button', class: compact ? `icon-button action-icon ${extra}` : `button ${extra}`,
    testid: `action-${name}`, title: label, 'aria-label': label,
    onclick: (event) => { event.stopPropagation(); handler(get(), after); },
  }, icon(iconName), compact ? null : label);
  const start = make('start', 'play', 'Start', startEndpoint);
  const stop = make('stop', 'stop', 'Stop', stopEndpoint);
  const scale = make('scale', 'scale', 'Scale', scaleEndpoint);
  const del = make('delete', 'trash', 'Delete', deleteEndpoint, 'button-danger-ghost');
  const el = h('div', { class: 'actions' }, start, stop, scale, del);
  const update = (endpoint) => {
    start.disabled = !STARTABLE.has(endpoint.status);
    stop.disabled = !STOPPABLE.has(endpoint.status);
    scale.disabled = endpoint.status === 'STOPPING';
    // Delete stays available: the API's refusal ("stop it first") is the clearest explanation.
  };
  update(get());
  return { el, update };
}
