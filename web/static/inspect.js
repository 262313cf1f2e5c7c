// vntrace inspector workspace: scanning a code with the phone camera (the browser's
// BarcodeDetector, where it exists) into the quick-check field, and filling the inspection's
// coordinates from the phone's position. Progressive enhancement: without these APIs (or without
// JavaScript) the buttons stay hidden and the code is typed or pasted.
(function () {
  'use strict';
  var lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  var TEXT = {
    vi: {looking: 'Đưa mã QR, DataMatrix hoặc mã vạch vào khung hình…', denied: 'Không mở được camera: ', found: 'Đã đọc mã.', stop: 'Dừng quét', locating: 'Đang lấy vị trí…', no_position: 'Không lấy được vị trí: '},
    en: {looking: 'Point the camera at the QR code, DataMatrix or barcode…', denied: 'Could not open the camera: ', found: 'Code read.', stop: 'Stop scanning', locating: 'Finding the position…', no_position: 'Could not get the position: '}
  }[lang];

  function setupScanner() {
    var button = document.getElementById('scan-button');
    var video = document.getElementById('scan-video');
    var field = document.getElementById('code');
    var status = document.getElementById('scan-status');
    var form = document.getElementById('check-form');
    if (!button || !video || !field || !form) { return; }
    if (!('BarcodeDetector' in window) || !navigator.mediaDevices ||
        !navigator.mediaDevices.getUserMedia) { return; }
    var label = button.textContent;
    var stream = null;
    var timer = null;

    function stop() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
      video.hidden = true;
      button.textContent = label;
    }

    function start(formats) {
      var detector = new window.BarcodeDetector({formats: formats});
      navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}, audio: false})
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.hidden = false;
          button.textContent = TEXT.stop;
          status.textContent = TEXT.looking;
          return video.play();
        })
        .then(function () {
          var tick = function () {
            if (!stream) { return; }
            detector.detect(video).then(function (codes) {
              if (codes.length > 0 && codes[0].rawValue) {
                field.value = codes[0].rawValue;
                status.textContent = TEXT.found;
                stop();
                form.submit();
                return;
              }
              timer = setTimeout(tick, 250);
            }, function () { timer = setTimeout(tick, 500); });
          };
          tick();
        })
        .catch(function (e) { stop(); status.textContent = TEXT.denied + (e && e.message ? e.message : e); });
    }

    window.BarcodeDetector.getSupportedFormats().then(function (supported) {
      var wanted = ['qr_code', 'data_matrix', 'code_128', 'ean_13', 'ean_8', 'upc_a'];
      var formats = wanted.filter(function (f) { return supported.indexOf(f) >= 0; });
      if (formats.length === 0) { return; }
      button.hidden = false;
      button.addEventListener('click', function () {
        if (stream) { stop(); } else { start(formats); }
      });
    }, function () {});
  }

  function setupLocate() {
    var button = document.getElementById('locate-button');
    var lat = document.getElementById('latitude');
    var lon = document.getElementById('longitude');
    if (!button || !lat || !lon || !navigator.geolocation) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      var label = button.textContent;
      button.textContent = TEXT.locating;
      navigator.geolocation.getCurrentPosition(function (p) {
        lat.value = p.coords.latitude.toFixed(6);
        lon.value = p.coords.longitude.toFixed(6);
        button.textContent = label;
      }, function (e) {
        button.textContent = TEXT.no_position + e.message;
      }, {enableHighAccuracy: true, timeout: 15000});
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setupScanner();
    setupLocate();
  });
})();
