/* late.js: on an attempt's result page, the answers this device still holds (attempt.js keeps
   them in localStorage when the server answers "closed") become a response file: encrypted
   with WebCrypto to the server's P-256 key (ECDH with a fresh key, HKDF-SHA-256, AES-256-GCM)
   and bound to the attempt by its token (in the additional data and the content), so only the
   server reads it and it fails on any other attempt. The officer sends it or downloads it;
   a trainer decides. Device times are claims, not proof. ES5 style, no build step; texts come
   from the template's data attributes. */
(function () {
  "use strict";
  var box = document.querySelector("[data-late]");
  if (!box || !window.JSON) return;
  function data(name) { return box.getAttribute("data-" + name) || ""; }
  function find(sel) { return box.querySelector(sel); }
  var id = data("attempt"), prefix = "lms.attempt." + id + ".q.", store = null;
  var received = parseInt(data("received-seq"), 10) || 0, keys = [], answers = [], i, k, e;
  try { store = window.localStorage; } catch (x) {}
  if (!store) return;
  for (i = 0; i < store.length; i++) {
    k = store.key(i);
    if (!k || k.indexOf(prefix) !== 0) continue;
    try { e = JSON.parse(store.getItem(k)); } catch (x) { e = null; }
    if (!e || !e.seq || !e.fields) continue;
    keys.push(k);
    // the server has these already (a file sent or uploaded by a trainer)
    if (e.seq <= received) continue;
    answers.push({ p: parseInt(k.slice(prefix.length), 10), seq: e.seq, t: e.t || null, f: e.fields });
  }
  function forget() { for (var j = 0; j < keys.length; j++) try { store.removeItem(keys[j]); } catch (x) {} }
  if (!answers.length) { forget(); return; }

  var status = find("[data-late-status]"), send = find("[data-late-send]"), save = find("[data-late-download]");
  find("[data-late-held]").hidden = false;
  find("[data-late-count]").textContent = data("msg-count").replace("{n}", answers.length);
  function say(text) { status.textContent = text; }
  var subtle = window.crypto && window.crypto.subtle;
  if (!subtle || !window.Uint8Array || !window.Blob || !window.Promise) {
    say(data("msg-nocrypto"));
    send.disabled = save.disabled = true;
    return;
  }
  function bytes(text) {
    var raw = unescape(encodeURIComponent(text)), out = new Uint8Array(raw.length), j;
    for (j = 0; j < raw.length; j++) out[j] = raw.charCodeAt(j);
    return out;
  }
  function b64(buffer) {
    var view = new Uint8Array(buffer), raw = "", j;
    for (j = 0; j < view.length; j++) raw += String.fromCharCode(view[j]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function unb64(text) {
    var raw = atob(text.replace(/-/g, "+").replace(/_/g, "/")), out = new Uint8Array(raw.length), j;
    for (j = 0; j < raw.length; j++) out[j] = raw.charCodeAt(j);
    return out;
  }
  var file = null, curve = { name: "ECDH", namedCurve: "P-256" };
  function make(done) {
    if (file) { done(file); return; }
    var token = data("token"), iv = window.crypto.getRandomValues(new Uint8Array(12)), pair;
    var plain = JSON.stringify({ attempt: +id, token: token, made: Date.now(), answers: answers });
    subtle.importKey("raw", unb64(data("key")), curve, false, []).then(function (server) {
      return subtle.generateKey(curve, true, ["deriveBits"]).then(function (p) {
        pair = p;
        return subtle.deriveBits({ name: "ECDH", "public": server }, p.privateKey, 256);
      });
    }).then(function (bits) {
      return subtle.importKey("raw", bits, "HKDF", false, ["deriveKey"]);
    }).then(function (base) {
      return subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0),
        info: bytes("lms-late-response:" + id) }, base, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    }).then(function (key) {
      return Promise.all([subtle.exportKey("raw", pair.publicKey), subtle.encrypt({ name: "AES-GCM", iv: iv,
        additionalData: bytes("lms-late-response:v1:" + id + ":" + token) }, key, bytes(plain))]);
    }).then(function (r) {
      file = JSON.stringify({ format: "lms-late-response", v: 1, attempt: +id, epk: b64(r[0]), iv: b64(iv), ct: b64(r[1]) });
      done(file);
    })["catch"](function () { say(data("msg-nocrypto")); });
  }
  function blob(text) { return new Blob([text], { type: "application/json" }); }
  var name = "tra-loi-lan-thi-" + id + ".json";

  save.addEventListener("click", function () {
    make(function (text) {
      var a = document.createElement("a"), url = URL.createObjectURL(blob(text));
      if (window.navigator.msSaveBlob) { window.navigator.msSaveBlob(blob(text), name); return; }
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      say(data("msg-downloaded"));
    });
  });
  send.addEventListener("click", function () {
    send.disabled = true;
    say(data("msg-sending"));
    make(function (text) {
      var body = new FormData(), xhr = new XMLHttpRequest(), m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      var input = box.querySelector("[name=csrfmiddlewaretoken]"), csrf = m ? decodeURIComponent(m[1]) : (input ? input.value : "");
      body.append("csrfmiddlewaretoken", csrf);
      body.append("file", blob(text), name);
      xhr.open("POST", data("upload"));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.timeout = 30000;
      xhr.onload = function () {
        var json = null;
        try { json = JSON.parse(xhr.responseText); } catch (x) {}
        if (xhr.status === 200 && json && json.sent) {
          forget();  // the server holds them now, waiting for a decision
          say(json.message);
          setTimeout(function () { location.reload(); }, 1500);
        } else {
          send.disabled = false;
          say((json && json.error) || data("msg-failed"));
        }
      };
      xhr.onerror = xhr.ontimeout = function () { send.disabled = false; say(data("msg-failed")); };
      xhr.send(body);
    });
  });
})();
