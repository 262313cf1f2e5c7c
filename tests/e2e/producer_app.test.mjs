// Browser test of the producer web app: a cooperative's staff member on a phone (390×844) with
// Debian's Chromium. Starts `vntrace serve` on a free loopback port with a fresh database,
// creates the organisation, the user and an API key with the CLI, then logs in, adds a product
// with its OCOP rating, adds a plot, records a harvest, a drying step and a shipment, uploads a
// diary CSV with one bad row (and the same as an XLSX workbook from LibreOffice), checks the events through GET /epcis/events, and checks that a
// wrong password is refused in Vietnamese. Screenshots go to $VNTRACE_E2E_ARTIFACTS
// (default build/e2e-artifacts).
//
// Environment: VNTRACE_BIN (the vntrace binary), CHROMIUM (default /usr/bin/chromium), CI.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {cli, consoleErrors, phone as newPhone, shot, signIn, startEnvironment,
        stopEnvironment} from './harness.mjs';

const EMAIL = 'nhanvien@htx-nghiaan.vn';
const PASSWORD = 'Mat-khau-HTX-2026';

let env;
let baseUrl;
let apiKey;
let receiverOrg;

before(async () => {
  env = await startEnvironment('vntrace-e2e-', (db, url) => {
    const common = ['--db', db, '--base-url', url];
    const org = cli(['org', 'create', ...common, '--name', 'HTX Nông nghiệp Nghĩa Ân', '--type',
                     'cooperative', '--tax-code', '0300588569', '--province', 'Quảng Ngãi',
                     '--commune', 'Nghĩa Hành']);
    receiverOrg = cli(['org', 'create', ...common, '--name', 'Cửa hàng đặc sản Sa Huỳnh',
                       '--type', 'household_business', '--province', 'Quảng Ngãi', '--commune',
                       'Sa Huỳnh']);
    cli(['user', 'create', ...common, '--email', EMAIL, '--role', 'org_staff', '--org', org,
         '--name', 'Nguyễn Thị Lan'], PASSWORD + '\n');
    apiKey = cli(['apikey', 'create', '--db', db, '--label', 'e2e', '--org', org]);
  });
  baseUrl = env.baseUrl;
});

after(() => stopEnvironment(env));

const phone = () => newPhone(env.browser);

async function login(page) {
  await page.goto(`${baseUrl}/app/login`);
  await shot(page, '01-login');
  await signIn(page, baseUrl, {email: EMAIL, password: PASSWORD}, `${baseUrl}/app`);
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
  const errors = consoleErrors(page);
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
  // Its image: a real PNG (a piece of this page), uploaded with the form.
  const imagePath = path.join(env.dir, 'kho-qua.png');
  fs.writeFileSync(imagePath, await page.screenshot({clip: {x: 0, y: 0, width: 160, height: 120}, scale: 'css'}));
  await page.setInputFiles('#image', imagePath);
  await shot(page, '03-product-form');
  await page.click('main button[type=submit]');
  await page.waitForLoadState();
  assert.match(page.url(), /\/app\/products\?saved=1/, await page.textContent('main'));
  assert.match(await page.textContent('.cards'), /Khổ qua rừng sấy khô/);
  assert.match(await page.textContent('.cards'), /★★★★/);
  const thumb = page.locator('.cards img.thumb').first();
  assert.match(await thumb.getAttribute('src'), /^\/media\/[0-9a-f]{64}$/);
  assert.equal(await thumb.getAttribute('width'), '64');
  assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth === 160),
            'the thumbnail loads the uploaded image');
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
  const csvPath = path.join(env.dir, 'thu-hoach.csv');
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

  // The same file as an Excel workbook written by LibreOffice Calc: the same row error.
  execFileSync('soffice', ['--headless', '--norestore', '--infilter=CSV:44,34,76,1,,1033,false,true',
                           '--convert-to', 'xlsx', '--outdir', env.dir, csvPath],
               {env: {...process.env, HOME: env.dir}, stdio: 'ignore', timeout: 120000});
  await page.goto(`${baseUrl}/app/diary/csv`);
  await page.selectOption('#template', 'harvest');
  await page.setInputFiles('#file', path.join(env.dir, 'thu-hoach.xlsx'));
  await page.click('form[enctype] button[type=submit]');
  await page.waitForSelector('#row-errors');
  const xlsxCells =
      await page.locator('#row-errors tbody tr').first().locator('td').allTextContents();
  assert.equal(await page.locator('#row-errors tbody tr').count(), 1);
  assert.equal(xlsxCells[0].trim(), '3');
  assert.equal(xlsxCells[1].trim(), 'quantity');
  await shot(page, '13b-xlsx-row-error');
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
