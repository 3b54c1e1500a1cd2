/* A household's visit screen on the phone.

Every time the page is drawn the form gets a fresh UUIDv7 made here: a double tap or a resent form
is one assist; a page drawn again is new help.

Offline (no network, or a copy kept by the service worker): tapping an outcome puts an "assist" event
in the outbox instead of posting, shows it under "Lần hỗ trợ gần đây" as waiting, and colours the
resident's skill chip as the server would. Online the form posts as it always did (and works without JS).
On the offline page (a household never opened on this phone while online) the screen itself is drawn
from IndexedDB: the household, its people and their skills, and the form.
*/
(function () {
  "use strict";

  const CDS = window.CDS;
  if (!CDS || !CDS.store || !CDS.ready || !CDS.hh) return;
  const store = CDS.store;
  const t = CDS.t;
  const fmt = CDS.fmt;
  const el = CDS.hh.el;
  const STATE_RANK = { none: 0, assisted: 1, independent: 2 };
  const SKILLS = Object.keys(t.skills);

  const form = document.getElementById("assist-form");
  const shell = document.getElementById("offline-page");
  const match = location.pathname.match(/\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/$/);
  if (!form || !match) return;
  const householdId = match[1];
  const outcomes = JSON.parse(document.getElementById("visit-outcomes").textContent);
  let household = null;

  function freshId() {
    form.querySelector("input[name=assist_id]").value = store.uuid7();
  }

  function optionText(name, value) {
    const option = value ? form.querySelector(`select[name=${name}] option[value="${CSS.escape(value)}"]`) : null;
    return option ? option.textContent.trim() : "";
  }

  async function serviceInfo(code) {
    const pick = form.querySelector(`.pick[data-service="${CSS.escape(code)}"]`);
    const service = await store.get("services", code);
    return {
      name: (pick && pick.querySelector("strong").textContent.trim()) || optionText("service", code) || (service && service.nm) || code,
      skill: (pick && pick.dataset.skill) || (service && service.sk) || serviceSkills()[code] || "",
    };
  }

  function serviceSkills() {
    const data = document.getElementById("service-skills");
    return data ? JSON.parse(data.textContent) : {};
  }

  function say(text, kind) {
    const main = document.querySelector("main");
    let list = main.querySelector(":scope > .messages");
    if (!list) {
      list = el("ul", { class: "messages" });
      const bar = document.getElementById("sync-bar");
      if (bar) bar.after(list);
      else main.prepend(list);
    }
    list.replaceChildren(el("li", { class: kind || "success", "data-offline-message": "1" }, text));
  }

  /* ---------- What the screen shows of records still on the phone. */
  function recentList() {
    let list = document.getElementById("recent");
    if (!list) {
      list = el("ul", { class: "card", id: "recent" });
      const empty = document.getElementById("recent-empty");
      if (empty) empty.replaceWith(list);
      else document.querySelector("main").append(list);
    }
    return list;
  }

  function pendingItem(event) {
    const show = event.show || {};
    const outcome = show.outcome_label || t.outcomes[show.outcome] || event.payload.outcome;
    return el("li", { class: "pending", "data-event": event.id },
      el("span", { class: "muted small" }, CDS.timeText(event.occurred_at)), ` · ${outcome} `,
      el("span", { class: "badge pending" }, t.pending_recent),
      el("br"),
      el("small", { class: "muted" }, [show.service_name || event.payload.services.join(", "), show.who].filter(Boolean).join(" · ")),
    );
  }

  function raiseChip(residentId, skill, state) {
    if (!residentId || !skill) return;
    const row = document.querySelector(`#skills li[data-resident="${CSS.escape(residentId)}"]`);
    const chip = row && row.querySelector(`[data-skill="${CSS.escape(skill)}"]`);
    if (!chip || STATE_RANK[state] <= (STATE_RANK[chip.dataset.state] || 0)) return;
    chip.dataset.state = state;
    chip.classList.remove("assisted", "independent");
    chip.classList.add(state);
    const count = row.querySelector("[data-count]");
    if (count) count.textContent = fmt(t.skills_count, { n: row.querySelectorAll('[data-state="independent"]').length });
  }

  async function applyEvent(event) {
    const p = event.payload;
    if (p.outcome === "done" || p.outcome === "partly") {
      const skill = (event.show && event.show.skill) || (await serviceInfo(p.services[0])).skill;
      raiseChip(p.resident_id, skill, p.independent && p.outcome === "done" ? "independent" : "assisted");
    }
  }

  async function showPending() {
    const events = (await CDS.hh.pendingByHousehold()).get(householdId) || [];
    const waiting = new Set(events.map((e) => e.id));
    // Records sent since they were drawn stay on the screen, marked sent.
    document.querySelectorAll("#recent > li.pending").forEach((item) => {
      if (waiting.has(item.dataset.event)) return;
      item.classList.replace("pending", "sent");
      const badge = item.querySelector(".badge.pending");
      if (badge) {
        badge.classList.replace("pending", "sent");
        badge.textContent = t.sent;
      }
    });
    if (!events.length) return;
    const list = recentList();
    for (const event of events) {
      if (!list.querySelector(`li[data-event="${event.id}"]`)) list.prepend(pendingItem(event));
      await applyEvent(event);
    }
  }

  /* ---------- Recording without network. */
  function fieldsOf(submitter) {
    const fields = {};
    for (const [key, value] of new FormData(form).entries()) if (typeof value === "string") fields[key] = value;
    if (submitter && submitter.name) fields[submitter.name] = submitter.value;
    return fields;
  }

  async function recordOffline(submitter) {
    const fields = fieldsOf(submitter);
    const made = store.assistFromForm(fields, { householdId, outcomes, id: fields.assist_id || undefined });
    if (made.error) {
      say(made.error === "no_service" ? t.need_service : t.need_outcome, "error");
      return;
    }
    const event = made.event;
    const service = await serviceInfo(event.payload.services[0]);
    const residentId = event.payload.resident_id;
    const who = (residentId && optionText("resident", residentId)) || t.whole_household;
    const outcomeLabel = (submitter && submitter.textContent.trim()) || t.outcomes[fields.outcome] || "";
    event.user = CDS.config.user;
    event.show = {
      household: householdId,
      household_label: (document.getElementById("household") || {}).textContent || "",
      service_name: service.name, skill: service.skill, who: residentId ? who : "", outcome: fields.outcome,
      outcome_label: outcomeLabel,
    };
    await store.outboxAdd(event);
    say(fmt(t.saved, { service: service.name, who, outcome: outcomeLabel }));
    form.reset();
    freshId();
    await showPending();
    await CDS.refresh();
  }

  form.addEventListener("submit", (event) => {
    if (navigator.onLine && !CDS.offlineCopy) return; // online: the form posts as usual
    event.preventDefault();
    recordOffline(event.submitter);
  });

  /* ---------- The offline page: draw the household from the phone's copy. */
  async function drawShell() {
    const root = document.getElementById("offline-visit");
    root.hidden = false;
    form.action = location.pathname;
    household = await store.get("households", householdId);
    if (!household) {
      root.querySelector("[data-unknown]").hidden = false;
      root.querySelector("[data-known]").hidden = true;
      document.getElementById("household").textContent = t.unknown_household;
      return;
    }
    const villages = await CDS.hh.villageNames();
    const village = villages.get(household.v);
    document.title = `${CDS.hh.label(household)} · ${document.title.split(" · ").pop()}`;
    document.getElementById("household").textContent = CDS.hh.label(household);
    const place = [CDS.hh.villageText(household, villages) + (village && village.p ? `, ${village.p}` : "")];
    if (household.ad) place.push(household.ad);
    place.push(fmt(t.residents, { n: household.n || 0 }));
    root.querySelector("[data-place]").textContent = place.join(" · ");
    const due = (await CDS.hh.dueHouseholds()).has(householdId);
    const badges = CDS.hh.badges(household, { due, pending: 0 });
    const missing = badges.querySelector('[data-status="missing"]');
    if (!missing) badges.append(el("li", { class: "badge", "data-status": "missing" }, t.all_skills));
    if (!household.c) badges.append(el("li", { class: "badge" }, t.no_consent_badge));
    badges.id = "status";
    document.getElementById("status").replaceWith(badges);
    await drawPeople(root);
  }

  async function drawPeople(root) {
    const residents = (await store.byIndex("residents", "hh", householdId)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const skillsList = document.getElementById("skills");
    root.querySelector("[data-no-residents]").hidden = residents.length > 0;
    skillsList.hidden = residents.length === 0;
    const select = form.querySelector("select[name=resident]");
    const services = new Map((await store.all("services")).map((s) => [s.code, s]));
    const fallbackSkills = serviceSkills();
    const year = new Date().getFullYear();
    skillsList.replaceChildren();
    residents.forEach((resident, index) => {
      const name = resident.nm || fmt(t.resident_n, { n: index + 1 });
      const text = resident.by ? fmt(t.age, { name, age: year - resident.by }) : name;
      select.append(el("option", { value: resident.id }, text));
      const states = {};
      skillsList.append(
        el("li", { "data-resident": resident.id },
          el("strong", {}, text),
          el("span", { class: "muted small" }, ` · ${t.devices[resident.dv] || ""} · `, el("span", { "data-count": "1" }, "")),
          el("div", { class: "chips" }, ...SKILLS.map((skill) => {
            states[skill] = "none";
            return el("span", { class: "chip", "data-skill": skill, "data-state": "none", title: t.skill_names[skill] }, t.skills[skill]);
          })),
        ),
      );
      return states;
    });
    for (const resident of residents) {
      for (const a of await store.byIndex("adoption", "r", resident.id)) {
        const service = services.get(a.s);
        raiseChip(resident.id, (service && service.sk) || fallbackSkills[a.s], a.st);
      }
      const row = skillsList.querySelector(`li[data-resident="${CSS.escape(resident.id)}"]`);
      row.querySelector("[data-count]").textContent = fmt(t.skills_count, { n: row.querySelectorAll('[data-state="independent"]').length });
    }
  }

  async function start() {
    freshId();
    await CDS.ready;
    if (shell) await drawShell();
    const saved = new URLSearchParams(location.search).get("saved");
    if (saved) {
      // Sent here by the service worker after it kept a form posted without network.
      const event = await store.get("outbox", saved);
      if (event) {
        const service = await serviceInfo(event.payload.services[0]);
        const who = (event.payload.resident_id && optionText("resident", event.payload.resident_id)) || t.whole_household;
        event.show = Object.assign({}, event.show, {
          household_label: (document.getElementById("household") || {}).textContent || "",
          service_name: service.name, skill: service.skill, who: event.payload.resident_id ? who : "",
          outcome_label: t.outcomes[event.show.outcome] || "",
        });
        await store.outboxAdd(event);
        say(fmt(t.saved, { service: service.name, who, outcome: event.show.outcome_label }));
      }
      history.replaceState(null, "", location.pathname);
    }
    await showPending();
    document.addEventListener("cds:synced", showPending);
    document.documentElement.dataset.visitReady = "1";
  }

  start();
})();
