/* LeadHarvest web UI: progressive enhancement only; every page works without it.
   Never builds HTML from strings: values from the web go in through textContent. */
"use strict";

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/* New job: propose the query from the product keywords, check it as you type. */
function setupNewJob(form) {
  const product = form.querySelector("#product");
  const query = form.querySelector("#query");
  const status = document.getElementById("query-status");
  const searches = document.getElementById("searches");
  let edited = query.value.trim() !== "";

  async function check() {
    const text = query.value;
    status.replaceChildren();
    if (!text.trim()) return;
    const res = await fetch(query.dataset.check + "?q=" + encodeURIComponent(text));
    if (!res.ok || query.value !== text) return;
    const data = await res.json();
    if (data.ok) {
      const p = el("p", status.dataset.ok);
      p.className = "ok";
      status.replaceChildren(p);
      query.setAttribute("aria-invalid", "false");
      return;
    }
    if (data.empty) return;
    const msg = el("p", `${status.dataset.error} ${data.column}${status.dataset.errorSuffix}: ${data.message}`);
    msg.className = "error";
    const pre = el("pre");
    pre.className = "pointer";
    pre.append(document.createTextNode(data.before), el("mark", data.at), document.createTextNode(data.after));
    status.replaceChildren(msg, pre);
    query.setAttribute("aria-invalid", "true");
  }

  async function propose() {
    const res = await fetch(product.dataset.propose + "?product=" + encodeURIComponent(product.value));
    if (!res.ok) return;
    const data = await res.json();
    if (!edited) {
      query.value = data.query || "";
      check();
    }
    searches.replaceChildren();
    if (data.searches && data.searches.length) {
      const label = el("p", searches.dataset.label);
      label.className = "help";
      const list = el("ul");
      for (const s of data.searches) {
        const li = el("li");
        li.append(el("code", s));
        list.append(li);
      }
      searches.replaceChildren(label, list);
    }
  }

  query.addEventListener("input", () => { edited = query.value.trim() !== ""; });
  query.addEventListener("input", debounce(check, 200));
  product.addEventListener("input", debounce(propose, 250));

  function showMode() {
    const live = form.querySelector("input[name=mode][value=live]").checked;
    for (const fs of form.querySelectorAll(".mode-practice")) fs.hidden = live;
    for (const fs of form.querySelectorAll(".mode-live")) fs.hidden = !live;
  }
  for (const radio of form.querySelectorAll("input[name=mode]")) radio.addEventListener("change", showMode);
  showMode();
  if (query.value) check();
}

/* Job page: poll the progress until the job is done. */
function setupProgress(section) {
  const body = document.querySelector("#progress-table tbody");
  const columns = ["source", "method", "requests", "responses", "leads", "empty", "blocked",
                   "robots", "missing", "errors", "why"];
  async function poll() {
    let data;
    try {
      const res = await fetch(section.dataset.url, { headers: { Accept: "application/json" } });
      if (!res.ok) return setTimeout(poll, 2000);
      data = await res.json();
    } catch (e) {
      return setTimeout(poll, 2000);
    }
    const rows = data.rows.map((r) => {
      const tr = el("tr");
      tr.dataset.source = r.source;
      for (const key of columns) {
        const td = el("td", r[key]);
        if (typeof r[key] === "number") td.className = "num";
        tr.append(td);
      }
      return tr;
    });
    body.replaceChildren(...rows);
    document.getElementById("no-pages").hidden = rows.length > 0;
    const state = document.getElementById("job-state");
    state.textContent = data.state_label;
    state.dataset.state = data.state;
    document.getElementById("job-leads").textContent = data.leads;
    const error = document.getElementById("job-error");
    error.textContent = data.error || "";
    error.hidden = !data.error;
    if (data.done) {
      section.dataset.done = "true";
      document.getElementById("running-actions").hidden = true;
      document.getElementById("done-actions").hidden = false;
      document.getElementById("resume-form").hidden = !data.resumable;
      return;
    }
    setTimeout(poll, 700);
  }
  if (section.dataset.done !== "true") poll();
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("new-job");
  if (form) setupNewJob(form);
  const section = document.getElementById("progress");
  if (section) setupProgress(section);
});
