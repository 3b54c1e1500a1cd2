/* Sending the outbox and bringing the phone's copy up to date: POST /api/v1/sync (see the sync contract).

`CDS.sync.run(config)` sends the member's outbox in batches of at most 1,000 events, oldest first, with
the device id and the last cursor; the server answers per event: accepted and duplicate leave the
outbox, conflict and rejected are moved aside and shown to the member; the changes in the answer go
into IndexedDB, and the call repeats with the new cursor while the server says there is more.
One sync at a time per phone (a Web Lock across tabs).
*/
(function (root) {
  "use strict";

  const store = root.CDS.store;
  const MAX_EVENTS = 1000;
  const MAX_ROUNDS = 50;

  class SyncError extends Error {
    constructor(kind, message) {
      super(message || kind);
      this.kind = kind; // "network" | "login" | "server"
    }
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function request(url, body) {
    const init = {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    };
    try {
      return await fetch(url, init);
    } catch (_error) {
      throw new SyncError("network");
    }
  }

  async function failure(response) {
    let error = null;
    try {
      error = (await response.json()).error || null;
    } catch (_error) {
      /* not JSON: a login page, Django's CSRF refusal, a proxy's error page */
    }
    if (response.status === 401 || (response.status === 403 && !error)) return new SyncError("login");
    // e.g. 403 device_revoked: the server's own words, in Vietnamese.
    return new SyncError("server", (error && error.message) || `HTTP ${response.status}`);
  }

  function run(config) {
    const work = () => runOnce(config);
    return root.navigator.locks ? root.navigator.locks.request("cds-sync", work) : work();
  }

  async function runOnce(config) {
    const summary = { sent: 0, cleared: 0, problems: 0 };
    const deviceId = await store.deviceId();
    let cursor = (await store.metaGet("cursor")) || null;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const outbox = (await store.outboxOf(config.user)).slice(0, MAX_EVENTS);
      const events = outbox.map((e) => ({ id: e.id, type: e.type, occurred_at: e.occurred_at, payload: e.payload }));
      const pending = (await store.outboxCount(config.user)) - events.length;
      const response = await request(config.sync, { device_id: deviceId, cursor, events, pending });
      if (!response.ok) throw await failure(response);
      const answer = await response.json();
      const settled = await store.outboxSettle(answer.results || []);
      summary.sent += events.length;
      summary.cleared += settled.cleared;
      summary.problems += settled.problems;
      await store.changesApply(answer.changes, { reset: Boolean(answer.reset) || cursor === null });
      await forgetWithdrawn(answer.changes);
      if (answer.cursor !== undefined && answer.cursor !== null) {
        cursor = answer.cursor;
        await store.metaSet("cursor", cursor);
      }
      await store.metaSet("source", "sync");
      const left = await store.outboxCount(config.user);
      const progressed = settled.cleared + settled.problems > 0;
      if (!answer.more && (left === 0 || !progressed)) break;
    }
    await store.metaSet("synced_at", new Date().toISOString());
    return summary;
  }

  /* A household without consent (now) must not stay on the phone with names in a kept visit screen. */
  async function forgetWithdrawn(changes) {
    const ids = ((changes && changes.households) || []).filter((h) => !h.c).map((h) => h.id);
    if (!ids.length || !root.caches) return;
    const pages = await root.caches.open("cds-pages");
    for (const request of await pages.keys()) {
      if (ids.some((id) => request.url.includes(id))) await pages.delete(request);
    }
  }

  root.CDS.sync = { run, SyncError, csrfToken };
})(self);
