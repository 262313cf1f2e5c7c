// Browser test of the authority workspace: the demo data (`vntrace demo`, Quảng Ngãi) served by
// `vntrace serve` on a free loopback port; the provincial officer signs in on a laptop-sized
// window, sees the dashboard (SVG charts, the figures of the demo: 5 organisations, 1 with a
// GS1 prefix, 5 OCOP products), records an outreach session (with a Vietnamese field error
// first), edits a narrative section of the periodic report and downloads the DOCX, whose
// word/document.xml must carry the edit, and the PDF. Screenshots go to
// $VNTRACE_E2E_ARTIFACTS (default build/e2e-artifacts).
//
// Environment: VNTRACE_BIN (the vntrace binary), CHROMIUM (default /usr/bin/chromium), CI.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {loadDemo, shot, signIn, startEnvironment, stopEnvironment} from './harness.mjs';

let env;
let baseUrl;
let officer;

// The entry `name` of the zip file at `file` (Python's zipfile: Debian's python3 is a build
// dependency).
function zipEntry(file, name) {
  const r = spawnSync('python3', ['-c',
    'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())',
    file, name], {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`not a zip with ${name}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  env = await startEnvironment('vntrace-e2e-auth-', loadDemo);
  baseUrl = env.baseUrl;
  officer = env.setup.find((login) => login.role === 'authority_officer');
});

after(() => stopEnvironment(env));

async function signInOfficer() {
  const context = await env.browser.newContext({
    viewport: {width: 1280, height: 900}, locale: 'vi-VN', acceptDownloads: true,
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  await signIn(page, baseUrl, officer, `${baseUrl}/app/authority`);
  return {context, page};
}

test('the officer sees the dashboard of the province with charts and figures', async () => {
  const {context, page} = await signInOfficer();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.reload();
  assert.match(await page.textContent('h1'), /Truy xuất nguồn gốc trên địa bàn/);
  // Hand-counted from the demo (src/cli/demo_command.cpp): 5 organisations in Quảng Ngãi, one
  // with a GS1 prefix (Nghĩa Ân), 5 OCOP products.
  assert.equal((await page.textContent('[data-figure=organisations] strong')).trim(), '5');
  assert.equal((await page.textContent('[data-figure=gs1] strong')).trim(), '1');
  assert.match(await page.textContent('[data-figure=portal]'), /chưa kết nối/);
  assert.equal((await page.textContent('#ocop-meeting')).trim().length > 0, true);
  assert.equal(await page.locator('#ocop-table tbody tr').count(), 5);
  const charts = page.locator('svg.chart[role=img]');
  assert.ok(await charts.count() >= 5, 'five charts');
  assert.match(await page.textContent('#chart-kinds-title'), /Cơ sở theo loại hình/);
  // Three communes with organisations, one bar each.
  assert.equal(await page.locator('svg[aria-labelledby^="chart-communes"] g.bar').count(), 3);
  // The demo issues no stamps: no scans, and the weekly chart says so.
  assert.equal((await page.textContent('#scans-total')).trim(), '0');
  assert.match(await page.textContent('svg[aria-labelledby^="chart-weeks"]'), /Chưa có dữ liệu/);
  // One certificate of the demo expired 65 days ago.
  assert.match(await page.textContent('#expired-certificates'), /VG-QNg-0098/);
  // Filter one commune.
  await page.selectOption('#commune', 'Xã Ba Tơ');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/commune=/);
  assert.equal((await page.textContent('[data-figure=organisations] strong')).trim(), '2');
  await shot(page, 'authority-01-dashboard');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the officer records an outreach session', async () => {
  const {context, page} = await signInOfficer();
  await page.goto(`${baseUrl}/app/authority/outreach/new`);
  await page.fill('#topic', 'Tập huấn ghi nhật ký sản xuất điện tử');
  await page.fill('#attendees', 'bốn mươi');
  await page.click('main button[type=submit]');
  assert.equal((await page.textContent('#err-attendees')).trim(), 'Giá trị không đúng định dạng.');
  await page.fill('#attendees', '42');
  await page.fill('#organisations', '12');
  await page.fill('#commune', 'Xã Ba Tơ');
  await page.click('main button[type=submit]');
  await page.waitForURL(/\/app\/authority\/outreach\?saved=1/);
  assert.match(await page.textContent('#outreach-table'), /Tập huấn ghi nhật ký sản xuất điện tử/);
  assert.match(await page.textContent('#outreach-summary'), /42/);
  await context.close();
});

test('the officer edits the report and downloads it as DOCX and PDF', async () => {
  const {context, page} = await signInOfficer();
  await page.goto(`${baseUrl}/app/authority/report`);
  assert.match(await page.inputValue('#r_direction'), /Quyết định số 100\/QĐ-TTg/);
  const edit = 'Đề nghị hỗ trợ kinh phí in tem cho 5 hợp tác xã <thử nghiệm> & kiểm tra.';
  await page.fill('#r_proposals', edit);
  await page.fill('#r_signer_name', 'Nguyễn Văn Bình');
  await shot(page, 'authority-02-report-editor');
  const [docx] = await Promise.all([page.waitForEvent('download'), page.click('#make-docx')]);
  assert.match(docx.suggestedFilename(), /^bao-cao-truy-xuat-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.docx$/);
  const file = path.join(env.dir, 'report.docx');
  await docx.saveAs(file);
  assert.equal(fs.readFileSync(file).subarray(0, 2).toString(), 'PK');
  const xml = zipEntry(file, 'word/document.xml');
  assert.ok(xml.includes('Đề nghị hỗ trợ kinh phí in tem cho 5 hợp tác xã &lt;thử nghiệm&gt; &amp; kiểm tra.'),
            'the edit is in word/document.xml');
  assert.ok(xml.includes('Nguyễn Văn Bình'));
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('#make-pdf')]);
  const pdfFile = path.join(env.dir, 'report.pdf');
  await pdf.saveAs(pdfFile);
  assert.equal(fs.readFileSync(pdfFile).subarray(0, 5).toString(), '%PDF-');
  await context.close();
});
