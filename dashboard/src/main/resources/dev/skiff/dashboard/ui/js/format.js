// Formatting of Kubernetes values as kubectl shows them.

const SUFFIX = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A resource.Quantity as a number (cores for CPU, bytes for memory); NaN if malformed. */
export function quantity(q) {
  if (q === undefined || q === null) return NaN;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/.exec(String(q).trim());
  if (!m) return NaN;
  return parseFloat(m[1]) * SUFFIX[m[2] || ''];
}

export function cpu(cores) {
  if (!Number.isFinite(cores)) return '—';
  if (cores < 1) return `${Math.round(cores * 1000)}m`;
  return `${Math.round(cores * 100) / 100}`;
}

export function memory(bytes) {
  if (!Number.isFinite(bytes)) return '—';
  const units = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [unit, size] of units) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10}${unit}`;
  }
  return `${bytes}`;
}

/** An age as kubectl prints it: 45s, 12m, 3h, 5d. */
export function age(timestamp, now = Date.now()) {
  if (!timestamp) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

export function percent(part, whole) {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return null;
  return Math.round((part / whole) * 100);
}
