// vntrace service worker (scope /app/): keeps the app shell and the pages last seen so that a
// diary form opens without a connection. Pages go to the network first; the cache is the
// fallback. POSTs are never cached (the page script queues diary steps itself).
'use strict';
var CACHE = 'vntrace-app-v1';
var SHELL = ['/app/static/app.css', '/app/static/app.js', '/app/diary/new'];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return cache.add(new Request(url, {credentials: 'same-origin'})).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.indexOf('/app/') !== 0) { return; }
  if (url.pathname.indexOf('/app/api/') === 0 || url.pathname.indexOf('.csv') >= 0) { return; }
  event.respondWith(fetch(req).then(function (res) {
    if (res.ok && res.type === 'basic') {
      var copy = res.clone();
      caches.open(CACHE).then(function (cache) { cache.put(req, copy); });
    }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (hit) {
      return hit || new Response('Offline', {status: 503, headers: {'Content-Type': 'text/plain; charset=utf-8'}});
    });
  }));
});
