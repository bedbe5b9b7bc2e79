// Service worker of the clinic page: works offline once loaded. Network first (so a new build
// is used as soon as it is reachable), the cache when the network fails. On install it caches
// the page, the built assets it names and the bundled recordings. Same-origin GETs only.
const CACHE = 'kinemetry-clinic-v1';

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch('./', { cache: 'no-cache' });
    const html = await page.clone().text();
    await cache.put('./', page);
    const assets = [...html.matchAll(/(?:src|href)="\.\/((?:assets|recordings)\/[^"]+)"/g)].map((m) => `./${m[1]}`);
    const list = await fetch('./recordings/index.json', { cache: 'no-cache' });
    const recs = await list.clone().json();
    await cache.put('./recordings/index.json', list);
    await cache.addAll([...new Set([...assets, ...recs.map((r) => `./recordings/${r.file}`)])]);
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) if (k !== CACHE) await caches.delete(k);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') {
        const copy = res.clone();
        event.waitUntil(caches.open(CACHE).then((c) => c.put(req, copy)));
      }
      return res;
    } catch (err) {
      const hit = await caches.match(req, { ignoreSearch: true });
      if (hit) return hit;
      if (req.mode === 'navigate') {
        const page = await caches.match('./');
        if (page) return page;
      }
      throw err;
    }
  })());
});
