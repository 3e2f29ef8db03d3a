// Signs the user in, keeps the namespace filter, and shows one page at a time; each page stops
// its watches when the user leaves it.

import { get, token, setToken, ApiError } from './api.js';
import { h } from './dom.js';
import * as overview from './views/overview.js';
import * as workloads from './views/workloads.js';
import * as pods from './views/pods.js';
import * as pod from './views/pod.js';
import * as services from './views/services.js';

const NAMESPACE_KEY = 'skiff.dashboard.namespace';
const PAGES = { overview, workloads, pods, services };

const $ = (id) => document.getElementById(id);
let current = null;

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'pods' && parts.length === 3) return { name: 'pods', view: pod, params: parts.slice(1) };
  const name = PAGES[parts[0]] ? parts[0] : 'overview';
  return { name, view: PAGES[name], params: [] };
}

function show() {
  current?.abort();
  current = new AbortController();
  const { name, view, params } = route();
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === name);
  const root = $('view');
  const banner = h('div', { id: 'banner', hidden: true });
  root.replaceChildren(banner);
  const signal = current.signal;
  const onError = (e) => {
    if (signal.aborted) return;
    if (e instanceof ApiError && e.code === 401) {
      signIn('The API server no longer accepts your token.');
      return;
    }
    banner.hidden = false;
    banner.textContent = e.message;
  };
  view.mount(root, { namespace: $('namespace').value, signal, onError, params });
}

async function loadNamespaces() {
  const select = $('namespace');
  const chosen = sessionStorage.getItem(NAMESPACE_KEY) || '';
  let names = [];
  try {
    names = (await get('/api/v1/namespaces')).items.map((n) => n.metadata.name).sort();
  } catch {
    // A user who may not list namespaces still sees the one they chose.
  }
  if (chosen && !names.includes(chosen)) names.push(chosen);
  select.replaceChildren(h('option', { value: '' }, 'All namespaces'), ...names.map((n) => h('option', { value: n }, n)));
  select.value = chosen;
}

/** Whether the API answers us: behind the proxy it does at once, on the server after sign-in. */
async function signedIn() {
  try {
    await get('/api');
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.code === 401) return false;
    throw e;
  }
}

function signIn(message = '') {
  current?.abort();
  setToken(null);
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('token').focus();
}

async function start() {
  $('login').hidden = true;
  $('sign-out').hidden = !token();
  await loadNamespaces();
  show();
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  setToken($('token').value.trim());
  $('token').value = '';
  try {
    if (await signedIn()) {
      await start();
      return;
    }
    signIn('The API server did not accept this token.');
  } catch (e) {
    signIn(e.message);
  }
});
$('sign-out').addEventListener('click', () => signIn());
$('namespace').addEventListener('change', () => {
  sessionStorage.setItem(NAMESPACE_KEY, $('namespace').value);
  show();
});
window.addEventListener('hashchange', () => {
  show();
  // Namespaces come and go; the list is refreshed whenever the user moves on.
  loadNamespaces();
});

(async () => {
  try {
    if (await signedIn()) await start();
    else signIn(token() ? 'The API server no longer accepts your token.' : '');
  } catch (e) {
    $('view').replaceChildren(h('div', { id: 'banner' }, `Cannot reach the API server: ${e.message}`));
  }
})();
