// newsforensics workbench: show the spans behind a clicked highlight. Served from 'self' under a
// strict CSP; it never inserts markup: every value from the dossier goes in through textContent.
"use strict";

(function () {
  const root = document.getElementById("dossier");
  if (!root) return;
  const article = document.getElementById("article");
  const body = document.getElementById("details-body");
  const hint = document.getElementById("details-hint");
  let dossierPromise = null;

  function dossier() {
    if (!dossierPromise) {
      dossierPromise = fetch(root.dataset.json, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
    }
    return dossierPromise;
  }

  function text(tag, value, cls) {
    const el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }

  function show(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  const HIDDEN = new Set(["id", "text", "label", "start", "end", "raw_start", "raw_end"]);

  function speakerOf(d, span) {
    if (!span.speaker || !Array.isArray(d.speakers)) return null;
    return d.speakers.find((s) => s.name === span.speaker) || null;
  }

  function card(d, layer, span) {
    const box = document.createElement("div");
    box.className = "span-card";
    box.appendChild(text("h3", layer + " " + span.id + " · " + span.label));
    box.appendChild(text("p", "\u201c" + span.text + "\u201d"));
    const dl = document.createElement("dl");
    const add = (k, v) => { if (v !== "" && v !== null && v !== undefined) { dl.appendChild(text("dt", k)); dl.appendChild(text("dd", show(v))); } };
    const speaker = speakerOf(d, span);
    if (speaker) {
      add("speaker", [speaker.title, speaker.name].filter(Boolean).join(" "));
      add("role", [speaker.role, speaker.organisation].filter(Boolean).join(", "));
      add("mentions", (speaker.mentions || []).map((m) => m.text).join(" · "));
    }
    for (const [k, v] of Object.entries(span)) {
      if (!HIDDEN.has(k) && !(speaker && k === "speaker")) add(k, v);
    }
    add("offsets", span.start + "\u2013" + span.end);
    box.appendChild(dl);
    return box;
  }

  function select(piece) {
    for (const el of article.querySelectorAll(".selected")) el.classList.remove("selected");
    piece.classList.add("selected");
    const refs = (piece.dataset.refs || "").split(" ").filter(Boolean);
    dossier().then((d) => {
      body.replaceChildren();
      if (hint) hint.hidden = true;
      for (const ref of refs) {
        const [layer, id] = ref.split(":");
        const span = (d[layer] || []).find((s) => s.id === id);
        if (span) body.appendChild(card(d, layer, span));
      }
    }).catch((err) => { body.replaceChildren(text("p", "Could not load the dossier: " + err.message, "error-message")); });
  }

  article.addEventListener("click", (event) => {
    const piece = event.target.closest("span[data-refs]");
    if (piece) select(piece);
  });
  article.addEventListener("keydown", (event) => {
    const piece = event.target.closest("span[data-refs]");
    if (piece && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); select(piece); }
  });
})();
