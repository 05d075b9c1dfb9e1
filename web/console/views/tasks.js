// The tasks tab: submit JSON to a QUEUE endpoint, a paginated list with a status filter, the
// processing count, and a task's detail (input, output, error), polled until it finishes.
import { h, icon, replace, copyButton, every } from '../lib/dom.js';
import { api } from '../lib/client.js';
import { dateTime, clock, duration, prettyJson, parseJson, plural } from '../lib/format.js';
import { describe, detail, fieldErrors, isAbort } from '../lib/errors.js';
import { badge, emptyState, errorBanner, spinner, toast } from '../lib/ui.js';

const PAGE_SIZE = 10;
const REFRESH_MS = 2000;
const STATUSES = ['', 'PROCESSING', 'SUCCESS', 'FAILED', 'DELIVERED'];
const FINISHED = new Set(['SUCCESS', 'FAILED', 'DELIVERED']);
const DELIVERY_DONE = new Set(['SUCCESS', 'FAILED', 'MAX_RETRIES_EXCEEDED']);

export function mountTasks(root, params, { signal, navigate, endpoint: currentEndpoint, endpointId }) {
  let selected = params.item ?? null;
  let pageNumber = 1;
  let status = '';
  let listSeq = 0;
  let detailAbort = null;
  let listStarted = false;

  const listBanner = errorBanner('tasks-error');
  const modeNote = h('div', { class: 'banner banner-info', testid: 'tasks-mode-note', hidden: true });

  // --- submit form -----------------------------------------------------------------------------
  const inputArea = h('textarea', {
    class: 'input textarea mono', rows: 7, spellcheck: false, 'data-field': 'input', testid: 'task-input', id: 'task-input',
    value: '{\n  "prompt": "Hello from the console"\n}',
  });
  const port = h('input', { class: 'input', type: 'number', min: 1, max: 65535, 'data-field': 'workerPort', testid: 'task-port', id: 'task-port' });
  const uri = h('input', { class: 'input mono', value: '/run', 'data-field': 'processUri', testid: 'task-uri', id: 'task-uri', spellcheck: false });
  const taskId = h('input', { class: 'input mono', placeholder: 'generated when empty', 'data-field': 'taskId', testid: 'task-id', id: 'task-id', spellcheck: false });
  const webhook = h('input', { class: 'input', type: 'url', placeholder: 'https://… (optional)', 'data-field': 'webhook', testid: 'task-webhook', id: 'task-webhook' });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block', testid: 'task-submit' }, icon('send'), 'Submit task');
  const formError = h('div', { class: 'banner banner-error', role: 'alert', testid: 'task-form-error', hidden: true });
  const form = h('form', { class: 'task-form', novalidate: true, testid: 'task-form' },
    field('Input (JSON)', inputArea),
    h('div', { class: 'grid-port' }, field('Worker port', port), field('Process URI', uri)),
    field('Task ID', taskId),
    field('Webhook', webhook),
    formError,
    submit);

  const processing = h('div', { class: 'stat-value', testid: 'task-processing' }, '—');
  const totalLabel = h('div', { class: 'stat-sub muted small', testid: 'task-total' }, '');

  // --- list ------------------------------------------------------------------------------------
  const statusFilter = h('select', { class: 'select select-sm', testid: 'task-status-filter', 'aria-label': 'Filter by status' },
    STATUSES.map((s) => h('option', { value: s }, s ? s[0] + s.slice(1).toLowerCase() : 'All statuses')));
  const tbody = h('tbody', { testid: 'task-rows' });
  const table = h('table', { class: 'table', testid: 'tasks-table' },
    h('thead', null, h('tr', null, h('th', null, 'Task ID'), h('th', null, 'Status'), h('th', null, 'Delivery'),
      h('th', null, 'Created'), h('th', { class: 'num' }, 'Took'))),
    tbody);
  const listBody = h('div', { class: 'card-body-flush' }, spinner('Loading tasks…'));
  const prev = h('button', { type: 'button', class: 'button button-sm', testid: 'task-prev' }, 'Previous');
  const next = h('button', { type: 'button', class: 'button button-sm', testid: 'task-next' }, 'Next');
  const pageInfo = h('span', { class: 'muted small', testid: 'task-page-info' }, '');
  const detailSlot = h('div', { testid: 'task-detail-slot' });

  replace(root,
    modeNote,
    h('div', { class: 'tasks-layout' },
      h('div', { class: 'tasks-side' },
        h('section', { class: 'card' },
          h('div', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Submit a task')),
          h('div', { class: 'card-body' }, form)),
        h('div', { class: 'stat card' }, h('div', { class: 'stat-label' }, 'Processing now'), processing, totalLabel)),
      h('div', { class: 'tasks-main' },
        detailSlot,
        h('section', { class: 'card' },
          h('div', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Tasks'),
            h('div', { class: 'card-tools' }, statusFilter,
              h('button', { type: 'button', class: 'icon-button', title: 'Refresh', 'aria-label': 'Refresh tasks', testid: 'task-refresh', onclick: () => refreshList() }, icon('refresh')))),
          listBanner.el,
          listBody,
          h('div', { class: 'card-footer pager' }, pageInfo, h('div', { class: 'pager-buttons' }, prev, next))))));

  statusFilter.addEventListener('change', () => { status = statusFilter.value; pageNumber = 1; refreshList(); });
  prev.addEventListener('click', () => { if (pageNumber > 1) { pageNumber -= 1; refreshList(); } });
  next.addEventListener('click', () => { pageNumber += 1; refreshList(); });
  form.addEventListener('input', (event) => clearError(event.target));
  form.addEventListener('submit', onSubmit);

  async function onSubmit(event) {
    event.preventDefault();
    form.querySelectorAll('.invalid').forEach(clearError);
    formError.hidden = true;
    let input;
    try {
      input = parseJson(inputArea.value);
    } catch (error) {
      showFieldError('input', `Not valid JSON: ${error.message}`);
      return;
    }
    const spec = {
      input,
      workerPort: port.value.trim() === '' ? null : Number(port.value),
      processUri: uri.value.trim(),
    };
    if (taskId.value.trim()) spec.taskId = taskId.value.trim();
    if (webhook.value.trim()) spec.webhook = webhook.value.trim();
    submit.disabled = true;
    submit.classList.add('loading');
    try {
      const id = await api().submitTask(endpointId, spec, { signal });
      toast(`Task queued`, { detail: id });
      taskId.value = '';
      pageNumber = 1;
      navigate(`#/endpoints/${endpointId}/tasks/${encodeURIComponent(id)}`);
      refreshList();
    } catch (error) {
      if (isAbort(error)) return;
      const blamed = fieldErrors(error);
      const placed = blamed.filter((b) => showFieldError(b.field, b.text)).length;
      if (!placed) {
        replace(formError, icon('alert'), h('div', null, h('div', { testid: 'task-form-error-text' }, describe(error)),
          detail(error) ? h('div', { class: 'error-detail' }, detail(error)) : null));
        formError.hidden = false;
      }
    } finally {
      submit.disabled = false;
      submit.classList.remove('loading');
    }
  }

  function showFieldError(path, text) {
    const target = form.querySelector(`[data-field="${CSS.escape(path.replace(/^headers.*/, 'input'))}"]`);
    if (!target) return false;
    target.classList.add('invalid');
    target.setAttribute('aria-invalid', 'true');
    const slot = target.closest('.field')?.querySelector(':scope > .field-error');
    if (slot) { slot.textContent = text; slot.dataset.errorFor = path; slot.hidden = false; }
    target.focus();
    return true;
  }

  async function refreshList() {
    const seq = ++listSeq;
    try {
      const [page, count] = await Promise.all([
        api().listTasks(endpointId, { pageNumber, pageSize: PAGE_SIZE, ...(status ? { status } : {}), signal }),
        api().taskCount(endpointId, { signal }),
      ]);
      if (seq !== listSeq) return;
      listBanner.clear();
      processing.textContent = String(count.processing);
      totalLabel.textContent = status ? `${plural(page.total, 'task')} with status ${status}` : `${plural(page.total, 'task')} in total`;
      if (page.pages > 0 && pageNumber > page.pages) {
        pageNumber = page.pages;
        refreshList();
        return;
      }
      pageInfo.textContent = page.total ? `Page ${page.page} of ${Math.max(page.pages, 1)} · ${plural(page.total, 'task')}` : '';
      prev.disabled = page.page <= 1;
      next.disabled = page.page >= page.pages;
      if (!page.items.length) {
        replace(listBody, emptyState({
          title: status ? `No ${status.toLowerCase()} tasks` : 'No tasks yet',
          text: status ? 'Try another status filter.' : 'Submit a task and it appears here.',
          testid: 'tasks-empty',
        }));
        return;
      }
      replace(tbody, page.items.map((task) => {
        const tr = h('tr', { class: `clickable${task.taskId === selected ? ' selected' : ''}`, testid: 'task-row', 'data-task-id': task.taskId },
          h('td', null, h('a', { class: 'mono link', href: `#/endpoints/${endpointId}/tasks/${encodeURIComponent(task.taskId)}`, testid: 'task-link' }, task.taskId)),
          h('td', null, badge(task.status, 'task-status')),
          h('td', null, h('span', { class: 'muted small' }, delivery(task, currentEndpoint()))),
          h('td', { title: dateTime(task.createdAt) }, clock(task.createdAt)),
          h('td', { class: 'num' }, FINISHED.has(task.status) && task.createdAt && task.updatedAt ? duration(task.updatedAt - task.createdAt) : '…'));
        tr.addEventListener('click', (event) => {
          if (event.target.closest('a')) return;
          navigate(`#/endpoints/${endpointId}/tasks/${encodeURIComponent(task.taskId)}`);
        });
        return tr;
      }));
      if (listBody.firstChild !== table) replace(listBody, table);
    } catch (error) {
      if (signal.aborted || seq !== listSeq) return;
      listBanner.show('Could not load tasks', error);
      if (!tbody.children.length) replace(listBody, emptyState({ title: 'Tasks unavailable', text: describe(error), iconName: 'alert', testid: 'tasks-empty' }));
    }
  }

  function showDetail(id) {
    detailAbort?.abort();
    selected = id;
    tbody.querySelectorAll('tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.taskId === id));
    if (!id) { detailSlot.replaceChildren(); return; }
    const controller = new AbortController();
    detailAbort = controller;
    signal.addEventListener('abort', () => controller.abort(), { once: true });
    const card = h('section', { class: 'card task-detail', testid: 'task-detail', 'data-task-id': id }, spinner('Loading task…'));
    replace(detailSlot, card);
    let lastStatus = null;
    const load = async () => {
      try {
        const task = await api().getTask(endpointId, id, { signal: controller.signal });
        if (controller.signal.aborted) return;
        renderDetail(card, task);
        if (task.status !== lastStatus && lastStatus) refreshList();
        lastStatus = task.status;
        // Stop polling once nothing more can change: finished, and delivered (or nowhere to deliver).
        const noWebhook = task.webhook == null && !currentEndpoint()?.webhook;
        if (FINISHED.has(task.status) && (noWebhook || DELIVERY_DONE.has(task.deliveryStatus))) controller.abort();
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted) return;
        replace(card, h('div', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Task ', h('code', { class: 'mono' }, id)), closeButton()),
          h('div', { class: 'card-body' }, h('div', { class: 'banner banner-error', role: 'alert', testid: 'task-detail-error' }, icon('alert'), describe(error))));
        controller.abort();
      }
    };
    load();
    every(1000, load, controller.signal);
  }

  function closeButton() {
    return h('a', { class: 'icon-button', href: `#/endpoints/${endpointId}/tasks`, title: 'Close', 'aria-label': 'Close task', testid: 'task-detail-close' }, icon('x'));
  }

  function renderDetail(card, task) {
    const key = JSON.stringify([task.status, task.deliveryStatus, task.deliveryAttempts, task.updatedAt, task.error]);
    if (card.dataset.key === key) return;
    card.dataset.key = key;
    const done = FINISHED.has(task.status);
    replace(card,
      h('div', { class: 'card-header' },
        h('h2', { class: 'card-title' }, 'Task ', h('code', { class: 'mono', testid: 'task-detail-id' }, task.taskId), copyButton(task.taskId, 'Copy task ID')),
        h('div', { class: 'card-tools' }, badge(task.status, 'task-detail-status'), closeButton())),
      h('div', { class: 'card-body' },
        h('dl', { class: 'meta-grid' },
          meta('Created', dateTime(task.createdAt)),
          meta('Updated', dateTime(task.updatedAt)),
          meta('Took', done && task.createdAt && task.updatedAt ? duration(task.updatedAt - task.createdAt) : 'running…'),
          meta('Worker', task.workerUrl ? h('code', { class: 'mono small' }, task.workerUrl) : '—'),
          meta('Delivery', `${delivery(task, currentEndpoint())}${task.deliveryAttempts ? ` · ${plural(task.deliveryAttempts, 'attempt')}` : ''}`),
          meta('Webhook', task.webhook ? h('code', { class: 'mono small' }, task.webhook) : '—')),
        task.error ? h('div', { class: 'banner banner-error', testid: 'task-error' }, icon('alert'), h('div', null, h('strong', null, 'Failed: '), task.error)) : null,
        h('div', { class: 'json-grid' },
          jsonBlock('Input', task.input, 'task-detail-input'),
          jsonBlock('Output', done ? task.output : undefined, 'task-detail-output', done ? 'No output' : 'Waiting for a worker…'))));
  }

  function update(nextParams) {
    const id = nextParams.item ?? null;
    if (id !== selected || (id && !detailSlot.firstChild)) showDetail(id);
  }

  if (selected) showDetail(selected);

  return {
    refresh(endpoint) {
      if (!endpoint) return;
      if (port.value === '' && document.activeElement !== port) port.value = String(endpoint.expose?.port ?? 8000);
      const queue = endpoint.serviceMode === 'QUEUE';
      if (!queue) {
        replace(modeNote, icon('info'), h('div', null, `Tasks run on QUEUE endpoints; this one is in ${endpoint.serviceMode ?? 'another'} mode, so the API will refuse submissions.`));
      } else if (endpoint.status === 'STOPPED' || endpoint.status === 'STOPPING') {
        replace(modeNote, icon('info'), h('div', null, 'The endpoint is not running: new tasks are refused until it starts again.'));
      }
      modeNote.hidden = queue && endpoint.status !== 'STOPPED' && endpoint.status !== 'STOPPING';
      if (!listStarted) { listStarted = true; refreshList(); every(REFRESH_MS, refreshList, signal); }
    },
    update,
  };
}

function field(label, el) {
  return h('div', { class: 'field' }, h('label', { class: 'label', htmlFor: el.id }, label), el, h('div', { class: 'field-error', testid: 'field-error', hidden: true }));
}

function clearError(el) {
  el.classList?.remove('invalid');
  el.removeAttribute?.('aria-invalid');
  const slot = el.closest?.('.field')?.querySelector(':scope > .field-error');
  if (slot) slot.hidden = true;
}

/** A task's webhook delivery in words. */
function delivery(task, endpoint) {
  const hasWebhook = Boolean(task.webhook || endpoint?.webhook);
  switch (task.deliveryStatus) {
    case 'SUCCESS': return 'delivered';
    case 'FAILED': return 'delivery failed';
    case 'MAX_RETRIES_EXCEEDED': return 'gave up (max retries)';
    case 'INIT': case null: case undefined: return hasWebhook ? 'pending' : 'no webhook';
    default: return String(task.deliveryStatus).toLowerCase();
  }
}

function meta(label, value) {
  return h('div', { class: 'meta' }, h('dt', null, label), h('dd', null, value));
}

function jsonBlock(label, value, testid, emptyText = '—') {
  const text = value === undefined || value === null ? null : prettyJson(value);
  return h('div', { class: 'json-block' },
    h('div', { class: 'json-label' }, label, text ? copyButton(text, `Copy ${label.toLowerCase()}`) : null),
    text ? h('pre', { class: 'code', testid }, text) : h('div', { class: 'code code-empty', testid }, emptyText));
}
