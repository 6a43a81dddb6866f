// Power Play browser client: draws the view the host sends for this seat, sends decisions back.
// Every text from the scenario or a player is set with textContent (never parsed as HTML).
"use strict";

const token = new URLSearchParams(location.search).get("t") || "";
let socket = null;
let frame = null;
let backoff = 500;

function $(sel) { return document.querySelector(sel); }
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
// True when ``node`` already shows ``what``: a redraw would only lose the focus and what a
// player was typing, so it is skipped.
function unchanged(node, what) {
  const key = JSON.stringify(what);
  if (node.dataset.drawn === key) return true;
  node.dataset.drawn = key;
  return false;
}

// ------------------------------------------------------------------ numbers and words

function num(x, precision) {
  if (x === null || x === undefined) return "?";
  const s = Number(x).toFixed(precision || 0);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}
// A track's value, rung and what the team was last shown, in the words of the presentation
// layer (game.present: the host sends them beside the view; a ladder reads 'Reported',
// 'None to Confirmed', never '1' or '≈0–2').
function said(t) {
  return (frame.words && frame.words.tracks[t.id]) || { value: "?", rung: "", seen: "" };
}
function known(t) {
  const w = said(t);
  return w.value + (w.seen ? " (" + w.seen + ")" : "");
}
function rung(t) { return said(t).rung; }
function odds(m) {
  if (m.adjudication === "automatic") return "certain";
  if (m.odds === null) return "umpire decides";
  const pct = Math.round(m.odds * 100);
  if (m.odds >= 1) return "certain";
  if (m.odds <= 0) return "impossible";
  return pct >= 100 ? ">99%" : pct <= 0 ? "<1%" : pct + "%";
}
function actorName(v, id) {
  if (id === "control") return "the umpire";
  if (id === "all") return "everyone";
  const a = v.actors.find((x) => x.id === id);
  return a ? a.name : id;
}
function outcomeName(o, id) {
  const hit = o.outcomes.find((x) => x[0] === id);
  return hit ? hit[1] : id;
}

// ------------------------------------------------------------------ talking to the host

function send(msg) {
  if (!socket || socket.readyState !== WebSocket.OPEN) { showError("Not connected: retrying…"); return; }
  socket.send(JSON.stringify(msg));
}
function act(action) { send({ type: "act", action: action }); }
function showError(text) {
  const box = $("#error");
  box.textContent = text;
  box.hidden = !text;
  if (text) setTimeout(() => { box.hidden = true; }, 6000);
}

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(proto + "//" + location.host + "/ws?t=" + encodeURIComponent(token));
  socket.onopen = () => { backoff = 500; $("#status").textContent = "connected"; };
  socket.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.type === "state") { frame = msg; draw(); }
    else if (msg.type === "error") showError(msg.message);
    else if (msg.type === "why") showWhy(msg.lines);
    else if (msg.type === "ok" && msg.undone) $("#status").textContent = msg.undone;
  };
  socket.onclose = () => {  // reconnect by itself and resync from the next frame
    $("#status").textContent = "reconnecting…";
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 8000);
  };
}

// ------------------------------------------------------------------ drawing

function draw() {
  const v = frame.view;
  const seat = frame.seat;
  document.body.dataset.seat = seat;
  document.body.dataset.seq = v.log.length ? v.log[v.log.length - 1].seq : -1;  // for tests and tools
  const title = seat === "control" ? "Umpire — sees everything"
    : seat === "room" ? "The room — " + v.title
    : seat === "observer" ? "Observer — " + v.title
    : actorName(v, seat);
  $("#who").textContent = title;
  const waiting = v.waiting_for.map((w) => actorName(v, w)).join(", ");
  $("#status").textContent = `Turn ${v.turn}/${v.turns} · ${v.date} · ${v.phase_name}` +
    (v.over ? " · game over" : waiting ? " · waiting for " + waiting : "");
  $("#timer").textContent = frame.timer ? "⏱ " + Math.ceil(frame.timer.left / 60) + " min left" +
    (frame.timer.expiry === "advance" ? " (then the game moves on)" : "") : "";
  $("#paused").hidden = !frame.paused;
  const acting = seat !== "room" && seat !== "observer";
  document.querySelectorAll(".acting").forEach((s) => { s.hidden = !acting; });
  $("#umpire").hidden = seat !== "control";
  drawBriefing(v, seat);
  drawTracks(v);
  if (acting) { drawMoves(v); drawOrders(v); drawChannels(v, seat); }
  if (seat === "control") drawUmpire(v);
  drawLog(v);
}

