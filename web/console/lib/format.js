// Formatting of money, durations, times and JSON values (bigint-safe).

const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd6 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** US dollars: cents for large amounts, up to micro-dollars for small ones. */
export function money(value) {
  if (value == null || Number.isNaN(value)) return '—';
  if (value !== 0 && Math.abs(value) < 1) return usd6.format(value);
  return usd2.format(value);
}

export function perHour(value) {
  return value == null ? '—' : `${money(value)}/h`;
}

/** Milliseconds as "850 ms", "42s", "3m 05s", "2h 10m", "3d 4h". */
export function duration(ms) {
  if (ms == null || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const hours = Math.floor(m / 60);
  if (hours < 24) return `${hours}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

/** Epoch milliseconds as a local date and time. */
export function dateTime(ms) {
  if (ms == null) return '—';
  return dateTimeFmt.format(new Date(ms));
}

export function clock(ms) {
  return ms == null ? '—' : timeFmt.format(new Date(ms));
}

/** An ISO 8601 log timestamp as "HH:MM:SS.mmm" (UTC, as the API sends it). */
export function logTime(iso) {
  const match = /T(\d\d:\d\d:\d\d(?:\.\d+)?)/.exec(iso ?? '');
  return match ? match[1] : (iso ?? '');
}

/**
 * Pretty JSON that keeps bigints (the SDK hands integers beyond 2^53 over as bigint) exact.
 */
export function prettyJson(value, indent = 2) {
  const write = (v, depth) => {
    const pad = ' '.repeat(indent * (depth + 1));
    const end = ' '.repeat(indent * depth);
    if (typeof v === 'bigint') return v.toString();
    if (v === undefined) return 'null';
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((item) => pad + write(item, depth + 1)).join(',\n')}\n${end}]`;
    }
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, item]) => `${pad}${JSON.stringify(k)}: ${write(item, depth + 1)}`).join(',\n')}\n${end}}`;
  };
  return write(value, 0);
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact as bigint (where the browser gives revivers
 * the source text), so task input such as ids survives the round trip.
 */
export function parseJson(text) {
  return JSON.parse(text, function (key, value, context) {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source
      && /^-?\d+$/.test(context.source)) {
      return BigInt(context.source);
    }
    return value;
  });
}

export function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}
