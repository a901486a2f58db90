// The service worker of "Lắng nghe ý kiến": keeps the style, the scripts and the public answering
// pages a person has opened, so that a page opened once still opens without a connection.
// Answers waiting to be sent are kept by static/js/offline.js, not here.
"use strict";
var CACHE = "lang-nghe-v1";
var STATIC = ["/static/css/app.css", "/static/js/survey.js", "/static/js/offline.js"];

self.addEventListener("install", function (event) {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(STATIC); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromNetworkKeeping(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    // Static files: the network when there is one (so a new version shows), else the copy kept.
    event.respondWith(fromNetworkKeeping(request).catch(function () { return caches.match(request); }));
  } else if (request.mode === "navigate" && url.pathname.indexOf("/s/") === 0) {
    // A citizen's public link (never a signed-in person's page): the last copy when offline.
    event.respondWith(fromNetworkKeeping(request).catch(function () {
      return caches.match(request, { ignoreSearch: true });
    }));
  }
});
