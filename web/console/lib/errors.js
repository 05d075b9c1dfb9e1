// Turning SDK errors into words for people, and validation errors into field messages.

/** True for an aborted call (navigation away, a new query): never shown. */
export function isAbort(error) {
  return error?.kind === 'aborted' || error?.name === 'AbortError';
}

/**
 * The sentence to show for a failed call: the SDK's advice (the API's refusal in words), else a
 * sentence for the kind of failure, else the SDK's message.
 */
export function describe(error) {
  if (error == null) return 'Something went wrong.';
  if (error.kind === 'validation') return fieldErrors(error).map((e) => `${label(e.field)}: ${e.text}`).join('\n');
  if (error.kind === 'unauthorized') {
    return `${sentence(error.advice || 'the API refused the request (unauthorized)')}. The console holds no key: serve it through a proxy that adds X-API-Key.`;
  }
  if (error.advice) return sentence(error.advice);
  const byKind = kindSentence(error);
  if (byKind) return byKind;
  return error.message ? firstLine(error.message) : String(error);
}

function kindSentence(error) {
  const status = error.httpStatus;
  switch (error.kind) {
    case 'network': return 'Cannot reach the API: the request got no answer. Check that the server is running.';
    case 'timeout': return 'The API did not answer in time.';
    case 'decode': return 'The API sent a response the SDK could not read.';
    case 'http':
      if (status === 429) return 'The API is rate-limiting requests (HTTP 429). Try again in a moment.';
      if (status >= 500) return `The API failed with a server error (HTTP ${status}). It may be temporarily unavailable.`;
      return status ? `The API answered HTTP ${status}.` : null;
    default: return null;
  }
}

/** "code 24002 · notAllowed", or the SDK's own message when the sentence paraphrased it. */
export function detail(error) {
  if (!error || error.kind === 'validation') return null;
  const parts = [];
  if (error.code != null && error.code !== error.httpStatus) parts.push(`code ${error.code}`);
  if (error.kind) parts.push(error.kind);
  if (error.httpStatus != null && error.httpStatus !== 200) parts.push(`HTTP ${error.httpStatus}`);
  if (!error.advice && kindSentence(error) && error.message) parts.push(truncate(firstLine(error.message), 140));
  return parts.length ? parts.join(' · ') : null;
}

/** The first line of a message, without HTML bodies or stack traces an upstream may add. */
function firstLine(text) {
  return String(text).split(/\r?\n/)[0].replace(/<[^>]*>/g, '').replace(/JsValue\(/, '').trim();
}

function truncate(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/**
 * The fields an error blames, each with a short text, e.g.
 * `[{ field: 'resources[1].gpuCount', text: 'Must equal resources[0].gpuCount (1) …' }]`.
 * Empty when the error names no field.
 */
export function fieldErrors(error) {
  if (!error) return [];
  if (error.kind === 'validation' && error.field) {
    let field = normalizeField(error.field);
    let text = String(error.message ?? '');
    const prefix = `invalid ${error.field}: `;
    if (text.startsWith(prefix)) text = text.slice(prefix.length);
    text = text.replace(/^Error: /, '');
    // Type errors from decoding the input (before the SDK's own checks run).
    const missing = /missing field `([^`]+)`/.exec(text);
    if (missing) {
      field = field ? `${field}.${missing[1]}` : missing[1];
      text = 'is required';
    } else if (/invalid type: (unit value|null)/.test(text)) {
      text = 'is required';
    } else if (/invalid type: floating point/.test(text)) {
      text = 'must be a whole number';
    } else if (/invalid type/.test(text)) {
      text = 'has the wrong type';
    }
    return [{ field, text: sentence(text) }];
  }
  // The API's own parameter errors (code 10001) name fields in the message:
  // "parameter error: serviceMode: must be one of ALB, QUEUE, CUSTOM; name: ...".
  if (error.kind === 'invalidParameter') {
    const match = /parameter error: (.*?)(?: \(code \d+[^)]*\))?$/.exec(String(error.message ?? ''));
    if (match) {
      return match[1].split('; ').map((part) => {
        const m = /^([A-Za-z][\w.[\]]*): (.+)$/.exec(part);
        return m ? { field: normalizeField(m[1]), text: sentence(m[2]) } : null;
      }).filter(Boolean);
    }
  }
  return [];
}

/** Strips the argument name the SDK prefixes to decoding errors ("spec.workers" -> "workers"). */
export function normalizeField(field) {
  return String(field ?? '').replace(/^(spec|update|task|options)(\.|$)/, '');
}

function label(field) {
  return field || 'Input';
}

function sentence(text) {
  const t = String(text).trim();
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}
