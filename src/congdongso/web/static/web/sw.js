/* The service worker of Cộng Đồng Số, served at /sw.js (scope "/") by congdongso.web.pwa.service_worker,
which puts one line before this file: `self.CDS_CONFIG = {...}` (version, precache list, page URLs,
the visit screen's outcome buttons). Everything else is here.

What it does:
  - precaches the app shell: static files, icons, and the offline page (outreach "offline"), which draws
    the worklist and a household's visit screen from IndexedDB;
  - pages: network first. A copy of each visit screen is kept; without network a visit screen seen
    before comes back from its copy, and every other page (the worklist included) gets the offline
    page, which draws the households from IndexedDB; both are marked `data-offline-copy` on <body>;
  - a visit form posted while the network is gone (the phone believed it was online): the assist goes
    to the outbox in IndexedDB and the member is sent back to the visit screen, nothing lost;
  - static files: the precached ones from the cache, others network first; the API: always the
    network, never cached.
*/
/* global importScripts */
"use strict";

const CONFIG = self.CDS_CONFIG;
importScripts(CONFIG.store);

const STATIC_CACHE = `cds-static-${CONFIG.version}`;
const PAGES_CACHE = "cds-pages";
const OFFLINE_MARK = 'data-offline-copy="1"';
const VISIT_RE = new RegExp(CONFIG.pages.visit_re);
const PRECACHED = new Set(CONFIG.precache);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      await cache.addAll(CONFIG.precache);
      // The offline page needs the member's session: fetched here, kept only if it really came.
      try {
        const response = await fetch(CONFIG.pages.offline, { credentials: "same-origin" });
        if (cacheable(response)) await cache.put(CONFIG.pages.offline, response);
      } catch (_ignored) {
        /* the first online page load fetches it again (see "message") */
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("cds-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "offline-page") {
    // A page asks for the offline page to be (re)fetched now that the member is logged in.
    event.waitUntil(
      (async () => {
        const response = await fetch(CONFIG.pages.offline, { credentials: "same-origin" });
        if (cacheable(response)) await (await caches.open(STATIC_CACHE)).put(CONFIG.pages.offline, response);
      })().catch(() => undefined),
    );
  }
});

function cacheable(response) {
  return (
    response && response.ok && !response.redirected && response.type === "basic" &&
    (response.headers.get("Content-Type") || "").startsWith("text/html")
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (request.method === "POST" && request.mode === "navigate" && VISIT_RE.test(url.pathname)) {
    event.respondWith(visitPost(request, url));
  } else if (request.method === "GET" && url.pathname.startsWith(CONFIG.static_url)) {
    event.respondWith(staticFile(request));
  }
  // Everything else (the API, other posts) goes to the network untouched.
});

async function page(request, url) {
  try {
    const response = await fetch(request);
    if (VISIT_RE.test(url.pathname) && cacheable(response)) {
      const copy = response.clone();
      // One copy per household's visit screen, whatever the query.
      caches.open(PAGES_CACHE).then((cache) => cache.put(url.origin + url.pathname, copy));
    }
    return response;
  } catch (error) {
    const pages = await caches.open(PAGES_CACHE);
    // A visit screen seen before comes back as it was; the worklist, a visit screen not seen yet
    // and every other page get the offline page, which draws what it can from IndexedDB.
    let cached = VISIT_RE.test(url.pathname) ? await pages.match(url.origin + url.pathname) : undefined;
    if (!cached) cached = await caches.match(CONFIG.pages.offline);
    if (!cached) throw error;
    return offlineCopy(cached);
  }
}

/* The copy, marked on <body> so the page's script knows it was not fresh from the server. */
async function offlineCopy(response) {
  const html = (await response.text()).replace(/<body(\s|>)/, `<body ${OFFLINE_MARK}$1`);
  return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function visitPost(request, url) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const fields = {};
    for (const [key, value] of (await copy.formData()).entries()) {
      if (typeof value === "string") fields[key] = value;
    }
    const user = await self.CDS.store.metaGet("user");
    const householdId = url.pathname.match(VISIT_RE)[1];
    const made = self.CDS.store.assistFromForm(fields, {
      householdId, outcomes: CONFIG.outcomes, id: fields.assist_id || undefined,
    });
    if (!made.event || user === undefined) throw error;
    made.event.user = user;
    made.event.show = { household: householdId, service: made.event.payload.services[0], outcome: fields.outcome };
    await self.CDS.store.outboxAdd(made.event);
    return Response.redirect(`${url.pathname}?saved=${made.event.id}`, 303);
  }
}

/* Precached files: from the cache (a new version of the app brings new ones). Other static files
(another app's stylesheet): the network first, the last copy without network. */
async function staticFile(request) {
  const url = new URL(request.url);
  if (PRECACHED.has(url.pathname)) {
    const cached = await caches.match(url.pathname);
    if (cached) return cached;
  }
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      caches.open(STATIC_CACHE).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(url.pathname);
    if (cached) return cached;
    throw error;
  }
}
