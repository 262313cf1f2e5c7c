// What every browser test shares: the vntrace binary and the CLI, a free loopback port, a
// throwaway data directory, the server started on it, Debian's Chromium with the project's
// flags, phone-sized contexts, sign-in and screenshots.
//
// Environment: VNTRACE_BIN (the vntrace binary), CHROMIUM (default /usr/bin/chromium),
// VNTRACE_E2E_ARTIFACTS (screenshots; default build/e2e-artifacts).
//
// Example:
//   const env = await startEnvironment('vntrace-e2e-x-', (db, baseUrl) => loadDemo(db, baseUrl));
//   const {context, page} = await phone(env.browser);
//   await signIn(page, env.baseUrl, env.setup[0], /\/app$/);
//   await stopEnvironment(env);
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
export const BIN = process.env.VNTRACE_BIN || path.join(root, 'build', 'asan', 'vntrace');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS =
    process.env.VNTRACE_E2E_ARTIFACTS || path.join(root, 'build', 'e2e-artifacts');

// Runs `vntrace args…` with `input` on stdin; its last line of output (what the CLI prints last:
// an id, a key). Throws with the CLI's stderr when it fails.
export function cli(args, input) {
  const r = spawnSync(BIN, args, {input: input ?? '', encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`vntrace ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop();
}

// Loads the demo data into `db`; the demo logins, one {role, email, password} per line printed.
export function loadDemo(db, baseUrl) {
  const r = spawnSync(BIN, ['demo', '--db', db, '--base-url', baseUrl], {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`vntrace demo failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((line) => {
    const [role, email, password] = line.split(' ');
    return {role, email, password};
  });
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

// Makes a temporary directory and a free port, runs `setup(db, baseUrl)` (the CLI calls that
// prepare the database; its result is kept as `setup`), starts `vntrace serve` and Chromium.
export async function startEnvironment(prefix, setup) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}`);  // run.sh decides skip vs fail first
  }
  fs.mkdirSync(ARTIFACTS, {recursive: true});
  const env = {dir: fs.mkdtempSync(path.join(os.tmpdir(), prefix))};
  const db = path.join(env.dir, 'e2e.db');
  const port = await freePort();
  env.baseUrl = `http://127.0.0.1:${port}`;
  env.setup = await setup(db, env.baseUrl);
  env.server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
                     {stdio: ['ignore', 'pipe', 'inherit']});
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 30000);
    env.server.stdout.on('data', (d) => {
      if (String(d).includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    env.server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  env.browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return env;
}

// Closes Chromium, stops the server with SIGTERM and removes the directory.
export async function stopEnvironment(env) {
  if (!env) return;
  if (env.browser) await env.browser.close();
  if (env.server && env.server.exitCode === null) {
    env.server.kill('SIGTERM');
    await new Promise((resolve) => env.server.once('exit', resolve));
  }
  if (env.dir) fs.rmSync(env.dir, {recursive: true, force: true});
}

export async function shot(page, name) {
  await page.screenshot({path: path.join(ARTIFACTS, `${name}.png`), fullPage: true});
}

// A phone-sized (390×844) Vietnamese browser context and a page in it.
export async function phone(browser) {
  const context = await browser.newContext({
    viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'vi-VN', serviceWorkers: 'block',
  });
  return {context, page: await context.newPage()};
}

// Signs in with the login form and waits for the page the role lands on (`landing`: a URL or a
// RegExp).
export async function signIn(page, baseUrl, {email, password}, landing) {
  await page.goto(`${baseUrl}/app/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('main button[type=submit]');
  await page.waitForURL(landing);
}

// Collects the console errors of `page` (failed resource loads aside: tests provoke 4xx).
export function consoleErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  return errors;
}
