/* gerbang sandbox: a stand-in for https://challenges.cloudflare.com/turnstile/v0/api.js.
 * Same global API (render, getResponse, reset, remove, isExpired, execute, ready),
 * implicit rendering of .cf-turnstile elements, ?render=explicit&onload=fn.
 * "Solving" mints a single-use token at the sandbox (/_sandbox/turnstile/token),
 * which the fake siteverify accepts once, like the real service. */
(function () {
  "use strict";
  var script = document.currentScript;
  var src = new URL(script ? script.src : location.href);
  var base = src.origin;
  var widgets = {};
  var next = 0;
  var readyQueue = [];
  var loaded = false;

  function el(container) {
    return typeof container === "string" ? document.querySelector(container) : container;
  }

  function call(fn, arg) {
    if (typeof fn === "string") fn = window[fn];
    if (typeof fn === "function") fn(arg);
  }

  function mint(w) {
    w.token = null;
    w.box.textContent = "Memeriksa… / Checking…";
    return fetch(base + "/_sandbox/turnstile/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ hostname: location.hostname, action: w.opts.action || "", cdata: w.opts.cData || "" })
    }).then(function (r) {
      if (!r.ok) throw new Error("mint " + r.status);
      return r.json();
    }).then(function (v) {
      w.token = v.token;
      w.issued = Date.now();
      w.box.textContent = "\u2714 Berhasil (sandbox) / Success";
      if (w.input) w.input.value = v.token;
      call(w.opts.callback, v.token);
    }).catch(function (e) {
      w.box.textContent = "Gagal / Failed";
      call(w.opts["error-callback"], String(e));
    });
  }

  var api = {
    render: function (container, opts) {
      var root = el(container);
      if (!root) throw new Error("turnstile: container not found");
      opts = opts || {};
      var d = root.dataset || {};
      ["sitekey", "action", "callback"].forEach(function (k) {
        if (opts[k] === undefined && d[k] !== undefined) opts[k] = d[k];
      });
      if (opts["error-callback"] === undefined && d.errorCallback) opts["error-callback"] = d.errorCallback;
      if (opts["expired-callback"] === undefined && d.expiredCallback) opts["expired-callback"] = d.expiredCallback;
      var id = "sbx-" + (next++);
      var box = document.createElement("div");
      box.setAttribute("data-turnstile-sandbox", id);
      box.style.cssText = "border:1px solid #ccc;padding:8px;font:14px sans-serif;display:inline-block";
      root.appendChild(box);
      var input = null;
      if (root.closest && root.closest("form")) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "cf-turnstile-response";
        root.appendChild(input);
      }
      var w = { id: id, root: root, box: box, input: input, opts: opts, token: null, issued: 0 };
      widgets[id] = w;
      if (opts.execution !== "execute") mint(w);
      else box.textContent = "Menunggu / Waiting";
      return id;
    },
    getResponse: function (id) {
      var w = widgets[id || Object.keys(widgets)[0]];
      return w ? w.token || undefined : undefined;
    },
    reset: function (id) {
      var w = widgets[id || Object.keys(widgets)[0]];
      if (w) mint(w);
    },
    remove: function (id) {
      var w = widgets[id];
      if (w) {
        w.box.remove();
        if (w.input) w.input.remove();
        delete widgets[id];
      }
    },
    isExpired: function (id) {
      var w = widgets[id];
      return !!(w && w.token && Date.now() - w.issued > 300000);
    },
    execute: function (container) {
      var id = typeof container === "string" && widgets[container] ? container : null;
      if (!id) {
        for (var k in widgets) if (widgets[k].root === el(container)) id = k;
      }
      if (id) mint(widgets[id]);
    },
    ready: function (cb) {
      if (loaded) cb(); else readyQueue.push(cb);
    }
  };
  window.turnstile = api;

  function start() {
    loaded = true;
    if (src.searchParams.get("render") !== "explicit") {
      var found = document.querySelectorAll(".cf-turnstile");
      for (var i = 0; i < found.length; i++) api.render(found[i]);
    }
    readyQueue.splice(0).forEach(function (cb) { cb(); });
    var onload = src.searchParams.get("onload");
    if (onload) call(onload);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