function drawBriefing(v, seat) {
  const text = $("#briefing .text");
  clear(text);
  if (v.phase_text) text.append(el("p", v.phase_text, "phase"));
  for (const a of v.actors) {
    if (a.kind !== "player") continue;
    const mine = a.id === seat || seat === "control";
    if (!mine && seat !== "room" && seat !== "observer") continue;
    if (seat !== "control" && a.id !== seat && !a.public_briefing) continue;
    text.append(el("h3", a.name));
    if (a.public_briefing) text.append(el("p", a.public_briefing));
    if (mine && a.private_briefing) text.append(el("p", a.private_briefing, "private"));
    if (mine && a.resources) {
      text.append(el("p", a.resources.map((r) => `${r.name}: ${r.value}/${r.max} (+${r.per_turn} a turn)`).join(" · "), "resources"));
    }
  }
  const objs = $("#briefing .objectives");
  clear(objs);
  for (const o of v.objectives) {
    const who = seat === "control" || seat === "room" || seat === "observer" ? actorName(v, o.actor) + " — " : "";
    objs.append(el("li", `${who}${o.name}${o.hidden ? " (hidden agenda)" : ""}: ${o.text}` +
      (o.unseen ? " — depends on what you cannot see: scored at the debrief"
        : o.score === null || o.score === undefined ? "" : ` — ${num(o.score, v.score_precision)} so far`)));
  }
  const scores = $("#briefing .scores");
  clear(scores);
  for (const a of v.actors) {
    if (a.kind === "player" && a.score !== null && a.score !== undefined) {
      scores.append(el("li", `${a.name}: ${num(a.score, v.score_precision)}`));
    }
  }
  if (v.over) scores.append(el("li", "Game over" + (v.end_reason ? ": " + v.end_reason : ""), "over"));
}

function drawTracks(v) {
  const body = $("#tracks tbody");
  clear(body);
  for (const t of v.tracks) {
    const tr = el("tr");
    tr.append(el("td", t.name), el("td", known(t)), el("td", rung(t)));
    body.append(tr);
  }
}

function drawMoves(v) {
  const box = $("#moves .cards");
  if (unchanged(box, [v.moves, v.legal])) return;
  clear(box);
  const legal = new Set(v.legal);
  for (const m of v.moves) {
    const card = el("article", null, "card" + (m.legal ? "" : " greyed"));
    card.append(el("h3", m.name), el("p", m.text));
    card.append(el("p", "Odds: " + odds(m) + (m.unseen_factors ? " (leaving out what you cannot see)" : ""), "odds"));
    if (m.needs.length) card.append(el("p", "Needs: " + m.needs.join("; "), "needs"));
    if (!m.legal) card.append(el("p", "Not now: " + (m.reason || "not available"), "why-not"));
    else {
      const pick = el("select");
      for (const a of m.actions) {
        if (!legal.has(a)) continue;
        const params = a.split(" ").slice(2);
        const label = params.map((p) => {
          const [k, val] = p.split("=");
          const q = m.labels.find((l) => l[0] === k);
          const c = q ? q[2].find((x) => x[0] === val) : null;
          return (q ? q[1] : k) + ": " + (c ? c[1] : val);
        }).join(", ");
        const opt = el("option", label || m.name);
        opt.value = a;
        pick.append(opt);
      }
      const why = el("input");
      why.placeholder = "your reasoning (goes in the record)";
      why.maxLength = 2000;
      const go = el("button", "Give this order");
      go.onclick = () => act(pick.value + (why.value.trim() ? " | " + why.value.trim().replace(/\|/g, "/") : ""));
      if (pick.options.length > 1) card.append(pick);
      card.append(why, go);
    }
    box.append(card);
  }
  const pass = v.legal.find((a) => / pass$/.test(a));
  if (pass) {
    const done = el("button", "I have finished giving orders", "finish");
    done.onclick = () => act(pass);
    box.append(done);
  }
}

function drawOrders(v) {
  const list = $("#orders ul");
  clear(list);
  for (const o of v.orders) {
    const li = el("li");
    // where it stands, the outcome by its scenario name (game.present.order_result)
    const state = (frame.words && frame.words.orders[o.ref]) || "—";
    li.append(el("strong", o.actor_name + ": "), document.createTextNode(o.label + " — " + state));
    if (o.rationale) li.append(el("em", " “" + o.rationale + "”"));
    const retract = v.legal.find((a) => a.endsWith("retract order=" + o.ref));
    if (retract) {
      const b = el("button", "Take back");
      b.onclick = () => act(retract);
      li.append(" ", b);
    }
    list.append(li);
  }
}

