/* The member's worklist on the phone.

Online (the server's page): households with records still in the outbox get a "Chờ đồng bộ" badge.
Offline (the offline page, served by the service worker for the worklist URL): the whole list is drawn
from IndexedDB, neediest first as the server orders it (outreach.selectors.worklist), with the
records made offline already counted in.

Also `CDS.hh`: helpers the visit screen shares (labels, badges, the outbox by household).
*/
(function () {
  "use strict";

  const CDS = window.CDS;
  if (!CDS || !CDS.store || !CDS.ready) return;
  const store = CDS.store;
  const t = CDS.t;
  const fmt = CDS.fmt;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("data-")) node.setAttribute(key, value);
      else node[key] = value;
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  const shortCode = (id) => id.replace(/-/g, "").slice(-6).toUpperCase();
  const label = (h) => h.hn || fmt(t.no_consent_label, { code: shortCode(h.id) });

  async function villageNames() {
    const names = new Map();
    for (const v of await store.all("villages")) names.set(v.id, v);
    return names;
  }

  function villageText(h, villages) {
    const v = villages.get(h.v);
    return v ? v.nm : h.vn || "";
  }

  /* Events in the outbox, by household id. */
  async function pendingByHousehold() {
    const by = new Map();
    for (const event of await store.outboxOf(CDS.config.user)) {
      const id = event.payload && event.payload.household_id;
      if (!id) continue;
      if (!by.has(id)) by.set(id, []);
      by.get(id).push(event);
    }
    return by;
  }

  async function dueHouseholds() {
    const now = new Date();
    const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((x) => String(x).padStart(2, "0")).join("-");
    const due = new Set();
    for (const f of await store.all("follow_ups")) {
      if (f.hh && f.st === "open" && f.due <= today) due.add(f.hh);
    }
    return due;
  }

  function badges(h, { due, pending }) {
    const list = el("ul", { class: "badges" });
    list.append(
      h.nu ? el("li", { class: "badge ok", "data-status": "nucleus" }, t.nucleus_yes)
        : el("li", { class: "badge need", "data-status": "nucleus" }, t.nucleus_no),
    );
    if (due) list.append(el("li", { class: "badge due" }, t.due));
    if (h.ms) list.append(el("li", { class: "badge", "data-status": "missing" }, fmt(t.missing, { n: h.ms })));
    for (const tag of h.t || []) list.append(el("li", { class: "badge" }, t.tags[tag] || tag));
    if (pending) list.append(el("li", { class: "badge pending", "data-pending": pending }, `${t.pending_badge} (${pending})`));
    return list;
  }

  CDS.hh = { el, label, shortCode, villageNames, villageText, pendingByHousehold, dueHouseholds, badges };

  /* ---------- Online: mark households with records waiting on the phone. */
  async function markPending() {
    const list = document.getElementById("worklist");
    if (!list) return;
    const pending = await pendingByHousehold();
    for (const item of list.querySelectorAll(":scope > li[data-household]")) {
      item.querySelectorAll(".badge.pending").forEach((b) => b.remove());
      const events = pending.get(item.dataset.household);
      const badgesEl = item.querySelector(".badges");
      if (events && badgesEl) {
        badgesEl.append(el("li", { class: "badge pending", "data-pending": events.length }, `${t.pending_badge} (${events.length})`));
      }
    }
  }

  /* ---------- Offline: the list from the phone's copy. */
  function byNeed(a, b) {
    const key = (x) => [x.h.nu ? 1 : 0, x.due ? 0 : 1, -(x.h.ms || 0), x.last || ""];
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return a.h.id < b.h.id ? -1 : 1;
  }

  async function drawOffline(root) {
    const params = new URLSearchParams(location.search);
    const tag = params.get("tag") || "";
    const village = Number(params.get("village")) || null;
    const [households, villages, pending, due] = await Promise.all([
      store.all("households"), villageNames(), pendingByHousehold(), dueHouseholds(),
    ]);
    const rows = households
      .filter((h) => (!tag || (h.t || []).includes(tag)) && (!village || h.v === village))
      .map((h) => {
        const events = pending.get(h.id) || [];
        const times = [h.la, ...events.map((e) => e.occurred_at)].filter(Boolean).sort();
        return { h, events, due: Boolean(h.fd) || due.has(h.id), last: times.length ? times[times.length - 1] : null };
      })
      .sort(byNeed);
    const syncedAt = await store.metaGet("synced_at");
    const note = root.querySelector("[data-offline-note]");
    note.textContent = syncedAt ? fmt(t.offline_list, { time: CDS.timeText(syncedAt) }) : t.no_copy;
    const tagSelect = root.querySelector("select[name=tag]");
    if (tagSelect) tagSelect.value = tag;
    root.querySelector("[data-count]").textContent = rows.length ? fmt(t.count, { n: rows.length }) : "";
    const empty = root.querySelector("[data-empty]");
    empty.hidden = rows.length > 0 || !syncedAt;
    empty.textContent = tag || village ? t.empty_filtered : t.empty;
    const visitUrl = root.dataset.visit;
    const zero = "00000000-0000-0000-0000-000000000000";
    const list = root.querySelector("#worklist");
    list.replaceChildren(
      ...rows.map(({ h, events, due: isDue, last }) =>
        el("li", { "data-household": h.id },
          el("a", { class: "hh", href: visitUrl.replace(zero, h.id) },
            el("strong", {}, label(h)),
            el("span", { class: "muted small" }, `${villageText(h, villages)} · ${fmt(t.residents, { n: h.n || 0 })}`),
            badges(h, { due: isDue, pending: events.length }),
            el("span", { class: "muted small" }, last ? fmt(t.last_assist, { date: CDS.dateText(last) }) : t.never_assisted),
          ),
        ),
      ),
    );
  }

  async function start() {
    await CDS.ready;
    const shell = document.getElementById("offline-page");
    // The home page sends a member to the worklist: without network it is the worklist.
    if (shell && [shell.dataset.worklist, shell.dataset.home].includes(location.pathname)) {
      const root = document.getElementById("offline-worklist");
      root.hidden = false;
      const tagSelect = root.querySelector("select[name=tag]");
      if (tagSelect) {
        tagSelect.addEventListener("change", () => {
          const params = new URLSearchParams(location.search);
          if (tagSelect.value) params.set("tag", tagSelect.value);
          else params.delete("tag");
          history.replaceState(null, "", `${location.pathname}${params.toString() ? `?${params}` : ""}`);
          drawOffline(root);
        });
      }
      const redraw = () => drawOffline(root);
      document.addEventListener("cds:synced", redraw);
      await redraw();
      root.dataset.drawn = "1";
    } else if (shell && !/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/$/.test(location.pathname)) {
      // Another page asked for without network: say so, and point to what works offline.
      document.getElementById("offline-other").hidden = false;
    } else if (!shell) {
      document.addEventListener("cds:synced", markPending);
      await markPending();
    }
  }

  start();
})();
