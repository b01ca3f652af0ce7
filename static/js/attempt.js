/* attempt.js: enhances the question page; without it plain form posts do everything.
   Changes are saved in the background (the page's form, Accept: application/json), numbered
   by a sequence kept per attempt in localStorage (a reload goes on counting; the server never
   lets an older save win). Answers wait in localStorage while offline and are sent when the
   link returns (online event, focus, retries with backoff). Buttons save first, then move on.
   The timer only displays the server's remaining time. ES5, no build step; texts come from
   the template's data attributes.
   Offline answering: as soon as the page loads, every question of the attempt is fetched in
   one request (data-questions: each question's part as the page shows it, no key or score)
   and the parts ([data-question]) are kept in sessionStorage. While the
   link is down, the question links and buttons swap in the kept part (history.pushState), so
   the officer goes on answering; answers queue as above. Reviewing and submitting always
   need the server. */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.JSON) return;

  function data(name) { return form.getAttribute("data-" + name) || ""; }
  function find(sel) { return form.querySelector(sel); }
  var position = parseInt(data("position"), 10);
  var prefix = "lms.attempt." + data("attempt") + ".";
  var stateEl = find("[data-save-state]");
  var loginEl = find("[data-login]");
  var timerEl = find("[data-timer]");
  var wrapper = find("[data-question]");
  var links = document.querySelectorAll(".qnav a");
  var count = links.length;
  // an answered question's link says so in words too, as the server renders it (qstate)
  function markAnswered(link, queued) {
    if (!link) return;
    link.className = queued ? "answered queued" : "answered";
    if (!link.querySelector(".qstate")) {
      var state = document.createElement("span");
      state.className = "qstate";
      state.textContent = data("msg-answered");
      link.appendChild(state);
    }
  }
  var memory = {}, held = {};
  function usable(name) {
    try {
      var s = window[name];
      s.setItem(prefix + "t", "1");
      s.removeItem(prefix + "t");
      return s;
    } catch (e) { return null; }
  }
  var store = usable("localStorage");
  var session = usable("sessionStorage");

  function get(key) {
    var raw = memory[key];
    try { if (raw === undefined && store) raw = store.getItem(prefix + key); } catch (e) {}
    try { return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }
  function put(key, value) {
    var raw = JSON.stringify(value);
    memory[key] = raw;
    try { if (store) store.setItem(prefix + key, raw); } catch (e) {}
  }
  function drop(key) {
    delete memory[key];
    try { if (store) store.removeItem(prefix + key); } catch (e) {}
  }
  // this tab only: the question parts ("page.N") and the last answer saved from here ("s.N")
  function kept(key) {
    var raw = held[key];
    try { if (raw === undefined && session) raw = session.getItem(prefix + key); } catch (e) {}
    try { return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }
  function keep(key, value) {
    var raw = JSON.stringify(value);
    held[key] = raw;
    try { if (session) session.setItem(prefix + key, raw); } catch (e) {}
  }
  function queuedKeys() {
    var keys = {}, i, k;
    for (k in memory) if (k.indexOf("q.") === 0) keys[k] = 1;
    try {
      if (store) for (i = 0; i < store.length; i++) {
        k = store.key(i);
        if (k && k.indexOf(prefix + "q.") === 0) keys[k.slice(prefix.length)] = 1;
      }
    } catch (e) {}
    return Object.keys(keys).sort();
  }
  function nextSeq() {
    var seq = Math.max(get("seq") || 0, parseInt(data("last-seq"), 10) || 0) + 1;
    put("seq", seq);
    return seq;
  }

  function setState(state, detail) {
    var text = data("msg-" + state);
    if (detail) text = text ? text + " " + detail : detail;
    stateEl.textContent = text;
    stateEl.setAttribute("data-state", state);
    loginEl.hidden = state !== "login";
  }

  function fields() {
    var out = [], i, el;
    for (i = 0; i < form.elements.length; i++) {
      el = form.elements[i];
      if (!el.name || el.disabled || el.name === "seq" || el.name === "csrfmiddlewaretoken") continue;
      if (el.type === "submit" || el.type === "button") continue;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
      out.push([el.name, el.value]);
    }
    return out;
  }
  function restore(entry) {
    var i, j, el, values = {};
    for (j = 0; j < entry.fields.length; j++) {
      (values[entry.fields[j][0]] = values[entry.fields[j][0]] || []).push(entry.fields[j][1]);
    }
    for (i = 0; i < form.elements.length; i++) {
      el = form.elements[i];
      if (!el.name || el.name === "seq" || el.type === "submit" || el.type === "hidden") continue;
      var v = values[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") el.checked = v.indexOf(el.value) >= 0;
      else el.value = v.length ? v[0] : "";
    }
  }
  function queue(go) {
    // t: the device's clock when the answer was given (a claim, shown to the trainer)
    var entry = { seq: nextSeq(), url: form.getAttribute("action") || location.pathname, fields: fields(), t: Date.now() };
    if (go) entry.go = go;
    put("q." + position, entry);
    markAnswered(links[position - 1], true);
    return entry;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var input = find("[name=csrfmiddlewaretoken]");
    return m ? decodeURIComponent(m[1]) : (input ? input.value : "");
  }

  var busy = false, failures = 0, retryTimer = null, goAfter = null, leaveTo = null, stopped = false;
  var goTarget = 0, linkDown = false;
  function down() { return navigator.onLine === false || linkDown; }

  function post(entry, done) {
    var body = new FormData(), i, xhr = new XMLHttpRequest();
    body.append("csrfmiddlewaretoken", csrf());
    body.append("seq", entry.seq);
    if (entry.t) body.append("t", entry.t);  // when it was given, by the device's clock
    if (entry.go) body.append("go", entry.go);
    for (i = 0; i < entry.fields.length; i++) body.append(entry.fields[i][0], entry.fields[i][1]);
    xhr.open("POST", entry.url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", csrf());
    xhr.timeout = 20000;
    xhr.onload = function () {
      var json = null;
      try { json = JSON.parse(xhr.responseText); } catch (e) {}
      done(xhr.status, json);
    };
    xhr.onerror = xhr.ontimeout = function () { done(0, null); };
    xhr.send(body);
  }

  function retryLater() {
    if (retryTimer || stopped) return;
    failures++;
    var wait = Math.min(60000, 2000 * Math.pow(2, Math.min(failures, 5))) * (0.75 + Math.random() / 2);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, wait);
  }

  function flush() {
    if (busy || stopped) return;
    var keys = queuedKeys();
    if (!keys.length) {
      // move on only once every waiting answer is on the server
      if (leaveTo) { stopped = true; location.href = leaveTo; return; }
      if (stateEl.getAttribute("data-state") !== "stale") setState("saved");
      return;
    }
    if (navigator.onLine === false) { offline(); return; }
    var key = keys[0], entry = get(key);
    if (!entry || !entry.url) { drop(key); flush(); return; }
    busy = true;
    post(entry, function (status, json) {
      busy = false;
      if (status) linkDown = false;
      var current = get(key);
      var same = current && current.seq === entry.seq;
      if (json && typeof json.remaining_seconds === "number") sync(json.remaining_seconds);
      if (status === 200 && json && (json.saved || json.stale)) {
        failures = 0;
        if (same) drop(key);
        if (json.stale) {
          if ((get("seq") || 0) < json.seq) put("seq", json.seq);
          if (key === "q." + position) setState("stale");
        } else {
          // what this tab saved last, to show it if the question is shown again offline
          keep("s." + key.slice(2), { seq: entry.seq, fields: entry.fields });
          var link = links[parseInt(key.slice(2), 10) - 1];
          if (same) markAnswered(link, false);
        }
        if (goAfter === entry.seq && json.next_url) leaveTo = json.next_url;
        flush();
      } else if (status === 401 || status === 403) {
        // signed out, or a new sign-in changed the token: keep all, ask to sign in
        goAfter = leaveTo = null;
        setState("login");
        if (json && json.login_url) loginEl.firstChild.href = json.login_url;
        retryLater();
      } else if (status === 409 && json && json.resequence) {
        // numbered too far ahead of the server: number on from the server's highest, resend
        put("seq", json.seq || 0);
        if (same) {
          var renumbered = nextSeq();
          if (goAfter === entry.seq) goAfter = renumbered;
          entry.seq = renumbered;
          put(key, entry);
        }
        flush();
      } else if (status === 410) {
        // closed: the unsent answers stay in localStorage; the result page (late.js) offers
        // them as a response file a trainer may accept
        for (var n = 1; n <= count; n++) {
          delete held["page." + n];
          try { if (session) session.removeItem(prefix + "page." + n); } catch (e) {}
        }
        stopped = true;
        setState("closed", json && json.error);
        if (json && json.result_url) setTimeout(function () { location.href = json.result_url; }, 4000);
      } else if (status >= 400 && status < 500) {
        if (same) drop(key);
        goAfter = leaveTo = null;
        setState("error", (json && json.error) || "");
      } else if (status) {
        goAfter = leaveTo = null;
        setState("pending", "(" + status + ")");
        retryLater();
      } else {
        offline();
      }
    });
  }

  function offline() {
    var moving = goAfter || leaveTo;
    linkDown = true;
    goAfter = leaveTo = null;
    if (moving) leave(goTarget);
    else if (!/^offline-/.test(stateEl.getAttribute("data-state") || "")) setState("offline");
    retryLater();
  }

  function savedSeq() {
    return parseInt(wrapper ? wrapper.getAttribute("data-saved-seq") : data("last-seq"), 10) || 0;
  }
  // show question n from its kept part, without the server; false if it is not on the device
  function show(n, push) {
    var page = kept("page." + n), box = document.createElement("div"), fresh, url, a;
    if (!page || !wrapper || !links[n - 1]) return false;
    box.innerHTML = page.h;
    fresh = box.firstChild;
    while (fresh && fresh.nodeType !== 1) fresh = fresh.nextSibling;
    if (!fresh) return false;
    wrapper.parentNode.replaceChild(fresh, wrapper);
    wrapper = fresh;
    url = links[n - 1].getAttribute("href");
    if (links[position - 1]) links[position - 1].removeAttribute("aria-current");
    links[n - 1].setAttribute("aria-current", "step");
    position = n;
    form.setAttribute("data-position", n);
    form.setAttribute("action", url);
    if (page.t) document.title = page.t;
    a = loginEl.querySelector("a");
    if (a) a.href = a.href.split("?")[0] + "?next=" + encodeURIComponent(url);
    if (push && window.history && history.pushState) history.pushState({ lmsq: n }, "", url);
    var entry = get("q." + n) || kept("s." + n);
    if (entry && entry.seq > savedSeq()) restore(entry);
    setState(queuedKeys().length ? "offline" : "saved");
    fresh.setAttribute("tabindex", "-1");  // for keyboards and screen readers: the new question
    fresh.focus();
    if (window.scrollTo) window.scrollTo(0, 0);
    return true;
  }
  // offline move to question n (0: the review page, which needs the server)
  function leave(n) {
    if (typing) { clearTimeout(typing); typing = null; queue(); now(); }
    if (!(n && show(n, true))) setState(n ? "offline-missing" : "offline-review");
  }

  function now() { if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; } flush(); }

  var typing = null, go = "next";
  function changed(delay) {
    setState("pending");
    clearTimeout(typing);
    typing = setTimeout(function () { typing = null; queue(); now(); }, delay);
  }
  form.addEventListener("change", function () { changed(0); });
  form.addEventListener("input", function (e) { if (e.target.type === "text") changed(1000); });
  form.addEventListener("click", function (e) {
    var t = e.target;
    while (t && t !== form && t.type !== "submit") t = t.parentNode;
    if (t && t.type === "submit") go = t.value || "next";
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(typing);
    typing = null;
    var target = go === "review" ? 0 : go === "previous" ? Math.max(1, position - 1)
      : position < count ? position + 1 : 0;
    var seq = queue(go).seq;
    failures = 0;
    if (down()) { now(); leave(target); return; }
    goAfter = seq;
    goTarget = target;
    setState("pending");
    now();
  });
  document.addEventListener("click", function (e) {
    var a = e.target, i;
    while (a && a.tagName !== "A") a = a.parentNode;
    if (!a || !down() || a.parentNode.parentNode.className !== "qnav") return;
    e.preventDefault();
    for (i = 0; i < count; i++) if (links[i] === a && i + 1 !== position) leave(i + 1);
  });
  window.addEventListener("popstate", function (e) {
    var n = e.state && e.state.lmsq;
    if (!n || n === position) return;
    if (!down()) { location.reload(); return; }  // online: the server shows it
    if (typing) { clearTimeout(typing); typing = null; queue(); now(); }
    if (!show(n, false)) setState("offline-missing");
  });
  window.addEventListener("online", function () { linkDown = false; now(); prefetch(); });
  window.addEventListener("offline", function () { if (queuedKeys().length || typing) setState("offline"); });
  window.addEventListener("focus", now);
  window.addEventListener("pagehide", function () { if (typing) { clearTimeout(typing); typing = null; queue(); } });

  var remaining = parseInt(data("remaining"), 10), since = Date.now(), reloaded = false;
  function sync(seconds) { remaining = seconds; since = Date.now(); }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.round(remaining - (Date.now() - since) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor(left / 60) % 60, s = left % 60;
    timerEl.textContent = left > 0
      ? data("msg-time-left") + ": " + (h ? h + ":" + two(m) : m) + ":" + two(s)
      : data("msg-time-up");
    if (left === 0 && !reloaded && !queuedKeys().length && navigator.onLine !== false &&
        Date.now() - since > (remaining + (parseInt(data("grace"), 10) || 30) + 2) * 1000) {
      // past the grace period: the server closes the attempt on the next visit
      reloaded = true;
      location.reload();
    }
  }
  if (timerEl && !isNaN(remaining)) {
    timerEl.hidden = false;
    tick();
    setInterval(tick, 1000);
  }

  // prefetching: every question of the attempt in one request (data-questions), as soon as
  // the page loads; again with the "online" event if it failed, at most 3 times
  var fetching = false, requests = 0, finished = false;
  function mark(done) {
    var n = 0, i;
    for (i = 1; i <= count; i++) if (kept("page." + i)) n++;
    form.setAttribute("data-prefetched", n);
    if (done) { finished = true; form.setAttribute("data-prefetch", "done"); }
  }
  function prefetch() {
    if (fetching || finished || stopped || !wrapper || !data("questions")) return;
    var n = 1;
    while (n <= count && kept("page." + n)) n++;
    if (n > count || requests >= 3) { mark(true); return; }
    if (down()) return;  // goes on with the "online" event
    fetching = true;
    requests++;
    var xhr = new XMLHttpRequest();
    xhr.open("GET", data("questions"));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.timeout = 60000;
    xhr.onload = function () {
      fetching = false;
      var json = null, i, p;
      try { json = JSON.parse(xhr.responseText); } catch (e) {}
      if (xhr.status !== 200 || !json || !json.pages) { mark(true); return; }
      for (i = 0; i < json.pages.length; i++) {
        p = json.pages[i];
        // this tab's own copy of its question stays: it may hold what was just answered
        if (p.n !== position && p.n >= 1 && p.n <= count) keep("page." + p.n, { h: p.h, t: p.t });
      }
      mark(true);
    };
    xhr.onerror = xhr.ontimeout = function () { fetching = false; };  // on with "online"
    xhr.send();
  }

  if (wrapper) keep("page." + position, { h: wrapper.outerHTML, t: document.title });
  if (window.history && history.replaceState) history.replaceState({ lmsq: position }, "");
  queuedKeys().forEach(function (k) {
    var link = links[parseInt(k.slice(2), 10) - 1];
    markAnswered(link, true);
  });
  var mine = get("q." + position);
  if (mine && mine.seq > savedSeq()) restore(mine);
  if (queuedKeys().length) { setState("pending"); flush(); }
  mark();
  prefetch();
})();
