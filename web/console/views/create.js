// The create form: every field of an endpoint spec; the SDK's validation shown at the field.
import { h, icon, replace } from '../lib/dom.js';
import { api, apiVersion, GPU_TYPES } from '../lib/client.js';
import { describe, detail, fieldErrors, isAbort } from '../lib/errors.js';
import { errorSlot, field, toast } from '../lib/ui.js';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-central-1', 'eu-west-1', 'ap-southeast-1'];
const MODES = [
  ['QUEUE', 'Queue', 'Asynchronous tasks: submit JSON, workers process it in order.'],
  ['ALB', 'Load balancer', 'HTTP requests routed to workers through a domain. Needs an exposed port.'],
  ['CUSTOM', 'Custom', 'Your own routing; the exposed port is used as a health check.'],
];

let formCounter = 0;

export function mountCreate(root, _params, { signal, navigate }) {
  const uid = `f${++formCounter}`;
  const resourceRows = [];
  const envRows = [];
  let submitting = false;

  // --- controls --------------------------------------------------------------------------------
  const input = (field, props = {}) => h('input', {
    class: 'input', id: `${uid}-${field}`, 'data-field': field, testid: `input-${field}`, autocomplete: 'off', ...props,
  });
  const name = input('name', { placeholder: 'llama-inference', spellcheck: false });
  const image = input('image', { placeholder: 'vllm/vllm-openai:latest', spellcheck: false });
  const imageRegistry = input('imageRegistry', { placeholder: 'docker.io (default)' });
  // The account's credentials by name; loaded when the form opens (a private image needs one).
  const credentialId = h('select', { class: 'select', id: `${uid}-credentialId`, 'data-field': 'credentialId', testid: 'input-credentialId' },
    h('option', { value: '' }, 'None (public image)'));
  const credentialHint = h('span', { testid: 'credential-hint' }, 'Loading credentials…');
  const initializationCommand = input('initializationCommand', { placeholder: 'e.g. pip install -r requirements.txt', spellcheck: false });
  const workers = input('workers', { type: 'number', min: 0, step: 1, value: '1' });
  const volume = input('containerVolumeInGb', { type: 'number', min: 20, step: 1, value: '100' });
  const minVram = input('minSingleCardVramInGb', { type: 'number', min: 0, step: 1, placeholder: 'any' });
  const minVcpu = input('minSingleCardVcpu', { type: 'number', min: 0, step: 1, placeholder: 'any' });
  const minRam = input('minSingleCardRamInGb', { type: 'number', min: 0, step: 1, placeholder: 'any' });
  const exposePort = input('expose.port', { type: 'number', min: 1, max: 65535, step: 1, placeholder: '8000' });
  const exposeProtocol = h('select', { class: 'select', id: `${uid}-expose.protocol`, 'data-field': 'expose.protocol', testid: 'input-expose.protocol' },
    h('option', { value: 'http' }, 'HTTP'), h('option', { value: 'tcp' }, 'TCP'));
  const webhook = input('webhook', { type: 'url', placeholder: 'https://example.com/hooks/yotta' });

  const modeGroup = h('div', { class: 'mode-options', role: 'radiogroup', 'data-field': 'serviceMode', testid: 'input-serviceMode' },
    MODES.map(([value, title, text]) => h('label', { class: 'mode-option' },
      h('input', { type: 'radio', name: `${uid}-mode`, value, checked: value === 'QUEUE', testid: `mode-${value}`, onchange: updateSummary }),
      h('span', { class: 'mode-title' }, title, h('code', { class: 'mode-code' }, value)),
      h('span', { class: 'mode-text' }, text))));
  const serviceMode = () => modeGroup.querySelector('input:checked')?.value ?? '';

  const resourcesBody = h('div', { class: 'rows', testid: 'resource-rows' });
  const envBody = h('div', { class: 'rows', testid: 'env-rows' });
  const summary = h('div', { class: 'summary-body', testid: 'create-summary' });
  const formError = h('div', { class: 'banner banner-error', role: 'alert', testid: 'form-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block', testid: 'create-submit' }, 'Create endpoint');

  const datalists = [
    h('datalist', { id: `${uid}-regions` }, REGIONS.map((r) => h('option', { value: r }))),
  ];

  function addResource(values = {}) {
    const region = h('input', { class: 'input', list: `${uid}-regions`, value: values.region ?? 'us-east-1', placeholder: 'Region', 'aria-label': 'Region', testid: 'resource-region', autocomplete: 'off' });
    const chosen = values.gpuType ?? GPU_TYPES[0].code;
    const gpuType = h('select', { class: 'select', 'aria-label': 'GPU type', testid: 'resource-gpuType' },
      GPU_TYPES.map((gpu) => h('option', { value: gpu.code, selected: gpu.code === chosen }, `${gpu.displayName} · ${gpu.vramGb} GB`)));
    const gpuCount = h('input', { class: 'input', type: 'number', min: 1, step: 1, value: String(values.gpuCount ?? 1), 'aria-label': 'GPUs per worker', testid: 'resource-gpuCount' });
    const remove = h('button', { type: 'button', class: 'icon-button', title: 'Remove resource', 'aria-label': 'Remove resource', testid: 'remove-resource' }, icon('x'));
    const row = { region, gpuType, gpuCount, el: null };
    row.el = h('div', { class: 'row row-resource', testid: 'resource-row' },
      region, gpuType, gpuCount, h('div', { class: 'row-tail' }, remove), errorSlot());
    remove.addEventListener('click', () => {
      if (resourceRows.length === 1) return;
      resourceRows.splice(resourceRows.indexOf(row), 1);
      row.el.remove();
      renumber();
    });
    for (const el of [region, gpuType, gpuCount]) el.addEventListener('input', updateSummary);
    resourceRows.push(row);
    resourcesBody.append(row.el);
    renumber();
  }

  function addEnv(values = {}) {
    const key = h('input', { class: 'input mono', value: values.key ?? '', placeholder: 'KEY', 'aria-label': 'Variable name', testid: 'env-key', autocomplete: 'off', spellcheck: false });
    const value = h('input', { class: 'input mono', value: values.value ?? '', placeholder: 'value', 'aria-label': 'Value', testid: 'env-value', autocomplete: 'off', spellcheck: false });
    const remove = h('button', { type: 'button', class: 'icon-button', title: 'Remove variable', 'aria-label': 'Remove variable', testid: 'remove-env' }, icon('x'));
    const row = { key, value, el: null };
    row.el = h('div', { class: 'row row-env', testid: 'env-row' }, key, value, h('div', { class: 'row-tail' }, remove), errorSlot());
    remove.addEventListener('click', () => {
      envRows.splice(envRows.indexOf(row), 1);
      row.el.remove();
      renumber();
    });
    envRows.push(row);
    envBody.append(row.el);
    renumber();
  }

  /** Names each row input after its index in the spec (resources[1].gpuCount). */
  function renumber() {
    resourceRows.forEach((row, i) => {
      setField(row.region, `resources[${i}].region`);
      setField(row.gpuType, `resources[${i}].gpuType`);
      setField(row.gpuCount, `resources[${i}].gpuCount`);
    });
    resourcesBody.querySelectorAll('[data-testid="remove-resource"]').forEach((b) => { b.disabled = resourceRows.length === 1; });
    let sent = 0;
    for (const row of envRows) {
      if (row.key.value === '' && row.value.value === '') {
        setField(row.key, null);
        setField(row.value, null);
      } else {
        setField(row.key, `environmentVars[${sent}].key`);
        setField(row.value, `environmentVars[${sent}].value`);
        sent += 1;
      }
    }
    updateSummary();
  }

  // --- layout ----------------------------------------------------------------------------------
  const nameHint = h('span', null);
  const form = h('form', { class: 'create-form', testid: 'create-form', novalidate: true },
    h('div', { class: 'form-main' },
      section('Basics', 'What to run and how it receives work.',
        h('div', { class: 'grid-2' },
          field('Name', name, nameHint),
          field('Container image', image, 'Public image, or private with a registry credential.')),
        h('div', { class: 'grid-2' },
          field('Registry credential', credentialId, credentialHint),
          field('Image registry', imageRegistry)),
        field('Service mode', modeGroup)),
      section('GPU resources', 'Where workers may run. Workers fill these in order; every resource uses the same GPU count.',
        h('div', { class: 'row row-resource row-head' }, h('span', null, 'Region'), h('span', null, 'GPU type'), h('span', null, 'GPUs / worker'), h('span')),
        sectionSlot('resources', resourcesBody),
        h('button', { type: 'button', class: 'button button-sm button-ghost', testid: 'add-resource', onclick: () => addResource({ gpuCount: resourceRows[0]?.gpuCount.value }) }, icon('plus'), 'Add resource'),
        h('div', { class: 'grid-2 gap-top' },
          field('Workers', workers, 'You can scale later.'),
          field('Container volume (GB)', volume, 'At least 20 GB.'))),
      section('Networking', 'The port your container listens on, and where finished tasks are reported.',
        h('div', { class: 'grid-3' },
          field('Exposed port', exposePort, 'Required for ALB; a health check otherwise.', 'expose'),
          field('Protocol', exposeProtocol),
          h('div')),
        field('Webhook URL', webhook, 'Optional. Receives a POST when a task finishes.')),
      section('Environment variables', 'Passed to every worker. Values are not shown in logs.',
        sectionSlot('environmentVars', envBody),
        h('button', { type: 'button', class: 'button button-sm button-ghost', testid: 'add-env', onclick: () => { addEnv(); envRows.at(-1).key.focus(); } }, icon('plus'), 'Add variable')),
      h('details', { class: 'card section advanced' },
        h('summary', { class: 'section-title' }, 'Advanced', h('span', { class: 'muted small' }, ' start-up command, minimum card specs')),
        h('div', { class: 'section-body' },
          field('Initialization command', initializationCommand),
          h('div', { class: 'grid-3' },
            field('Min VRAM per card (GB)', minVram),
            field('Min vCPU per card', minVcpu),
            field('Min RAM per card (GB)', minRam))))),
    h('aside', { class: 'form-side' },
      h('div', { class: 'card sticky' },
        h('div', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Summary')),
        summary,
        h('div', { class: 'card-footer' }, formError, submit,
          h('a', { class: 'button button-ghost button-block', href: '#/endpoints', testid: 'create-cancel' }, 'Cancel')))),
    datalists);

  replace(root,
    h('div', { class: 'page-header' },
      h('div', null,
        h('a', { class: 'breadcrumb', href: '#/endpoints' }, icon('back'), 'Endpoints'),
        h('h1', { class: 'page-title' }, 'New endpoint'),
        h('p', { class: 'page-subtitle' }, 'Deploy a container image on serverless GPUs. Inputs are checked by the SDK before anything is sent.'))),
    form);

  addResource();
  addEnv();
  updateNameHint();
  loadCredentials();

  form.addEventListener('input', (event) => {
    const target = event.target.closest('[data-field]');
    if (target) clearError(target);
    if (event.target.closest('.row-env')) renumber();
  });
  form.addEventListener('change', (event) => {
    const target = event.target.closest('[data-field]');
    if (target) clearError(target);
    updateSummary();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submitting) return;
    clearAllErrors();
    renumber();
    const spec = buildSpec();
    submitting = true;
    submit.disabled = true;
    submit.classList.add('loading');
    submit.textContent = 'Creating…';
    try {
      const endpoint = await api().createEndpoint(spec, { signal });
      toast(`Endpoint ${endpoint.name} created`, { detail: `ID ${endpoint.id}` });
      navigate(`#/endpoints?created=${encodeURIComponent(endpoint.id)}`);
    } catch (error) {
      if (isAbort(error) || signal.aborted) return;
      showError(error);
    } finally {
      submitting = false;
      submit.disabled = false;
      submit.classList.remove('loading');
      submit.textContent = 'Create endpoint';
    }
  });

  // --- behaviour -------------------------------------------------------------------------------
  async function loadCredentials() {
    const manage = h('a', { href: '#/credentials', testid: 'manage-credentials' }, 'Manage credentials');
    try {
      const credentials = await api().listCredentials({ signal });
      credentialId.append(...credentials.map((c) => h('option', { value: c.id }, `${c.name}${c.type ? ` (${c.type})` : ''}`)));
      replace(credentialHint, credentials.length ? 'For a private image. ' : 'No credentials yet. ', manage);
    } catch (error) {
      if (isAbort(error) || signal.aborted) return;
      replace(credentialHint, `Credentials could not be loaded: ${describe(error)} `, manage);
    }
  }

  function buildSpec() {
    const spec = {
      name: name.value.trim(),
      image: image.value.trim(),
      serviceMode: serviceMode(),
      resources: resourceRows.map((row) => ({
        region: row.region.value.trim(),
        gpuType: row.gpuType.value.trim(),
        gpuCount: int(row.gpuCount.value),
      })),
      workers: int(workers.value),
      containerVolumeInGb: int(volume.value),
    };
    const text = (el) => el.value.trim() || null;
    if (text(imageRegistry)) spec.imageRegistry = text(imageRegistry);
    if (credentialId.value) spec.credentialId = credentialId.value;
    if (text(initializationCommand)) spec.initializationCommand = text(initializationCommand);
    if (minVram.value !== '') spec.minSingleCardVramInGb = int(minVram.value);
    if (minVcpu.value !== '') spec.minSingleCardVcpu = int(minVcpu.value);
    if (minRam.value !== '') spec.minSingleCardRamInGb = int(minRam.value);
    const env = envRows.filter((row) => row.key.value !== '' || row.value.value !== '')
      .map((row) => ({ key: row.key.value.trim(), value: row.value.value }));
    if (env.length) spec.environmentVars = env;
    if (exposePort.value.trim() !== '') spec.expose = { port: int(exposePort.value), protocol: exposeProtocol.value };
    if (text(webhook)) spec.webhook = text(webhook);
    return spec;
  }

  function showError(error) {
    const blamed = fieldErrors(error);
    let placed = 0;
    for (const { field: path, text } of blamed) {
      if (showFieldError(path, text)) placed += 1;
    }
    if (placed === 0 || placed < blamed.length) {
      replace(formError, icon('alert'), h('div', null,
        h('div', { testid: 'form-error-text' }, describe(error)),
        detail(error) ? h('div', { class: 'error-detail' }, detail(error)) : null));
      formError.hidden = false;
    } else {
      replace(formError, icon('alert'), h('div', { testid: 'form-error-text' },
        blamed.length === 1 ? 'Fix the highlighted field.' : `Fix the ${blamed.length} highlighted fields.`));
      formError.hidden = false;
    }
  }

  /** Puts `text` under the input named `path`, or the nearest enclosing one ("expose" for "expose.port"). */
  function showFieldError(path, text) {
    let target = null;
    for (let p = path; p && !target; p = parent(p)) {
      target = form.querySelector(`[data-field="${CSS.escape(p)}"]`) ?? form.querySelector(`[data-field-alias="${CSS.escape(p)}"]`);
    }
    if (!target) return false;
    const slot = slotFor(target);
    target.classList.add('invalid');
    target.setAttribute('aria-invalid', 'true');
    if (slot) {
      // In a row, say which column is at fault ("GPUs per worker: must equal …").
      const column = target.closest('.row') ? target.getAttribute('aria-label') : null;
      slot.textContent = column ? `${column}: ${text[0].toLowerCase()}${text.slice(1)}` : text;
      slot.dataset.errorFor = path;
      slot.hidden = false;
    }
    target.closest('details')?.setAttribute('open', '');
    target.scrollIntoView({ block: 'center', behavior: 'instant' });
    if (typeof target.focus === 'function') target.focus({ preventScroll: true });
    return true;
  }

  function clearError(target) {
    target.classList.remove('invalid');
    target.removeAttribute('aria-invalid');
    const slot = slotFor(target);
    if (slot && !slot.parentElement.querySelector('.invalid')) slot.hidden = true;
  }

  function clearAllErrors() {
    formError.hidden = true;
    form.querySelectorAll('.invalid').forEach((el) => clearError(el));
    form.querySelectorAll('.field-error').forEach((el) => { el.hidden = true; });
  }

  function updateNameHint() {
    nameHint.textContent = `Starts with a letter; letters, digits and @ . _ - only; at most ${apiVersion() === 'v1' ? 50 : 20} characters (API ${apiVersion()}).`;
  }

  function updateSummary() {
    const mode = serviceMode();
    const count = Number(workers.value) || 0;
    const first = resourceRows[0];
    const gpus = first ? Number(first.gpuCount.value) || 0 : 0;
    const gpuType = first?.gpuType.value.trim() ?? '';
    const gpuLabel = GPU_TYPES.find((gpu) => gpu.code === gpuType)?.displayName ?? (gpuType || '—');
    const regions = [...new Set(resourceRows.map((r) => r.region.value.trim()).filter(Boolean))];
    replace(summary,
      line('Service mode', mode || '—'),
      line('Workers', String(count)),
      line('GPUs per worker', `${gpus} × ${gpuLabel}`),
      line('Total GPUs', String(count * gpus)),
      line('Regions', regions.join(', ') || '—'),
      line('Volume', volume.value ? `${volume.value} GB` : '—'),
      line('API version', apiVersion()));
  }
}

