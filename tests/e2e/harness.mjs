// Test harness: the real server binary on a free port over a SQLite file, and Debian's Chromium
// driven by playwright-core. Nothing is mocked.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const PHONE = { width: 390, height: 844 };
export const TABLET = { width: 1024, height: 768 };

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The Duken server, restartable on the same port and database (a device's origin must stay). */
export class Server {
  constructor({ port, dir }) {
    this.port = port;
    this.dir = dir;
    this.url = `http://127.0.0.1:${port}`;
    this.proc = null;
    this.log = [];
    this.logLevel = 'warn';
  }

  static async create() {
    const dir = mkdtempSync(join(tmpdir(), 'duken-e2e-'));
    return new Server({ port: await freePort(), dir });
  }

  async start() {
    const bin = process.env.DUKEN_SERVER_BIN || join(ROOT, 'target', 'debug', 'duken-server');
    this.proc = spawn(bin, [], {
      env: {
        ...process.env,
        DUKEN_ADDR: `127.0.0.1:${this.port}`,
        DATABASE_URL: `sqlite://${join(this.dir, 'duken.db')}`,
        DUKEN_DIST: process.env.DUKEN_DIST || join(ROOT, 'dist'),
        // The access log's key and checkpoints, beside this server's database.
        DUKEN_AUDIT_KEYS: join(this.dir, 'audit-keys'),
        DUKEN_AUDIT_CHECKPOINTS: join(this.dir, 'audit-checkpoints'),
        RUST_LOG: this.logLevel,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout.on('data', (d) => this.log.push(String(d)));
    this.proc.stderr.on('data', (d) => this.log.push(String(d)));
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`server exited: ${this.log.join('')}`);
      try {
        const res = await fetch(`${this.url}/api/v1/health`);
        if (res.ok) return;
      } catch { /* not up yet */ }
      await sleep(100);
    }
    throw new Error(`server did not start: ${this.log.join('')}`);
  }

  /** Creates an account with the server's own command line (as an administrator would). */
  async createUser(username, role, password, team) {
    const args = ['user', 'create', username, '--name', username, '--role', role, '--password-stdin'];
    if (team) args.push('--team', team);
    return this.cli(args, `${password}\n`);
  }

  /** Runs the server's command line against this server's database. */
  async cli(args, input = '') {
    const bin = process.env.DUKEN_SERVER_BIN || join(ROOT, 'target', 'debug', 'duken-server');
    const proc = spawn(bin, args, {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite://${join(this.dir, 'duken.db')}`,
        DUKEN_AUDIT_KEYS: join(this.dir, 'audit-keys'),
        DUKEN_AUDIT_CHECKPOINTS: join(this.dir, 'audit-checkpoints'),
        RUST_LOG: 'warn',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { out += d; });
    // A command that reads no input may exit before the write lands; its closed pipe
    // (EPIPE) is not a failure, its exit code says whether it worked.
    proc.stdin.on('error', (e) => { if (e.code !== 'EPIPE') out += `stdin: ${e.message}`; });
    if (input) proc.stdin.end(input); else proc.stdin.end();
    const code = await new Promise((r) => { proc.once('error', () => r(-1)); proc.once('close', r); });
    if (code !== 0) throw new Error(`${args.join(' ')} failed: ${out}`);
    return out;
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
    this.proc = null;
  }

  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A new browser profile (its own IndexedDB, service worker and caches): one device. */
export async function device(browser, viewport, options = {}) {
  const context = await browser.newContext({ viewport, locale: 'nb-NO', ...options });
  // A panic's stack reaches the screen's own function, not only the panic machinery.
  await context.addInitScript(() => { Error.stackTraceLimit = 60; });
  const page = await context.newPage();
  watch(page);
  context.on('page', watch);
  return { context, page };
}

// A panic in the app's wasm (console_error_panic_hook's "panicked at", or the `unreachable` it
// ends in) fails the test it happens in, even when the screen looked right afterwards.
const panics = [];
function watch(page) {
  page.on('pageerror', (e) => {
    console.error('page error:', e.message);
    if (/unreachable|panicked at/.test(e.message)) panics.push(e.message);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('panicked at')) {
      console.error('panic:', page.url(), m.text());
      panics.push(m.text());
    }
  });
}
if (process.env.NODE_TEST_CONTEXT) {
  afterEach(() => {
    if (panics.length) {
      const all = panics.splice(0);
      throw new Error(`the app panicked ${all.length}×, first: ${all[0]}`);
    }
  });
}

/** Waits until the app's service worker controls the page and holds the shell in its cache. */
export async function waitForOfflineShell(page) {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!reg.active || !navigator.serviceWorker.controller) return false;
    const keys = await caches.keys();
    return keys.some((k) => k.startsWith('duken-shell-'));
  }, null, { timeout: 20000 });
}

export async function syncState(page) {
  return page.locator('.sync').getAttribute('data-sync');
}

/** Waits until everything local is on the server and the last sync succeeded. */
export async function waitSynced(page, timeout = 45000) {
  await page.waitForSelector('.sync[data-sync="saved"][data-waiting="0"]', { timeout });
}

export const PASSWORD = 'kaffe på kjøkkenbordet';

/** Logs in through the app's login page. */
export async function logIn(page, username, device, password = PASSWORD) {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('input[name="device-name"]').fill(device);
  await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
  await page.getByRole('heading', { name: 'Familier' }).waitFor();
}

/** Unlocks the data on this device with the password (after a reload, or a lock). */
export async function unlock(page, password = PASSWORD) {
  await page.locator('input[name="unlock-password"]').fill(password);
  await page.getByRole('button', { name: 'Lås opp', exact: true }).click();
}

/** Creates a family with members (names) through the app's form; ends on the family page. */
export async function newFamily(page, name, members) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.getByRole('link', { name: 'Ny familie' }).click();
  await page.locator('input[name="family-name"]').fill(name);
  for (const m of members) {
    await page.getByRole('button', { name: 'Legg til person' }).click();
    await page.locator('.member-row').last().locator('input[name="member-name"]').fill(m);
    // No role is preselected (issue 15): these are the family's children.
    await page.locator('.member-row').last().locator('select[name="member-role"]').selectOption('child');
  }
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await page.getByTestId('family-name').waitFor();
}

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it is now; returns the violations that are critical, serious or
 * moderate (each as "rule: the nodes"), which must be none. Evaluated through the browser's
 * devtools channel, so the app's strict CSP (no inline scripts) stays as it is.
 */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => ['critical', 'serious', 'moderate'].includes(v.impact))
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  });
  return found;
}
