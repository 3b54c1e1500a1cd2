/* The phone's copy: IndexedDB stores, UUIDv7 ids made on the phone, and the outbox of events.

Plain JS, no build step, no DOM: loaded by the pages (<script defer>) and by the service worker
(importScripts), both as `self.CDS.store`.

Stores (one database "cds" per browser profile):
  meta        key/value: user (id of the member whose data this is), device_id, cursor, synced_at, ...
  households  {id, v, hn, ad, c, n, t, nu, ms, la}   (from the sync answer's short keys; see changesApply)
  villages    {id, nm, p}
  residents   {id, hh, nm, by, dv}
  adoption    {k: "<resident>|<service>", r, s, st}
  services    {code, nm, sk, o, on}
  follow_ups  {id, hh, v, rs, due, st}
  outbox      {id, user, type, occurred_at, payload, show: {...}}   events not yet answered by the server
  problems    {id, user, type, status, code, message, show, event}  events answered conflict/rejected
*/
(function (root) {
  "use strict";

  const DB_NAME = "cds";
  const DB_VERSION = 1;
  // Data about households: wiped when another member logs in on this phone, or on logout.
  const DATA_STORES = ["households", "villages", "residents", "adoption", "services", "follow_ups"];
  const STORES = {
    meta: {},
    households: { keyPath: "id" },
    villages: { keyPath: "id" },
    residents: { keyPath: "id", index: "hh" },
    adoption: { keyPath: "k", index: "r" },
    services: { keyPath: "code" },
    follow_ups: { keyPath: "id", index: "hh" },
    outbox: { keyPath: "id", index: "user" },
    problems: { keyPath: "id", index: "user" },
  };

  /* ---------- UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, 12-bit counter, variant, random.
     The 12 bits after the version count up within one millisecond from a random start with the top bit
     clear (RFC 9562 §6.2, method 1), so ids made on this page are strictly increasing. */
  let lastMs = 0;
  let counter = 0;

  function uuid7() {
    const bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    const now = Date.now();
    if (now > lastMs) {
      lastMs = now;
      counter = ((bytes[6] << 8) | bytes[7]) & 0x7ff;
    } else {
      counter += 1;
      if (counter > 0xfff) {
        lastMs += 1; // borrow the next millisecond rather than repeat or go back
        counter = 0;
      }
    }
    const ms = lastMs;
    bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
    bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
    bytes[2] = (ms >>> 24) & 0xff;
    bytes[3] = (ms >>> 16) & 0xff;
    bytes[4] = (ms >>> 8) & 0xff;
    bytes[5] = ms & 0xff;
    bytes[6] = 0x70 | (counter >>> 8);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (bytes[8] & 0x3f);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /* ---------- IndexedDB, promise-shaped. */
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = root.indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          for (const [name, spec] of Object.entries(STORES)) {
            if (db.objectStoreNames.contains(name)) continue;
            const store = spec.keyPath ? db.createObjectStore(name, { keyPath: spec.keyPath }) : db.createObjectStore(name);
            if (spec.index) store.createIndex(spec.index, spec.index);
          }
        };
        request.onsuccess = () => {
          const db = request.result;
          // Another tab (or a new service worker) upgrading the database: let it.
          db.onversionchange = () => {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        request.onerror = () => {
          opening = null;
          reject(request.error);
        };
        request.onblocked = () => reject(new Error("IndexedDB blocked"));
      });
    }
    return opening;
  }

  function done(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  /* Run `work(stores)` in one transaction over `names`; resolves with its result once committed. */
  async function transact(names, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(names, mode);
      const stores = {};
      for (const name of names) stores[name] = tx.objectStore(name);
      let result;
      Promise.resolve(work(stores)).then(
        (value) => {
          result = value;
        },
        (error) => {
          try {
            tx.abort();
          } catch (_ignored) {
            /* already finished */
          }
          reject(error);
        },
      );
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
    });
  }

  const all = (name) => transact([name], "readonly", (s) => done(s[name].getAll()));
  const get = (name, key) => transact([name], "readonly", (s) => done(s[name].get(key)));
  const byIndex = (name, index, value) =>
    transact([name], "readonly", (s) => done(s[name].index(index).getAll(value)));

  const metaGet = (key) => get("meta", key);
  const metaSet = (key, value) => transact(["meta"], "readwrite", (s) => done(s.meta.put(value, key)));

  /* The member whose data the phone holds. Another member on the same phone starts from an empty
     copy (their own data comes with their first sync); outbox rows stay, each tagged with its user,
     and are only ever sent by that user's session. */
  async function userSet(userId) {
    const current = await metaGet("user");
    if (current === userId) return false;
    await transact([...DATA_STORES, "meta"], "readwrite", (s) => {
      for (const name of DATA_STORES) s[name].clear();
      s.meta.delete("cursor");
      s.meta.delete("synced_at");
      s.meta.delete("source");
      s.meta.put(userId, "user");
    });
    return true;
  }

  /* Logout: forget every household on this phone; keep unsent events for when the member is back,
     and the device id (the phone stays the same device for the server). */
  function dataClear() {
    return transact([...DATA_STORES, "meta"], "readwrite", (s) => {
      for (const name of DATA_STORES) s[name].clear();
      s.meta.delete("cursor");
      s.meta.delete("synced_at");
      s.meta.delete("source");
      s.meta.delete("user");
    });
  }

  async function deviceId() {
    let id = await metaGet("device_id");
    if (!id) {
      id = uuid7();
      await metaSet("device_id", id);
    }
    return id;
  }

  /* ---------- The outbox. */
  function outboxAdd(event) {
    return transact(["outbox"], "readwrite", (s) => done(s.outbox.put(event)));
  }

  async function outboxOf(user) {
    const rows = await byIndex("outbox", "user", user);
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)); // UUIDv7: time order
  }

  const outboxCount = (user) => transact(["outbox"], "readonly", (s) => done(s.outbox.index("user").count(user)));

  /* Apply the server's answers: accepted and duplicate leave the outbox; conflict and rejected move to
     `problems` (shown to the member) and leave the outbox too, so they are not sent again and again. */
  function outboxSettle(results) {
    return transact(["outbox", "problems"], "readwrite", async (s) => {
      const settled = { cleared: 0, problems: 0 };
      for (const result of results) {
        const event = await done(s.outbox.get(result.id));
        if (!event) continue;
        if (result.status === "accepted" || result.status === "duplicate") {
          s.outbox.delete(result.id);
          settled.cleared += 1;
        } else if (result.status === "conflict" || result.status === "rejected") {
          s.problems.put({
            id: event.id, user: event.user, type: event.type, status: result.status, code: result.code || "",
            message: result.message || "", show: event.show || {}, event,
          });
          s.outbox.delete(result.id);
          settled.problems += 1;
        }
      }
      return settled;
    });
  }

  const problemsOf = (user) => byIndex("problems", "user", user);
  const problemDismiss = (id) => transact(["problems"], "readwrite", (s) => done(s.problems.delete(id)));

  /* ---------- Changes from the server: the sync answer's "changes", short keys as documented in
     outreach/sync_changes.py, turned into the rows these stores hold. `reset`: the server sends
     everything again (its cursor was unusable or the member's scope changed), so the copy starts over. */
  const CHANGE_SHAPES = [
    ["households", "households", (r) => ({
      id: r.id, v: r.v, hn: r.hn || "", ad: r.ad || "", c: Boolean(r.c), n: r.n, t: r.t || [], nu: Boolean(r.nu),
      ms: r.m, la: r.la || null,
    })],
    ["villages", "villages", (r) => ({ id: r.id, nm: r.n, p: r.p || "" })],
    ["residents", "residents", (r) => ({ id: r.id, hh: r.h, nm: r.nm || "", by: r.by || null, dv: r.dv })],
    ["adoption", "adoption", (r) => ({ k: `${r.r}|${r.s}`, r: r.r, s: r.s, st: r.st })],
    ["catalog", "services", (r) => ({ code: r.c, nm: r.n, sk: r.k, o: r.o, on: true })],
    ["follow_ups", "follow_ups", (r) => ({ id: r.id, hh: r.h, v: r.v, rs: r.r, due: r.d, st: r.s })],
  ];

  function changesApply(changes, { reset = false } = {}) {
    const plan = CHANGE_SHAPES.filter(([key]) => changes && Array.isArray(changes[key]) && changes[key].length);
    if (!plan.length && !reset) return Promise.resolve(0);
    const names = reset ? DATA_STORES : [...new Set([...plan.map(([, store]) => store), "residents", "adoption"])];
    return transact(names, "readwrite", async (s) => {
      if (reset) for (const name of DATA_STORES) s[name].clear();
      // A household comes with all its residents and their adoption: what the phone had of them
      // goes first (a resident removed on the server leaves the phone too). Requests run in the
      // order they are made, so every delete is made before any put.
      for (const household of (changes && changes.households) || []) {
        for (const resident of await done(s.residents.index("hh").getAllKeys(household.id))) {
          for (const key of await done(s.adoption.index("r").getAllKeys(resident))) s.adoption.delete(key);
          s.residents.delete(resident);
        }
      }
      let count = 0;
      for (const [key, store, shape] of plan) {
        for (const row of changes[key]) {
          s[store].put(shape(row));
          count += 1;
        }
      }
      return count;
    });
  }

  /* ---------- The visit screen's form, read the way outreach.forms.AssistForm reads it. */
  const PICK_SEPARATOR = "|";

  /* `fields`: the form's values (pick, service, resident, channel, note, outcome, assist_id, campaign);
     `outcomes`: {button value: [outcome, independent]} (outreach.forms.OUTCOME_EFFECT).
     Returns {event} or {error: "no_service" | "no_outcome"}. */
  function assistFromForm(fields, { householdId, outcomes, id, occurredAt }) {
    const effect = outcomes[fields.outcome];
    if (!effect) return { error: "no_outcome" };
    let service = fields.service || "";
    let resident = fields.resident || "";
    if (!service && fields.pick) {
      const [code, pickedResident] = String(fields.pick).split(PICK_SEPARATOR);
      service = code;
      resident = pickedResident || resident;
    }
    if (!service) return { error: "no_service" };
    const campaign = parseInt(fields.campaign || "", 10);
    return {
      event: {
        id: id || uuid7(),
        type: "assist",
        occurred_at: (occurredAt || new Date()).toISOString(),
        payload: {
          household_id: householdId,
          resident_id: resident || null,
          services: [service],
          outcome: effect[0],
          channel: fields.channel || "door",
          independent: Boolean(effect[1]),
          note: (fields.note || "").trim(),
          follow_up_on: null,
          campaign_id: Number.isFinite(campaign) ? campaign : null,
        },
      },
    };
  }

  root.CDS = root.CDS || {};
  root.CDS.store = {
    uuid7, open, transact, all, get, byIndex, metaGet, metaSet, userSet, dataClear, deviceId,
    outboxAdd, outboxOf, outboxCount, outboxSettle, problemsOf, problemDismiss, changesApply,
    assistFromForm, DATA_STORES,
  };
})(self);
