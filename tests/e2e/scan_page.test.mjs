// Browser test of the consumer scan page and of the producer's stamp pages, on a phone
// (390×844) with Debian's Chromium, on the demo data (`vntrace demo`). The demo's food company
// (Công ty TNHH Thực phẩm Nghĩa Ân, GTINs under 893999901) issues a batch of stamps for a lot of
// its beef jerky in /app/stamps, activates it and downloads the PDF sheet and the CSV of codes.
// Then consumers scan those codes: Vietnamese by default (genuine on the first scan, scanned
// before on the next), English by the phone's language, a cloned code (the same code scanned from
// three distant provinces within a day: suspicious), the page with JavaScript disabled and its
// weight (under 30 KB), and finally the recalled lot (the warning cannot be missed).
//
// Provinces: the server reads the scanner's coarse area from the X-Vntrace-Area header of a
// trusted reverse proxy (loopback is trusted by default, http/resolver/resolver.hpp); the test
// sends that header as the proxy would.
//
// Environment: VNTRACE_BIN (the vntrace binary), CHROMIUM (default /usr/bin/chromium), CI.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {cli, consoleErrors, loadDemo, phone as newPhone, shot, signIn, startEnvironment,
        stopEnvironment} from './harness.mjs';

let env;
let baseUrl;
let db;
const logins = {};
let lotId;
let codes = [];

before(async () => {
  env = await startEnvironment('vntrace-e2e-scan-', (file, url) => {
    db = file;
    return loadDemo(file, url);
  });
  baseUrl = env.baseUrl;
  for (const login of env.setup) logins[login.email.split('@')[0]] = login;
  assert.ok(logins['nghiaan.admin'], JSON.stringify(env.setup));
});

after(() => stopEnvironment(env));

const phone = () => newPhone(env.browser);

// A consumer's phone: no session; `locale` sets Accept-Language; `javaScriptEnabled` as asked.
async function consumer({locale = 'vi-VN', javaScriptEnabled = true} = {}) {
  const context = await env.browser.newContext({
    viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale, javaScriptEnabled, serviceWorkers: 'block',
  });
  return {context, page: await context.newPage()};
}

// Opens the scan page of `code` as a phone camera would (the code is the URL); `area` is what
// the trusted proxy's GeoIP says. Returns the verdict's heading and text.
async function scan(page, code, area) {
  await page.setExtraHTTPHeaders(area ? {'X-Vntrace-Area': area} : {});
  const url = new URL(code);
  const res = await page.goto(`${baseUrl}${url.pathname}`);
  assert.equal(res.status(), 200, `${code}: ${res.status()}`);
  const verdict = page.locator('.verdict').first();
  await verdict.waitFor();
  return {heading: (await verdict.locator('h1').textContent()).trim(),
          text: (await verdict.textContent()).replace(/\s+/g, ' ').trim()};
}

