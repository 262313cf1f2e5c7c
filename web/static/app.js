// vntrace producer app: the offline queue of diary steps and the service worker.
// A diary step filled without a connection is kept in localStorage with its entry id (a UUID
// the server uses for idempotency), shown as "waiting to send", and sent to POST /app/api/diary
// when the connection returns. Without JavaScript the form is a plain POST.
(function () {
  'use strict';
  var KEY = 'vntrace.diary.queue';
  var lang = document.documentElement.lang || 'vi';
  var TEXT = {
    vi: {pending: 'Đang chờ gửi', sent: 'Đã gửi', failed: 'Không gửi được', saved_offline: 'Chưa có mạng: bước nhật ký đã được lưu trên điện thoại và sẽ tự gửi khi có mạng.'},
    en: {pending: 'Waiting to send', sent: 'Sent', failed: 'Could not send', saved_offline: 'No connection: the diary step is kept on this phone and will be sent when the connection returns.'}
  }[lang === 'en' ? 'en' : 'vi'];

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (e) { return []; }
  }
  function store(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }

  function csrfToken() {
    var input = document.querySelector('input[name=csrf]');
    return input ? input.value : '';
  }

  function render() {
    var section = document.getElementById('pending');
    var list = document.getElementById('pending-list');
    if (!section || !list) { return; }
    var queue = load();
    section.hidden = queue.length === 0;
    list.textContent = '';
    queue.forEach(function (item) {
      var li = document.createElement('li');
      var mark = document.createElement('span');
      mark.className = 'mark';
      mark.textContent = item.error ? TEXT.failed : TEXT.pending;
      li.appendChild(mark);
      li.appendChild(document.createTextNode(' ' + item.title + ' · ' + item.saved_at));
      if (item.error) {
        var small = document.createElement('small');
        small.textContent = item.error;
        li.appendChild(small);
      }
      list.appendChild(li);
    });
  }

  var sending = false;
  function flush() {
    var token = csrfToken();
    if (sending || !navigator.onLine || !token) { return; }
    var queue = load();
    var item = queue.find(function (q) { return !q.error; });
    if (!item) { render(); return; }
    sending = true;
    fetch('/app/api/diary', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
      body: JSON.stringify({entry_id: item.entry_id, template_id: item.template_id, fields: item.fields})
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        var rest = load();
        if (res.ok) {
          rest = rest.filter(function (q) { return q.entry_id !== item.entry_id; });
        } else if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403 && res.status !== 408 && res.status !== 429) {
          rest.forEach(function (q) { if (q.entry_id === item.entry_id) { q.error = body.message_local || body.detail || String(res.status); } });
        } else {
          throw new Error('retry later');
        }
        store(rest);
      });
    }).then(function () {
      sending = false;
      render();
      flush();
    }, function () {
      sending = false;
      render();
    });
  }

  function enqueue(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== 'csrf' && name !== 'entry_id' && typeof value === 'string' && value !== '') {
        fields.push([name, value]);
      }
    });
    var queue = load();
    var entryId = form.querySelector('input[name=entry_id]').value;
    if (!queue.some(function (q) { return q.entry_id === entryId; })) {
      var heading = document.querySelector('h1');
      queue.push({
        entry_id: entryId,
        template_id: form.getAttribute('data-template'),
        title: heading ? heading.textContent : form.getAttribute('data-template'),
        fields: fields,
        saved_at: new Date().toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN')
      });
      store(queue);
    }
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute('data-diary-form')) { return; }
    if (navigator.onLine) { return; }  // a plain POST; the server answers
    event.preventDefault();
    enqueue(form);
    var note = document.createElement('p');
    note.className = 'banner';
    note.id = 'queued-note';
    note.textContent = TEXT.saved_offline + ' (' + TEXT.pending + ')';
    form.parentNode.insertBefore(note, form);
    form.reset();
    var entry = form.querySelector('input[name=entry_id]');
    if (entry && window.crypto && crypto.randomUUID) { entry.value = crypto.randomUUID(); }
    window.scrollTo(0, 0);
  });

  document.addEventListener('submit', function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute('data-logout') && window.caches) {
      caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
    }
  });

  function banner() {
    var b = document.getElementById('offline-banner');
    if (b) { b.hidden = navigator.onLine; }
  }

  window.addEventListener('online', function () { banner(); flush(); });
  window.addEventListener('offline', banner);
  document.addEventListener('DOMContentLoaded', function () { banner(); render(); flush(); });

  // Print buttons (the self-assessment certificate).
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/app/sw.js', {scope: '/app/'}).catch(function () {});
  }
})();
