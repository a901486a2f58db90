// Answering without a connection. The service worker (/sw.js) keeps the pages opened; this script
// keeps an answer sent while offline on the device (localStorage), shows the respondent what is
// waiting, and sends it when the connection returns, with the form's own idempotency key, so the
// server stores it once however many times it arrives. Without JavaScript nothing changes.
(function () {
  "use strict";
  var KEY = "lang-nghe-outbox";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* answering works without it */ });
  }
  var panel = document.getElementById("offline-outbox");
  if (!panel) return;
  var form = document.querySelector(".survey-form");
  var sending = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || []; } catch (error) { return []; }
  }
  function store(items) { window.localStorage.setItem(KEY, JSON.stringify(items)); }

  function show(message, items) {
    panel.querySelector(".outbox-message").textContent = message;
    var list = panel.querySelector(".outbox-items");
    list.textContent = "";
    (items || []).forEach(function (item) {
      var entry = document.createElement("li");
      entry.textContent = item.title + " — " + new Date(item.saved).toLocaleString("vi-VN");
      list.appendChild(entry);
    });
    panel.hidden = !message;
  }
  function showWaiting() {
    var items = load();
    if (items.length) show(panel.dataset.waiting, items);
  }

  function queue(submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, String(value)]); });
    fields.push(["action", submitter ? submitter.value : "submit"]);
    var key = form.querySelector('[name="idempotency_key"]').value;
    var items = load().filter(function (item) { return item.key !== key; });
    items.push({ url: window.location.pathname, key: key, fields: fields, title: document.title, saved: Date.now() });
    store(items);
    show(panel.dataset.saved, items);
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      if (!event.submitter || event.submitter.value !== "submit") {
        show(panel.dataset.needsNetwork);
        return;
      }
      queue(event.submitter);
    });
  }

  // A fresh CSRF token for the page (the one kept may belong to a session that has ended).
  function freshToken(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) { return response.text(); })
      .then(function (html) {
        var input = new DOMParser().parseFromString(html, "text/html").querySelector('[name="csrf_token"]');
        return input ? input.value : null;
      });
  }

  function send(item) {
    return freshToken(item.url).then(function (token) {
      var body = new URLSearchParams();
      item.fields.forEach(function (pair) {
        body.append(pair[0], pair[0] === "csrf_token" && token ? token : pair[1]);
      });
      return fetch(item.url, { method: "POST", body: body, credentials: "same-origin" });
    }).then(function (response) {
      // Stored (now or before): the server sends the respondent on to the thank-you page.
      return response.redirected && response.url.indexOf("done=1") !== -1;
    });
  }

  function flush() {
    var items = load();
    if (sending || !items.length || !navigator.onLine) return;
    sending = true;
    var left = [];
    items.reduce(function (previous, item) {
      return previous.then(function () { return send(item); })
        .then(function (stored) { if (!stored) left.push(item); }, function () { left.push(item); });
    }, Promise.resolve()).then(function () {
      var current = load().filter(function (item) {
        return !items.some(function (sent) { return sent.key === item.key; });
      });
      store(left.concat(current));
      sending = false;
      if (left.length) show(panel.dataset.check, left); else show(panel.dataset.sent);
    });
  }

  window.addEventListener("online", flush);
  showWaiting();
  flush();
})();