test('the producer issues, activates and prints a batch of stamps', async () => {
  const {context, page} = await phone();
  const errors = consoleErrors(page);
  await signIn(page, baseUrl, logins['nghiaan.admin'], /\/app$/);
  await page.click('a[href="/app/stamps"]');
  await page.waitForURL(/\/app\/stamps$/);
  await shot(page, 'stamps-01-list-empty');

  await page.click('#stamps-new');
  const option = page.locator('#lot_id option', {hasText: 'Bò khô Nghĩa Ân'}).first();
  lotId = await option.getAttribute('value');
  assert.ok(lotId, 'a lot of the beef jerky');
  await page.selectOption('#lot_id', lotId);
  await page.fill('#count', '3');
  await shot(page, 'stamps-02-issue-form');
  await page.click('#issue-form button[type=submit]');
  await page.waitForURL(/\/app\/stamps\/sb_[0-9a-f]+\?issued=1$/);
  assert.match(await page.textContent('#batch-status'), /Chưa kích hoạt/);
  await shot(page, 'stamps-03-batch-issued');

  // Activation needs the confirmation box.
  await page.click('#activate-form button[type=submit]');
  await page.waitForSelector('#activate-form .field-error');
  await page.check('#confirm');
  await page.click('#activate-form button[type=submit]');
  await page.waitForURL(/\?activated=1$/);
  assert.match(await page.textContent('#batch-status'), /Đã kích hoạt/);
  await shot(page, 'stamps-04-batch-activated');

  // The print-ready PDF.
  await page.selectOption('#stock', '70x37');
  await page.selectOption('#symbology', 'qr');
  const [download] = await Promise.all([page.waitForEvent('download'),
                                        page.click('#print-form button[type=submit]')]);
  const pdf = fs.readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.match(download.suggestedFilename(), /^tem-sb_[0-9a-f]+-70x37-qr\.pdf$/);

  // The codes, as CSV (the same session).
  const csvHref = await page.getAttribute('#csv-link', 'href');
  const csv = await (await page.request.get(`${baseUrl}${csvHref}`)).text();
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines[0], 'sequence,code,short_code,lot,product');
  codes = lines.slice(1).map((line) => line.split(',')[1]);
  assert.equal(codes.length, 3);
  for (const code of codes) assert.match(code, /^https:\/\/id\.gs1\.org\/01\/\d{14}\/10\/[^/]+\/21\/[2-9A-HJ-NP-Z]{10}$/);

  await page.goto(`${baseUrl}/app/stamps`);
  assert.equal(await page.locator('#batches .card').count(), 1);
  await shot(page, 'stamps-05-list');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a consumer scans a genuine stamp in Vietnamese, then it shows as scanned before', async () => {
  assert.ok(codes.length, 'the stamps test ran first');
  const {context, page} = await consumer();
  const errors = consoleErrors(page);
  const first = await scan(page, codes[0], 'Quảng Ngãi');
  assert.equal(first.heading, 'Tem chính hãng');
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  assert.match(await page.textContent('body'), /Bò khô Nghĩa Ân/);
  await shot(page, 'scan-01-genuine-vi');
  const again = await scan(page, codes[0], 'Quảng Ngãi');
  assert.equal(again.heading, 'Mã đã được quét trước đây');
  assert.match(again.text, /tại Quảng Ngãi/);
  await shot(page, 'scan-02-scanned-before-vi');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the phone’s language gives the English page', async () => {
  const {context, page} = await consumer({locale: 'en-US'});
  const result = await scan(page, codes[1]);
  assert.equal(result.heading, 'Genuine stamp');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await shot(page, 'scan-03-genuine-en');
  await context.close();
});

test('a cloned code scanned in three distant provinces within a day is suspicious', async () => {
  const {context, page} = await consumer();
  assert.equal((await scan(page, codes[2], 'Hà Nội')).heading, 'Tem chính hãng');
  assert.equal((await scan(page, codes[2], 'Đà Nẵng')).heading, 'Mã đã được quét trước đây');
  const third = await scan(page, codes[2], 'TP. Hồ Chí Minh');
  assert.equal(third.heading, 'Cảnh báo: tem đáng ngờ');
  assert.match(third.text, /nhiều tỉnh cách xa nhau/);
  await shot(page, 'scan-04-cloned');
  await context.close();
});

test('the scan page works without JavaScript and weighs under 30 KB', async () => {
  const {context, page} = await consumer({javaScriptEnabled: false});
  let bytes = 0;
  const loaded = [];
  page.on('response', async (res) => {
    try {
      const body = await res.body();
      bytes += body.length;
      loaded.push(`${res.url()} ${body.length}`);
    } catch { /* redirects have no body */ }
  });
  const result = await scan(page, codes[1]);
  assert.equal(result.heading, 'Mã đã được quét trước đây');
  await page.waitForLoadState('load');
  assert.ok(await page.locator('.card.product h2').isVisible());
  assert.ok(bytes > 0 && bytes < 30 * 1024, `page weight ${bytes} bytes: ${loaded.join(', ')}`);
  await shot(page, 'scan-05-no-javascript');
  await context.close();
});

test('a recalled lot shows a warning that cannot be missed', async () => {
  cli(['stamps', 'recall', '--db', db, '--base-url', baseUrl, '--lot', lotId, '--reason',
       'Phát hiện vi sinh vật vượt ngưỡng']);
  const {context, page} = await consumer();
  const result = await scan(page, codes[0], 'Quảng Ngãi');
  assert.equal(result.heading, 'Sản phẩm đang bị thu hồi');
  assert.match(result.text, /vi sinh vật vượt ngưỡng/);
  const verdict = page.locator('.verdict').first();
  assert.equal(await verdict.getAttribute('role'), 'alert');
  const box = await verdict.boundingBox();
  assert.ok(box && box.y < 844 && box.height > 40, 'the warning is at the top of the screen');
  await shot(page, 'scan-06-recalled');
  await context.close();
});
