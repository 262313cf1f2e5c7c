// Browser test of the producer web app: a cooperative's staff member on a phone (390×844) with
// Debian's Chromium. Starts `vntrace serve` on a free loopback port with a fresh database,
// creates the organisation, the user and an API key with the CLI, then logs in, adds a product
// with its OCOP rating, adds a plot, records a harvest, a drying step and a shipment, uploads a
// diary CSV with one bad row, checks the events through GET /epcis/events, and checks that a
// wrong password is refused in Vietnamese. Screenshots go to $VNTRACE_E2E_ARTIFACTS
// (default build/e2e-artifacts).
//
// Environment: VNTRACE_BIN (the vntrace binary), CHROMIUM (default /usr/bin/chromium), CI.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const BIN = process.env.VNTRACE_BIN || path.join(root, 'build', 'asan', 'vntrace');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = process.env.VNTRACE_E2E_ARTIFACTS || path.join(root, 'build', 'e2e-artifacts');
const EMAIL = 'nhanvien@htx-nghiaan.vn';
const PASSWORD = 'Mat-khau-HTX-2026';

let server;
let baseUrl;
let dir;
let apiKey;
let receiverOrg;
let browser;

function cli(args, input) {
  const r = spawnSync(BIN, args, {input: input ?? '', encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`vntrace ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const {port} = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

before(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}`);  // run.sh decides skip vs fail first
  }
  fs.mkdirSync(ARTIFACTS, {recursive: true});
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vntrace-e2e-'));
  const db = path.join(dir, 'e2e.db');
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const common = ['--db', db, '--base-url', baseUrl];
  const org = cli(['org', 'create', ...common, '--name', 'HTX Nông nghiệp Nghĩa Ân', '--type',
                   'cooperative', '--tax-code', '0300588569', '--province', 'Quảng Ngãi',
                   '--commune', 'Nghĩa Hành']);
  receiverOrg = cli(['org', 'create', ...common, '--name', 'Cửa hàng đặc sản Sa Huỳnh', '--type',
                     'household_business', '--province', 'Quảng Ngãi', '--commune', 'Sa Huỳnh']);
  cli(['user', 'create', ...common, '--email', EMAIL, '--role', 'org_staff', '--org', org,
       '--name', 'Nguyễn Thị Lan'], PASSWORD + '\n');
  apiKey = cli(['apikey', 'create', '--db', db, '--label', 'e2e', '--org', org]);
  server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
                 {stdio: ['ignore', 'pipe', 'inherit']});
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 30000);
    server.stdout.on('data', (d) => {
      if (String(d).includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

async function shot(page, name) {
  await page.screenshot({path: path.join(ARTIFACTS, `${name}.png`), fullPage: true});
}

async function phone() {
  const context = await browser.newContext({
    viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'vi-VN', serviceWorkers: 'block',
  });
  return {context, page: await context.newPage()};
}

async function login(page) {
  await page.goto(`${baseUrl}/app/login`);
  await shot(page, '01-login');
  await page.fill('#email', EMAIL);
  await page.fill('#password', PASSWORD);
  await page.click('main button[type=submit]');
  await page.waitForURL(`${baseUrl}/app`);
}

test('a wrong password is refused in Vietnamese', async () => {
  const {context, page} = await phone();
  await page.goto(`${baseUrl}/app/login`);
  await page.fill('#email', EMAIL);
  await page.fill('#password', 'sai-mat-khau');
  await page.click('main button[type=submit]');
  await assert.doesNotReject(page.waitForSelector('#login-error'));
  assert.equal((await page.textContent('#login-error')).trim(), 'Email hoặc mật khẩu không đúng.');
  await shot(page, '00-login-wrong-password');
  await context.close();
});

test('a cooperative staff member keeps the diary on a phone', async () => {
  const {context, page} = await phone();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  await login(page);
  await shot(page, '02-home');
  assert.match(await page.textContent('h1'), /Hôm nay bạn cần làm gì/);

  // A product with its OCOP rating.
  await page.click('a[href="/app/products"]');
  await page.click('a[href="/app/products/new"]');
  await page.fill('#name', 'Khổ qua rừng sấy khô');
  await page.fill('#category', 'Nông sản sấy');
  await page.fill('#brand', 'Nghĩa Ân');
  await page.selectOption('#ocop_stars', '4');
  await page.fill('#ocop_decision_number', '1234/QĐ-UBND');
  await page.fill('#ocop_decision_date', '2025-06-15');
  await page.fill('#ocop_valid_until', '2028-06-15');
  await shot(page, '03-product-form');
  await page.click('main button[type=submit]');
  await page.waitForLoadState();
  assert.match(page.url(), /\/app\/products\?saved=1/, await page.textContent('main'));
  assert.match(await page.textContent('.cards'), /Khổ qua rừng sấy khô/);
  assert.match(await page.textContent('.cards'), /★★★★/);
  await shot(page, '04-products');

  // A plot and a drying workshop.
  for (const [kind, name, crop] of [['plot', 'Lô trồng số 3', 'Khổ qua rừng'],
                                    ['workshop', 'Xưởng sấy Nghĩa Ân', '']]) {
    await page.goto(`${baseUrl}/app/facilities/new`);
    await page.selectOption('#kind', kind);
    await page.fill('#name', name);
    if (crop) await page.fill('#crop', crop);
    await page.fill('#province', 'Quảng Ngãi');
    await page.fill('#commune', 'Nghĩa Hành');
    if (kind === 'plot') await shot(page, '05-facility-form');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/app\/facilities\?saved=1/);
  }
  await shot(page, '06-facilities');

  // Harvest.
  await page.goto(`${baseUrl}/app/diary/new`);
  await shot(page, '07-diary-choose');
  await page.click('a[data-template=harvest]');
  await page.selectOption('#d_facility', {label: 'Lô trồng số 3 (Lô trồng)'});
  await page.selectOption('#d_product', {label: 'Khổ qua rừng sấy khô'});
  await page.fill('#d_quantity', '120');
  await page.fill('#d_lot_code', 'KQ-2026-01');
  await shot(page, '08-diary-harvest');
  await page.click('main button[type=submit]');
  await page.waitForSelector('#saved-step');
  const harvestEvent = (await page.textContent('#event-id')).trim();
  assert.match(harvestEvent, /^ni:\/\/\/sha-256;/);
  await shot(page, '09-diary-saved');

  // Drying (process): the harvested lot in, a dried lot out.
  await page.goto(`${baseUrl}/app/diary/new/process`);
  await page.selectOption('#d_facility', {label: 'Xưởng sấy Nghĩa Ân (Xưởng chế biến)'});
  await page.fill('#d_input_lot', 'KQ-2026-01');
  await page.fill('#d_input_quantity', '120');
  await page.selectOption('#d_product', {label: 'Khổ qua rừng sấy khô'});
  await page.fill('#d_quantity', '15');
  await page.fill('#d_lot_code', 'KQS-2026-01');
  await page.fill('#d_method', 'Sấy lạnh');
  await shot(page, '10-diary-process');
  await page.click('main button[type=submit]');
  await page.waitForSelector('#saved-step');
  const processEvent = (await page.textContent('#event-id')).trim();

  // Shipment of the dried lot.
  await page.goto(`${baseUrl}/app/diary/new/ship`);
  await page.fill('#d_lot', 'KQS-2026-01');
  await page.fill('#d_quantity', '10');
  await page.fill('#d_receiver', receiverOrg);
  await shot(page, '11-diary-ship');
  await page.click('main button[type=submit]');
  await page.waitForSelector('#saved-step');
  const shipEvent = (await page.textContent('#event-id')).trim();

  await page.goto(`${baseUrl}/app/diary`);
  assert.equal(await page.locator('.cards .card').count(), 3);
  await shot(page, '12-diary-list');

  // Bulk CSV: one good row, one bad row → the error beside row 3, nothing stored.
  const header = await page.evaluate(async () => {
    const r = await fetch('/app/diary/csv/harvest');
    return (await r.text()).replace(/^\uFEFF/, '').trim();
  });
  // Every header cell ends with "(key)"; the upload matches columns by key.
  const columns = [...header.matchAll(/\(([a-z_]+)\)"?(?:,|$)/g)].map((m) => m[1]);
  assert.ok(columns.includes('quantity'), header);
  const row = (values) => columns.map((c) => values[c] ?? '').join(',');
  const csv = [columns.join(','),
    row({facility: 'Lô trồng số 3', occurred_at: '2026-03-10', product: 'Khổ qua rừng sấy khô',
         quantity: '80', unit: 'kg', lot_code: 'KQ-2026-02'}),
    row({facility: 'Lô trồng số 3', occurred_at: '2026-03-11', product: 'Khổ qua rừng sấy khô',
         quantity: 'nhiều', unit: 'kg', lot_code: 'KQ-2026-03'})].join('\r\n') + '\r\n';
  const csvPath = path.join(dir, 'thu-hoach.csv');
  fs.writeFileSync(csvPath, csv);
  await page.goto(`${baseUrl}/app/diary/csv`);
  await page.selectOption('#template', 'harvest');
  await page.setInputFiles('#file', csvPath);
  await page.click('form[enctype] button[type=submit]');
  await page.waitForSelector('#row-errors');
  const rows = await page.locator('#row-errors tbody tr').allTextContents();
  assert.equal(rows.length, 1, rows.join(' | '));
  const cells = await page.locator('#row-errors tbody tr').first().locator('td').allTextContents();
  assert.equal(cells[0].trim(), '3');
  assert.equal(cells[1].trim(), 'quantity');
  await shot(page, '13-csv-row-error');
  await page.goto(`${baseUrl}/app/diary`);
  assert.equal(await page.locator('.cards .card').count(), 3, 'nothing stored from a bad file');

  // The three steps are EPCIS events.
  const res = await fetch(`${baseUrl}/epcis/events?perPage=100`,
                          {headers: {Authorization: `Bearer ${apiKey}`, Accept: 'application/json'}});
  assert.equal(res.status, 200);
  const body = await res.json();
  const events = body.epcisBody.queryResults.resultsBody.eventList;
  const ids = events.map((e) => e.eventID);
  for (const id of [harvestEvent, processEvent, shipEvent]) assert.ok(ids.includes(id), id);
  const steps = events.map((e) => e.bizStep);
  for (const step of ['commissioning', 'creating_class_instance', 'shipping']) {
    assert.ok(steps.some((s) => s === step || s.endsWith(`/${step}`)), step);
  }

  // Lots page and the export for the barcode registry.
  await page.goto(`${baseUrl}/app/lots`);
  await shot(page, '14-lots');
  await page.goto(`${baseUrl}/app/certificates`);
  await shot(page, '15-certificates');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a diary step filled without a connection waits on the phone and is sent once', async () => {
  const {context, page} = await phone();
  await login(page);
  await page.goto(`${baseUrl}/app/facilities/new`);
  await page.selectOption('#kind', 'plot');
  await page.fill('#name', 'Lô trồng vùng cao');
  await page.fill('#province', 'Quảng Ngãi');
  await page.fill('#commune', 'Nghĩa Hành');
  await page.click('main button[type=submit]');
  await page.waitForURL(/\/app\/facilities\?saved=1/);
  const before = await page.evaluate(async () => {
    const r = await fetch('/app/diary');
    return (await r.text()).split('class="card').length;
  });

  await page.goto(`${baseUrl}/app/diary/new/prepare_land`);
  await page.selectOption('#d_facility', {label: 'Lô trồng vùng cao (Lô trồng)'});
  await context.setOffline(true);
  await page.click('main button[type=submit]');
  await page.waitForSelector('#queued-note');
  assert.match(await page.textContent('#queued-note'), /Đang chờ gửi/);
  await shot(page, '16-diary-queued-offline');
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('vntrace.diary.queue')));
  assert.equal(queued.length, 1);

  // The connection returns: the queue is sent, once, even if 'online' fires twice.
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  // (waitForFunction evaluates a string, which the app's CSP forbids: poll instead.)
  for (let i = 0; ; ++i) {
    const left = await page.evaluate(
        () => JSON.parse(localStorage.getItem('vntrace.diary.queue') || '[]').length);
    if (left === 0) break;
    assert.ok(i < 150, 'the queue was not sent within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const after = await page.evaluate(async () => {
    const r = await fetch('/app/diary');
    return (await r.text()).split('class="card').length;
  });
  assert.equal(after, before + 1, 'exactly one step was stored');
  // Sending the same entry again is answered with the first result, not stored twice.
  const replay = await page.evaluate(async (item) => {
    const token = document.querySelector('input[name=csrf]').value;
    const r = await fetch('/app/api/diary', {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
      body: JSON.stringify({entry_id: item.entry_id, template_id: item.template_id,
                            fields: item.fields}),
    });
    return r.status;
  }, queued[0]);
  assert.ok(replay >= 200 && replay < 300, String(replay));
  const again = await page.evaluate(async () => {
    const r = await fetch('/app/diary');
    return (await r.text()).split('class="card').length;
  });
  assert.equal(again, after);
  await page.goto(`${baseUrl}/app/diary`);
  await shot(page, '17-diary-after-reconnect');
  await context.close();
});
