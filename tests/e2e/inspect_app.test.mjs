// Browser test of the inspector workspace: an inspector of Quảng Ngãi on a phone (390×844) with
// Debian's Chromium, on the demo data (`vntrace demo`). Quick-checks the code of a demo lot,
// records an inspection with a violation and a photo, recalls the lot, and opens the consumer
// scan page of the code, which shows the recall warning; the producer then sees the notice in
// its app. Screenshots go to $VNTRACE_E2E_ARTIFACTS (default build/e2e-artifacts).
//
// Environment: VNTRACE_BIN (the vntrace binary), CHROMIUM (default /usr/bin/chromium), CI.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {consoleErrors, loadDemo, phone as newPhone, shot, signIn, startEnvironment,
        stopEnvironment} from './harness.mjs';

let env;
let baseUrl;
let browser;
const logins = {};

// The demo's beef jerky (Bò khô Nghĩa Ân): GTIN from the demo's company prefix 893999901, item 001.
function gtin(body) {
  let sum = 0;
  [...body].reverse().forEach((d, i) => { sum += Number(d) * (i % 2 === 0 ? 3 : 1); });
  return '0' + body + String((10 - (sum % 10)) % 10);
}
const BEEF_GTIN = gtin('893999901001');

before(async () => {
  env = await startEnvironment('vntrace-e2e-inspect-', loadDemo);
  ({baseUrl, browser} = env);
  for (const login of env.setup) logins[login.email.split('@')[0]] = login;
  assert.ok(logins.thanhtra, JSON.stringify(env.setup));
});

after(() => stopEnvironment(env));

const phone = () => newPhone(browser);

const login = (page, who) => signIn(page, baseUrl, logins[who], /\/app(\/.*)?$/);

test('an inspector checks a code, records a violation and recalls the lot', async () => {
  const {context, page} = await phone();
  const errors = consoleErrors(page);
  await login(page, 'thanhtra');
  assert.equal(new URL(page.url()).pathname, '/app/inspect');
  await shot(page, 'inspect-01-home');

  // The lot code of the demo's beef jerky, from the producer's page in the inspector's area.
  await page.click('a[href="/app/inspect/orgs"]');
  await page.click('text=Công ty TNHH Thực phẩm Nghĩa Ân');
  const lotCode = (await page.locator('.card:has-text("Bò khô Nghĩa Ân") code').first()
    .textContent()).trim();
  assert.match(lotCode, /^BK\d{6}$/);
  const code = `https://id.gs1.org/01/${BEEF_GTIN}/10/${lotCode}`;

  // Quick check: paste the code.
  await page.goto(`${baseUrl}/app/inspect`);
  await page.fill('#code', code);
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#verdict');
  assert.equal(await page.getAttribute('#verdict', 'data-status'), 'registered');
  assert.equal((await page.textContent('#product-name')).trim(), 'Bò khô Nghĩa Ân');
  assert.equal((await page.textContent('#lot-code')).trim(), lotCode);
  assert.match(await page.textContent('#certificates + ul'), /215\/2024\/ATTP-CNĐK/);
  await shot(page, 'inspect-02-check');
  const checkUrl = page.url();

  // Record an inspection with a violation and a photo taken on the spot.
  const jpeg = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const g = canvas.getContext('2d');
    g.fillStyle = '#b3261e';
    g.fillRect(0, 0, 64, 48);
    return canvas.toDataURL('image/jpeg', 0.8).split(',')[1];
  });
  const photoPath = path.join(env.dir, 'hien-truong.jpg');
  fs.writeFileSync(photoPath, Buffer.from(jpeg, 'base64'));
  await page.click('#record-inspection');
  await page.waitForSelector('#inspection-form');
  await page.fill('#place', 'Cửa hàng đặc sản Quảng Ngãi, quầy trưng bày');
  await page.selectOption('#result', 'failed');
  await page.fill('#notes', 'Nhãn ghi sai ngày sản xuất so với nhật ký.');
  await page.selectOption('#violation_kind_1', 'misused_information');
  await page.fill('#violation_description_1', 'Ngày sản xuất trên nhãn khác nhật ký');
  await page.setInputFiles('#photo', photoPath);
  await shot(page, 'inspect-03-form');
  await page.click('#inspection-form button[type=submit]');
  await page.waitForSelector('#saved-inspection');
  assert.match(await page.textContent('#violations'), /Sử dụng sai thông tin truy xuất nguồn gốc/);
  assert.equal((await page.textContent('#inspection-result')).trim(), 'Không đạt');
  const photo = await page.getAttribute('.photos img', 'src');
  const photoRes = await page.request.get(`${baseUrl}${photo}`);
  assert.equal(photoRes.status(), 200);
  assert.equal(photoRes.headers()['content-type'], 'image/jpeg');
  await shot(page, 'inspect-04-saved');

  // Recall the lot from the check page.
  await page.goto(checkUrl);
  await page.click('#recall-lot');
  await page.waitForSelector('#recall-form');
  await page.fill('#reason', 'Nhãn ghi sai ngày sản xuất; thu hồi để kiểm tra lại');
  await page.check('input[name=scope][value=downstream]');
  await page.check('#confirm');
  await shot(page, 'inspect-05-recall-form');
  await page.click('#recall-form button[type=submit]');
  await page.waitForSelector('#saved-recall');
  assert.match(await page.textContent('#recalled-lots'), new RegExp(lotCode));
  const csv = await page.request.get(`${baseUrl}${await page.getAttribute('#report-csv', 'href')}`);
  assert.equal(csv.status(), 200);
  await shot(page, 'inspect-06-recall');

  // The consumer scan page of the code warns at once.
  const consumer = await browser.newContext({viewport: {width: 390, height: 844}, locale: 'vi-VN'});
  const scan = await consumer.newPage();
  await scan.goto(`${baseUrl}/01/${BEEF_GTIN}/10/${lotCode}`);
  assert.match(await scan.textContent('body'), /Sản phẩm đang bị thu hồi/);
  await shot(scan, 'inspect-07-scan-recalled');
  await consumer.close();

  // The check page now says recalled.
  await page.goto(checkUrl);
  assert.equal(await page.getAttribute('#verdict', 'data-status'), 'recalled');
  assert.deepEqual(errors, []);
  await context.close();

  // The producer sees the notice in its app.
  const producer = await phone();
  await login(producer.page, 'nghiaan.admin');
  await producer.page.goto(`${baseUrl}/app/lots`);
  assert.match(await producer.page.textContent('[data-recall]'), /Thông báo thu hồi/);
  await shot(producer.page, 'inspect-08-producer-notice');
  await producer.context.close();
});