function drawChannels(v, seat) {
  const list = $("#channels ul");
  clear(list);
  for (const m of v.messages) {  // the engine's log lines this seat may read
    list.append(el("li", `turn ${m.turn} · ${m.text}`));
  }
  const to = $("#to");
  const keep = to.value;
  clear(to);
  for (const t of frame.write_to) {  // as the scenario's channels allow
    const opt = el("option", t.seat === "control" ? "the umpire (request for information)" : t.name);
    opt.value = t.seat;
    to.append(opt);
  }
  if (keep) to.value = keep;
}

function drawUmpire(v) {
  const box = $("#control-actions");
  if (!unchanged(box, [v.legal, v.orders, v.injects])) {
    clear(box);
    for (const a of v.legal) {
      if (!a.startsWith("control:")) continue;
      const b = el("button", controlLabel(v, a));
      b.onclick = () => act(a);
      box.append(b);
    }
  }
  const sel = $("#adj-track");
  const keepT = sel.value;
  clear(sel);
  for (const t of v.tracks) { const o = el("option", t.name); o.value = t.id; sel.append(o); }
  if (keepT) sel.value = keepT;
  const ord = $("#ovr-order");
  const keepO = ord.value;
  clear(ord);
  for (const o of v.orders.filter((x) => x.status === "decided")) {
    const opt = el("option", o.actor_name + ": " + o.label);
    opt.value = o.ref;
    ord.append(opt);
  }
  if (keepO) ord.value = keepO;
  const chosen = v.orders.find((x) => x.ref === ord.value);
  const out = $("#ovr-outcome");
  clear(out);
  for (const [id, name] of chosen ? chosen.outcomes : []) { const o = el("option", name); o.value = id; out.append(o); }
}

function controlLabel(v, a) {
  const parts = Object.fromEntries(a.split(" ").slice(2).map((p) => p.split("=")));
  const verb = a.split(" ")[1];
  const order = parts.order ? v.orders.find((o) => o.ref === parts.order) : null;
  const what = order ? order.actor_name + ": " + order.label : "";
  const inj = parts.event ? (v.injects.find((i) => i.event === parts.event) || {}).name : "";
  if (verb === "advance") return "Move the game on";
  if (verb === "rule" && parts.strength !== undefined) return `Rule ${what}: argument ${parts.strength > 0 ? "+" : ""}${parts.strength}`;
  if (verb === "rule") return `Rule ${what}: ${order ? outcomeName(order, parts.outcome) : parts.outcome}`;
  if (["release", "hold", "skip"].includes(verb)) return `${verb[0].toUpperCase() + verb.slice(1)} inject: ${inj}`;
  return verb;
}

function drawLog(v) {
  const list = $("#log ol");
  clear(list);
  for (const line of v.log) {  // the newest lines: the host sends a tail
    const li = el("li");
    li.append(el("span", line.text));
    const b = el("button", "why?", "why");
    b.onclick = () => send({ type: "why", seq: line.seq });
    li.append(" ", b);
    list.append(li);
  }
}

function showWhy(lines) {
  const box = $("#why");
  clear(box);
  box.append(el("h3", "Why?"));
  const ul = el("ul");
  for (const l of lines) ul.append(el("li", l));
  box.append(ul);
}

// ------------------------------------------------------------------ the umpire's controls

function wire() {
  $("#undo").onclick = () => send({ type: "undo" });
  $("#pause").onclick = () => send({ type: "pause" });
  $("#resume").onclick = () => send({ type: "resume" });
  $("#settimer").onclick = () => send({ type: "timer", seconds: Number($("#minutes").value) * 60, expiry: $("#expiry").value });
  $("#stoptimer").onclick = () => send({ type: "timer", seconds: 0 });
  $("#adjust").onclick = () => {
    const reason = $("#adj-reason").value.trim().replace(/\|/g, "/");
    if (!reason) { showError("An adjustment needs a reason."); return; }
    act(`control: adjust track=${$("#adj-track").value} value=${$("#adj-value").value} | ${reason}`);
  };
  $("#ovr-order").onchange = () => frame && drawUmpire(frame.view);
  $("#override").onclick = () => {
    const reason = $("#ovr-reason").value.trim().replace(/\|/g, "/");
    if (!reason) { showError("An override needs a reason."); return; }
    act(`control: override order=${$("#ovr-order").value} outcome=${$("#ovr-outcome").value} | ${reason}`);
  };
  $("#send").onclick = () => {
    const text = $("#say").value.trim();
    if (!text) return;
    send({ type: "say", to: $("#to").value, text: text });
    $("#say").value = "";
  };
}

wire();
connect();
