// Duken's service worker: precaches the app shell so the app starts with no network.
// scripts/build-app fills in SHELL (the hashed files of this build) and VERSION.
const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const CACHE = 'duken-shell-' + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith('duken-shell-') && k !== CACHE).map((k) => caches.delete(k)),
      ))
      .then(() => self.clients.claim()),
  );
});

// Network first for pages (a new version shows when online), the cached shell when not.
function page(request) {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 4000));
  return Promise.race([fetch(request), timeout])
    .then((res) => (res.ok ? res : caches.match('/index.html').then((hit) => hit || res)))
    .catch(() => caches.match('/index.html'))
    .then((res) => res || new Response('Duken er ikke tilgjengelig uten nett ennå.', {
      status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' },
    }));
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  // The API is never cached: the app keeps its data in IndexedDB, not in HTTP caches.
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(page(req));
    return;
  }
  // Hashed files never change: the cache is always right.
  event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
});
