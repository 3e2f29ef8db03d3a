// The Kubernetes API, same origin, with the signed-in user's bearer token (none behind the proxy).

const TOKEN_KEY = 'skiff.dashboard.token';
const RETRY_MS = 2000;
// Watches end on their own now and then, so a proxy or server never holds a forgotten one long.
const WATCH_TIMEOUT_S = 300;

export class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const status = await response.json();
    if (status.message) message = status.message;
  } catch {
    // Not a Status object; the HTTP status says enough.
  }
  return new ApiError(response.status, message);
}

export async function request(method, path, { body, contentType, signal } = {}) {
  const init = { method, headers: headers(), signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType || 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json();
}

export const get = (path, opts) => request('GET', path, opts);

/** Yields the lines of a streamed response body as they arrive. */
export async function* lines(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
  }
  if (pending) yield pending;
}

/** A plain-text stream (a followed log): calls onText with each chunk until the stream ends. */
export async function stream(path, onText, signal) {
  const response = await fetch(path, { headers: headers({ Accept: '*/*' }), signal });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onText(value);
  }
}

const key = (o) => `${o.metadata.namespace || ''}/${o.metadata.name}`;

/**
 * Keeps a live copy of a collection, as an informer does: lists, then watches from the list's
 * resourceVersion, and lists again when the watch ends or the version is too old. Calls
 * onChange(items) after every change and onError(error) when a request fails (then retries),
 * until signal aborts.
 */
export function watchCollection(path, { signal, onChange, onError = () => {} }) {
  const items = new Map();
  const emit = () => onChange([...items.values()]);
  const sep = path.includes('?') ? '&' : '?';

  async function watchFrom(rv) {
    const url = `${path}${sep}watch=1&allowWatchBookmarks=true&timeoutSeconds=${WATCH_TIMEOUT_S}`
      + `&resourceVersion=${encodeURIComponent(rv)}`;
    const response = await fetch(url, { headers: headers(), signal });
    if (response.status === 410) return null;
    if (!response.ok) throw await failure(response);
    for await (const line of lines(response)) {
      if (!line.trim()) continue;
      const event = JSON.parse(line);
      const o = event.object;
      switch (event.type) {
        case 'ADDED':
        case 'MODIFIED':
          items.set(key(o), o);
          emit();
          break;
        case 'DELETED':
          items.delete(key(o));
          emit();
          break;
        case 'BOOKMARK':
          break;
        case 'ERROR':
          if (o.code === 410) return null;
          throw new ApiError(o.code, o.message);
        default:
          break;
      }
      rv = o.metadata?.resourceVersion || rv;
    }
    return rv;
  }

  (async () => {
    let rv = null;
    while (!signal.aborted) {
      try {
        if (rv === null) {
          const list = await get(path, { signal });
          items.clear();
          for (const o of list.items) items.set(key(o), o);
          emit();
          rv = list.metadata.resourceVersion;
        }
        rv = await watchFrom(rv);
      } catch (e) {
        if (signal.aborted) return;
        onError(e);
        rv = null;
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  })();
}

/** The path of a collection, across all namespaces when namespace is empty. */
export function collectionPath(group, version, plural, namespace) {
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${base}/${plural}`;
}

export function objectPath(group, version, plural, namespace, name) {
  return `${collectionPath(group, version, plural, namespace)}/${encodeURIComponent(name)}`;
}
