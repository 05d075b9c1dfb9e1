// The log viewer: pick a worker, filter by keyword, tail live (follow mode + AbortController),
// and page back through older lines (Backward pages and their `next` cursor).
import { h, icon, replace } from '../lib/dom.js';
import { api } from '../lib/client.js';
import { logTime } from '../lib/format.js';
import { isAbort } from '../lib/errors.js';
import { errorBanner } from '../lib/ui.js';

const PAGE_SIZE = 100;
const MAX_LINES = 5000;
const LEVEL = /^(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b\s*/;

export function mountLogs(root, params, { signal, endpointId }) {
  let worker = params.item ?? null;
  let keyword = '';
  let live = true;
  let lines = [];
  const offsets = new Set();
  let older = null;
  let tailFrom = null; // where the live tail starts when no line is shown (cursor of the log's newest line)
  let loadAbort = null;
  let tailAbort = null;
  let pending = [];
  let flushQueued = false;
  let knownWorkers = [];

  const banner = errorBanner('logs-error');
  const workerSelect = h('select', { class: 'select', testid: 'log-worker', 'aria-label': 'Worker' });
  const keywordInput = h('input', {
    class: 'input input-search', type: 'search', placeholder: 'Filter by keyword', testid: 'log-keyword', 'aria-label': 'Keyword', spellcheck: false,
  });
  const liveToggle = h('input', { type: 'checkbox', checked: live, testid: 'log-live', role: 'switch' });
  const liveLabel = h('label', { class: 'switch', title: 'Follow new lines as they are written' }, liveToggle, h('span', { class: 'switch-track' }), 'Live tail');
  const olderButton = h('button', { type: 'button', class: 'button button-sm log-older', testid: 'log-load-older', hidden: true }, 'Load older lines');
  const pane = h('div', { class: 'log-lines', testid: 'log-lines' });
  const empty = h('div', { class: 'log-empty', testid: 'log-empty', hidden: true });
  const scroller = h('div', { class: 'log-scroll', testid: 'log-pane', tabindex: '0' }, olderButton, pane, empty);
  const status = h('div', { class: 'log-status', testid: 'log-status' });

  replace(root, h('section', { class: 'card logs-card' },
    h('div', { class: 'log-toolbar' },
      h('div', { class: 'toolbar-group' }, h('label', { class: 'label-inline' }, 'Worker'), workerSelect),
      h('div', { class: 'toolbar-group grow' }, h('span', { class: 'input-icon' }, icon('search')), keywordInput),
      liveLabel),
    banner.el,
    scroller,
    status));

  workerSelect.addEventListener('change', () => {
    worker = workerSelect.value || null;
    history.replaceState(null, '', `#/endpoints/${endpointId}/logs/${worker ?? ''}`);
    reload();
  });
  let debounce;
  keywordInput.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(applyKeyword, 350);
  });
  keywordInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { clearTimeout(debounce); applyKeyword(); }
  });
  liveToggle.addEventListener('change', () => {
    live = liveToggle.checked;
    if (live) startTail(); else stopTail();
    renderStatus();
  });
  olderButton.addEventListener('click', loadOlder);
  signal.addEventListener('abort', () => { loadAbort?.abort(); tailAbort?.abort(); clearTimeout(debounce); });

  function applyKeyword() {
    const next = keywordInput.value.trim();
    if (next === keyword) return;
    keyword = next;
    reload();
  }

  function refreshWorkers(workers) {
    knownWorkers = workers;
    const ids = workers.map((w) => w.id);
    if (!worker || !ids.includes(worker)) {
      const pick = workers.find((w) => w.status === 'RUNNING') ?? workers[0];
      if (!worker && pick) {
        worker = pick.id;
        history.replaceState(null, '', `#/endpoints/${endpointId}/logs/${worker}`);
        renderOptions();
        reload();
        return;
      }
    }
    renderOptions();
  }

  function renderOptions() {
    const key = JSON.stringify([worker, knownWorkers.map((w) => [w.id, w.status])]);
    if (workerSelect.dataset.key === key) return;
    workerSelect.dataset.key = key;
    const options = knownWorkers.map((w) => h('option', { value: w.id, selected: w.id === worker }, `${w.id} · ${w.status}`));
    if (worker && !knownWorkers.some((w) => w.id === worker)) options.unshift(h('option', { value: worker, selected: true }, worker));
    if (!options.length) options.push(h('option', { value: '' }, 'No workers yet'));
    replace(workerSelect, options);
    workerSelect.disabled = !worker;
  }

  async function reload() {
    loadAbort?.abort();
    stopTail();
    lines = [];
    offsets.clear();
    pending = [];
    older = null;
    pane.replaceChildren();
    olderButton.hidden = true;
    banner.clear();
    if (!worker) {
      renderStatus('Logs appear once the endpoint has a worker.');
      return;
    }
    loadAbort = new AbortController();
    const sig = loadAbort.signal;
    renderStatus('Loading…');
    try {
      const page = await api().workerLogsPage(endpointId, worker, {
        direction: 'Backward', pageSize: PAGE_SIZE, keyword: keyword || null, signal: sig,
      });
      if (sig.aborted) return;
      add(page.logs.slice().reverse(), 'end');
      older = page.hasMore ? page.next : null;
      tailFrom = null;
      if (!lines.length && keyword) {
        // Nothing matches lately: tail from the log's newest line, not from its very beginning.
        const head = await api().workerLogsPage(endpointId, worker, { direction: 'Backward', pageSize: 1, signal: sig });
        if (sig.aborted) return;
        if (head.logs[0]) tailFrom = cursorOf(head.logs[0]);
      }
      olderButton.hidden = !older;
      scroller.scrollTop = scroller.scrollHeight;
      renderStatus();
      if (live) startTail();
    } catch (error) {
      if (isAbort(error) || sig.aborted) return;
      banner.show('Could not read the log', error);
      renderStatus('');
    }
  }

  async function loadOlder() {
    if (!older || !worker) return;
    olderButton.disabled = true;
    olderButton.textContent = 'Loading…';
    const sig = loadAbort?.signal ?? signal;
    try {
      const page = await api().workerLogsPage(endpointId, worker, {
        direction: 'Backward', pageSize: PAGE_SIZE, keyword: keyword || null, after: older, signal: sig,
      });
      if (sig.aborted) return;
      const before = scroller.scrollHeight;
      add(page.logs.slice().reverse(), 'start');
      scroller.scrollTop += scroller.scrollHeight - before;
      older = page.hasMore ? page.next : null;
      renderStatus();
    } catch (error) {
      if (!isAbort(error)) banner.show('Could not load older lines', error);
    } finally {
      olderButton.disabled = false;
      olderButton.textContent = 'Load older lines';
      olderButton.hidden = !older;
    }
  }

  async function startTail() {
    if (!worker || tailAbort) return;
    const controller = new AbortController();
    tailAbort = controller;
    const newest = lines.at(-1);
    // Continue forward right after the newest line shown (the API's search-after tokens).
    const after = newest ? cursorOf(newest) : tailFrom;
    renderStatus();
    try {
      const stream = api().workerLogs(endpointId, worker, {
        follow: true, followIntervalMs: 1000, pageSize: 500, keyword: keyword || null, after, signal: controller.signal,
      });
      for await (const line of stream) {
        if (controller.signal.aborted) break;
        queue(line);
      }
    } catch (error) {
      if (!isAbort(error) && !controller.signal.aborted) {
        banner.show('Live tail stopped', error);
      }
    } finally {
      if (tailAbort === controller) {
        tailAbort = null;
        renderStatus();
      }
    }
  }

  function stopTail() {
    tailAbort?.abort();
    tailAbort = null;
  }

  function queue(line) {
    pending.push(line);
    if (flushQueued) return;
    flushQueued = true;
    requestAnimationFrame(() => {
      flushQueued = false;
      const pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
      const batch = pending;
      pending = [];
      add(batch, 'end');
      if (pinned) scroller.scrollTop = scroller.scrollHeight;
      renderStatus();
    });
  }

  function add(batch, where) {
    const fresh = batch.filter((line) => !offsets.has(line.offset));
    if (!fresh.length) return;
    for (const line of fresh) offsets.add(line.offset);
    const nodes = fresh.map(renderLine);
    if (where === 'start') {
      lines = fresh.concat(lines);
      pane.prepend(...nodes);
    } else {
      lines = lines.concat(fresh);
      pane.append(...nodes);
    }
    if (lines.length > MAX_LINES && where === 'end') {
      // Keep the view bounded: drop the oldest lines; "load older" brings them back.
      const drop = lines.length - MAX_LINES;
      for (const line of lines.slice(0, drop)) offsets.delete(line.offset);
      lines = lines.slice(drop);
      for (let i = 0; i < drop; i += 1) pane.firstChild?.remove();
      older = cursorOf(lines[0]);
      olderButton.hidden = false;
    }
  }

  function renderLine(line) {
    const match = LEVEL.exec(line.log);
    const level = match ? match[1].replace('WARNING', 'WARN') : null;
    const text = match ? line.log.slice(match[0].length) : line.log;
    return h('div', { class: `log-line${level ? ` level-${level.toLowerCase()}` : ''}`, testid: 'log-line', 'data-offset': line.offset },
      h('span', { class: 'log-ts', title: line.timestamp }, logTime(line.timestamp)),
      h('span', { class: 'log-level' }, level ?? ''),
      h('span', { class: 'log-msg', testid: 'log-text' }, highlight(text, keyword)));
  }

  function renderStatus(message) {
    empty.hidden = lines.length > 0 || message != null;
    empty.textContent = keyword
      ? `No recent line matches “${keyword}”.${tailAbort ? ' Matching lines will appear here as they are written.' : ''}`
      : 'This worker has not written anything yet.';
    const parts = [];
    if (message != null) {
      parts.push(h('span', null, message));
    } else {
      parts.push(h('span', { testid: 'log-count' }, `${lines.length} line${lines.length === 1 ? '' : 's'}`));
      if (keyword) parts.push(h('span', null, ` matching “${keyword}”`));
      if (older) parts.push(h('span', { class: 'muted' }, ' · older lines available'));
    }
    const tailing = Boolean(tailAbort);
    replace(status, h('span', { class: `live-dot${tailing ? ' on' : ''}`, testid: tailing ? 'log-tailing' : 'log-paused' }),
      h('span', { class: 'live-label' }, tailing ? 'Live' : 'Paused'), h('span', { class: 'muted' }, ' · '), parts);
  }

  reload();
  return {
    refresh(_endpoint, workers) { refreshWorkers(workers ?? []); },
    update(next) {
      if (next.item && next.item !== worker) {
        worker = next.item;
        renderOptions();
        reload();
      }
    },
  };
}

/** The API's search-after tokens naming one line: continue after (or before) it. */
function cursorOf(line) {
  return { time: String(Date.parse(line.timestamp)), offset: line.offset };
}

function highlight(text, keyword) {
  if (!keyword) return text;
  const lower = text.toLowerCase();
  const needle = keyword.toLowerCase();
  const parts = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(h('mark', null, text.slice(at, at + needle.length)));
    from = at + needle.length;
  }
  parts.push(text.slice(from));
  return parts;
}
