// Benchmarks (not tests): prints `name: value unit` lines.
// - app shell bytes (raw and brotli)
// - push throughput of the real server (records/s, batches of 500 over HTTP)
// - time to pull 10,000 records into a fresh browser profile (Debian's Chromium)
// - cold start of the app with those 10,000 records on the device
// - server memory after the run
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { PASSWORD, ROOT, Server, TABLET, device, launchBrowser, logIn, unlock } from '../e2e/harness.mjs';

const RECORDS = Number(process.env.BENCH_RECORDS || 10000);
const print = (name, value, unit) => console.log(`${name}: ${value} ${unit}`);

// --- app shell -----------------------------------------------------------------------------
const dist = join(ROOT, 'dist');
let raw = 0;
let br = 0;
for (const f of readdirSync(dist)) {
  if (!/\.(wasm|js|css|html)$/.test(f) || f === 'sw.js') continue;
  const bytes = readFileSync(join(dist, f));
  raw += statSync(join(dist, f)).size;
  br += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
print('app_shell_raw', raw, 'bytes');
print('app_shell_brotli', br, 'bytes');

// --- UUID v7 (time-ordered, as the app makes them) -------------------------------------------
function uuidv7() {
  const r = randomUUID().replace(/-/g, '');
  const ts = Date.now().toString(16).padStart(12, '0');
  const hex = ts + '7' + r.slice(13, 16) + ((parseInt(r[16], 16) & 0x3) | 0x8).toString(16) + r.slice(17, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

// 100 families, each with 99 meetings: RECORDS records, one change each.
function workload() {
  const changes = [];
  const families = Math.max(1, Math.round(RECORDS / 100));
  for (let f = 0; f < families; f++) {
    const fam = uuidv7();
    changes.push({ id: uuidv7(), record: fam, kind: 'family', family: fam, clock: 1,
      writes: [{ field: 'name', value: `Familie ${f}` }, { field: 'start_date', value: '2026-09-01' }] });
    for (let m = 0; m < RECORDS / families - 1; m++) {
      changes.push({ id: uuidv7(), record: uuidv7(), kind: 'meeting', family: fam, clock: 1,
        writes: [
          { field: 'date', value: '2026-10-15' }, { field: 'place', value: 'home' },
          { field: 'focus', value: 'guidance' }, { field: 'themes', value: ['economy', 'routines'] },
          { field: 'duration_minutes', value: 60 }, { field: 'note', value: `Møte ${m}: laget ukeplan og gikk gjennom regninger` },
        ] });
    }
  }
  return changes;
}

const server = await Server.create();
process.env.DUKEN_SERVER_BIN ||= join(ROOT, 'target', 'release', 'duken-server');
await server.start();
try {
  await server.createUser('bench', 'familiepartner', PASSWORD);
  const login = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench', password: PASSWORD, device_name: 'bench' }),
  });
  const token = /duken_session=([0-9a-f]+)/.exec(login.headers.get('set-cookie') || '')?.[1];
  if (!token) throw new Error(`login failed: ${login.status}`);
  const changes = workload();
  const t0 = performance.now();
  for (let i = 0; i < changes.length; i += 500) {
    const res = await fetch(`${server.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ protocol: 1, changes: changes.slice(i, i + 500) }),
    });
    if (!res.ok) throw new Error(`push failed: ${res.status} ${await res.text()}`);
  }
  const pushSecs = (performance.now() - t0) / 1000;
  print('push_throughput', Math.round(changes.length / pushSecs), 'records/s');

  const browser = await launchBrowser();
  const { page } = await device(browser, TABLET);
  await page.goto(server.url);
  await page.locator('input[name="username"]').waitFor();
  // Timed from the login: that is when a fresh device starts its first sync.
  const t1 = performance.now();
  await logIn(page, 'bench', 'bench');
  await page.waitForSelector('.sync[data-sync="saved"][data-waiting="0"]', { timeout: 300000 });
  const pullSecs = (performance.now() - t1) / 1000;
  const stored = await page.evaluate(() => new Promise((ok, fail) => {
    const req = indexedDB.open('duken');
    req.onsuccess = () => {
      const c = req.result.transaction('records').objectStore('records').count();
      c.onsuccess = () => ok(c.result);
      c.onerror = () => fail(c.error);
    };
    req.onerror = () => fail(req.error);
  }));
  if (stored !== changes.length) throw new Error(`expected ${changes.length} records on the device, found ${stored}`);
  print(`pull_${changes.length}_records_fresh_profile`, pullSecs.toFixed(2), 's');

  const t2 = performance.now();
  await page.reload();
  await page.locator('input[name="unlock-password"]').waitFor();
  print('cold_start_to_lock_screen', ((performance.now() - t2) / 1000).toFixed(2), 's');
  // Unlocking derives the key (Argon2id, 19 MiB) and decrypts every record into memory.
  const t3 = performance.now();
  await unlock(page);
  await page.locator('.family-card').first().waitFor();
  print(`unlock_and_show_${changes.length}_records`, ((performance.now() - t3) / 1000).toFixed(2), 's');
  await browser.close();

  const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] || 0);
  print('server_rss_after_bench', (rss / 1024).toFixed(1), 'MiB');
} finally {
  await server.cleanup();
}
