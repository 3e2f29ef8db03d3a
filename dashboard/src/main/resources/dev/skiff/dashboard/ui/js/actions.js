// The actions a user can take, each behind a confirmation dialog.

import { request, objectPath } from './api.js';

const dialog = () => document.getElementById('confirm');

/**
 * Shows the confirmation dialog. With a number input (initial value given) it resolves to the
 * entered number; otherwise to true. Resolves to null when the user cancels.
 */
export function confirmDialog(message, { number, okText = 'Confirm' } = {}) {
  const d = dialog();
  document.getElementById('confirm-message').textContent = message;
  const label = document.getElementById('confirm-input-label');
  const input = document.getElementById('confirm-input');
  label.hidden = number === undefined;
  if (number !== undefined) input.value = String(number);
  document.getElementById('confirm-ok').textContent = okText;
  d.returnValue = '';
  return new Promise((resolve) => {
    d.addEventListener('close', () => {
      if (d.returnValue !== 'ok') return resolve(null);
      if (number === undefined) return resolve(true);
      const n = Number(input.value);
      resolve(Number.isInteger(n) && n >= 0 ? n : null);
    }, { once: true });
    d.showModal();
    if (number !== undefined) input.select();
  });
}

export function toast(text, isError = false) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.classList.toggle('error', isError);
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.textContent = ''; }, 5000);
}

async function run(what, action) {
  try {
    await action();
    toast(what);
  } catch (e) {
    toast(`${what} failed: ${e.message}`, true);
  }
}

/** kind: {group, version, plural, label}; o: the workload. */
export async function scale(kind, o) {
  const current = o.spec.replicas ?? 1;
  const replicas = await confirmDialog(
    `Scale ${kind.label.toLowerCase()} ${o.metadata.namespace}/${o.metadata.name}`
      + ` (now ${current} replicas) to:`, { number: current, okText: 'Scale' });
  if (replicas === null) return;
  await run(`Scaled ${o.metadata.name} to ${replicas}`, () => request('PATCH',
    `${objectPath(kind.group, kind.version, kind.plural, o.metadata.namespace, o.metadata.name)}/scale`,
    { body: { spec: { replicas } }, contentType: 'application/merge-patch+json' }));
}

/** What kubectl rollout restart does: a new template annotation, so every pod is replaced. */
export async function restart(kind, o) {
  const ok = await confirmDialog(
    `Restart ${kind.label.toLowerCase()} ${o.metadata.namespace}/${o.metadata.name}?`
      + ' Every pod is replaced, following its update strategy.', { okText: 'Restart' });
  if (!ok) return;
  const patch = { spec: { template: { metadata: { annotations: {
    'kubectl.kubernetes.io/restartedAt': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  } } } } };
  await run(`Restarted ${o.metadata.name}`, () => request('PATCH',
    objectPath(kind.group, kind.version, kind.plural, o.metadata.namespace, o.metadata.name),
    { body: patch, contentType: 'application/strategic-merge-patch+json' }));
}

export async function deletePod(pod) {
  const ok = await confirmDialog(
    `Delete pod ${pod.metadata.namespace}/${pod.metadata.name}?`, { okText: 'Delete' });
  if (!ok) return;
  await run(`Deleted ${pod.metadata.name}`, () => request('DELETE',
    objectPath('', 'v1', 'pods', pod.metadata.namespace, pod.metadata.name)));
}