// --- helpers -------------------------------------------------------------------------------------

function int(value) {
  const text = String(value ?? '').trim();
  return text === '' ? null : Number(text);
}

function parent(path) {
  const bracket = path.lastIndexOf('[');
  const dot = path.lastIndexOf('.');
  const cut = Math.max(bracket, dot);
  return cut > 0 ? path.slice(0, cut) : '';
}

function setField(el, path) {
  if (path) el.setAttribute('data-field', path);
  else el.removeAttribute('data-field');
}

/** Where an input's message goes: under its row (row inputs), else under its field. */
function slotFor(target) {
  return target.closest('.row, .control, .section-slot')?.querySelector(':scope > .field-error') ?? null;
}

/** A container that can carry an error for a whole list ("resources", "environmentVars"). */
function sectionSlot(path, body) {
  return h('div', { class: 'section-slot' }, h('div', { class: 'slot-target', 'data-field': path }, body), errorSlot());
}

function section(title, text, ...children) {
  return h('section', { class: 'card section' },
    h('div', { class: 'section-head' }, h('h2', { class: 'section-title' }, title), text ? h('p', { class: 'section-text' }, text) : null),
    h('div', { class: 'section-body' }, children));
}

function line(label, value) {
  return h('div', { class: 'summary-line' }, h('span', { class: 'muted' }, label), h('span', { class: 'summary-value' }, value));
}
