/* Every page of a logged-in member: the service worker, the sync bar ("3 bản ghi chờ đồng bộ",
"Đồng bộ ngay"), syncing when the network comes back, and forgetting the households on logout.

Other scripts use `CDS.ready` (a promise: the phone's copy belongs to this member), `CDS.t` (texts),
`CDS.fmt`, `CDS.refresh()` (redraw the bar after the outbox changed) and the "cds:synced" event.
*/
(function () {
  "use strict";

  const CDS = window.CDS;
  const bar = document.getElementById("sync-bar");
  if (!bar || !CDS || !CDS.store || !window.indexedDB) return;

  const store = CDS.store;
  const t = JSON.parse(document.getElementById("pwa-strings").textContent);
  const config = {
    user: Number(bar.dataset.user),
    sync: bar.dataset.sync,
    offlinePage: bar.dataset.offlinePage,
  };
  const statusEl = document.getElementById("sync-status");
  const detailEl = document.getElementById("sync-detail");
  const problemsEl = document.getElementById("sync-problems");
  const button = document.getElementById("sync-now");
  const SYNC_AGE_MS = 60 * 1000;
  const SYNC_EVERY_MS = 5 * 60 * 1000;

  const fmt = (template, values) => String(template).replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  const lang = document.documentElement.lang || "vi";
  const timeText = (iso) => new Date(iso).toLocaleString(lang, {
    hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric",
  });

  CDS.t = t;
  CDS.fmt = fmt;
  CDS.config = config;
  CDS.timeText = timeText;
  CDS.dateText = (iso) => new Date(iso).toLocaleDateString(lang, { day: "2-digit", month: "2-digit", year: "numeric" });
  // A copy kept by the service worker (or its offline page), not a fresh answer of the server.
  CDS.offlineCopy = document.body.hasAttribute("data-offline-copy");
  CDS.ready = store.userSet(config.user).catch(() => false);

  let syncing = false;
  let lastError = null;

  if (CDS.offlineCopy) {
    // A stale copy must not show old "saved" notices, and its forms need today's CSRF token.
    document.querySelectorAll("main > .messages").forEach((el) => el.remove());
    const token = CDS.sync.csrfToken();
    if (token) document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => { input.value = token; });
  }

  function errorText(error) {
    if (!error) return "";
    if (error.kind === "login") return t.err_login;
    if (error.kind === "server") return fmt(t.err_server, { message: error.message });
    return t.err_network;
  }

  async function render() {
    await CDS.ready;
    const pending = await store.outboxCount(config.user);
    statusEl.dataset.pending = String(pending);
    statusEl.textContent = pending ? fmt(t.pending, { n: pending }) : t.none_pending;
    const syncedAt = await store.metaGet("synced_at");
    let detail = "";
    if (syncing) detail = t.syncing;
    else if (!navigator.onLine) detail = t.offline;
    else if (lastError) detail = errorText(lastError);
    else if (syncedAt) detail = fmt(t.synced_at, { time: timeText(syncedAt) });
    detailEl.textContent = detail;
    bar.classList.toggle("has-pending", pending > 0);
    bar.classList.toggle("is-offline", !navigator.onLine);
    bar.classList.toggle("has-error", Boolean(lastError));
    button.disabled = syncing;
    await renderProblems();
  }

  async function renderProblems() {
    const problems = await store.problemsOf(config.user);
    const list = problemsEl.querySelector("ul");
    list.replaceChildren();
    for (const problem of problems.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const item = document.createElement("li");
      item.dataset.event = problem.id;
      item.dataset.status = problem.status;
      const show = problem.show || {};
      const what = [show.household_label, show.service_name, show.outcome_label].filter(Boolean).join(" — ");
      const reason = problem.message || (problem.status === "conflict" ? t.conflict : t.rejected);
      const text = document.createElement("span");
      text.textContent = what ? `${what}: ${reason}` : reason;
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "link";
      dismiss.textContent = t.dismiss;
      dismiss.addEventListener("click", async () => {
        await store.problemDismiss(problem.id);
        renderProblems();
      });
      item.append(text, " ", dismiss);
      list.append(item);
    }
    problemsEl.hidden = problems.length === 0;
  }

  async function syncNow() {
    await CDS.ready;
    if (syncing) return;
    if (!navigator.onLine) {
      await render();
      return;
    }
    syncing = true;
    lastError = null;
    await render();
    let summary = null;
    try {
      summary = await CDS.sync.run(config);
    } catch (error) {
      lastError = error;
    } finally {
      syncing = false;
    }
    await render();
    document.dispatchEvent(new CustomEvent("cds:synced", { detail: { summary, error: lastError } }));
  }

  CDS.refresh = render;
  CDS.syncNow = syncNow;

  button.addEventListener("click", () => syncNow());
  window.addEventListener("online", () => syncNow());
  window.addEventListener("offline", () => render());
  setInterval(() => { if (navigator.onLine) syncNow(); }, SYNC_EVERY_MS);

  // Logout: the households leave the phone with the member; unsent records stay for their next login.
  document.querySelectorAll(`form[action="${bar.dataset.logout}"]`).forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // After a sync in flight, or its answer would bring the households back.
      const clear = () => store.dataClear();
      sessionStorage.removeItem("cds-offline-page");
      const forget = Promise.all([
        navigator.locks ? navigator.locks.request("cds-sync", clear) : clear(),
        window.caches ? forgetPages() : null,
      ]);
      forget.catch(() => undefined).then(() => form.submit());
    });
  });

  /* The visit screens kept for offline use, and the offline page (it names the member). */
  async function forgetPages() {
    await caches.delete("cds-pages");
    for (const name of await caches.keys()) {
      if (name.startsWith("cds-static-")) await (await caches.open(name)).delete(config.offlinePage);
    }
  }

  async function registerWorker() {
    if (!("serviceWorker" in navigator)) return false;
    try {
      await navigator.serviceWorker.register(bar.dataset.sw, { scope: "/" });
      const registration = await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        // The first visit: the worker claims this page once it is active.
        await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
      }
      if (!CDS.offlineCopy && navigator.onLine && !sessionStorage.getItem("cds-offline-page") && registration.active) {
        // The worker fetched the offline page when it was installed; once per session, fetch it
        // again with this login (the first install may have happened before it).
        registration.active.postMessage({ type: "offline-page" });
        sessionStorage.setItem("cds-offline-page", "1");
      }
      return true;
    } catch (_error) {
      return false;
    }
  }

  async function start() {
    bar.hidden = false;
    await render();
    const worker = registerWorker();
    const syncedAt = await store.metaGet("synced_at");
    const pending = await store.outboxCount(config.user);
    const stale = !syncedAt || Date.now() - new Date(syncedAt).getTime() > SYNC_AGE_MS;
    if (navigator.onLine && !CDS.offlineCopy && (pending > 0 || stale)) await syncNow();
    const hasWorker = await worker;
    // Ready to work offline: the worker controls this page and the phone holds a copy of the households.
    if (hasWorker && (await store.metaGet("synced_at"))) document.documentElement.dataset.offlineReady = "1";
  }

  start();
})();
