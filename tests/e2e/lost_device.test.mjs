// A lost device: families with known names are created in the browser, the browser is closed,
// and its profile directory on disk (IndexedDB files and all) is searched for those names.
// Nothing may be found. The user's own account name, which is kept in plain text on purpose
// (the lock screen shows it), is the control that the search does read the stored data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { PASSWORD, Server, logIn, waitSynced } from './harness.mjs';

let server;
let profile;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return [];
    return st.isDirectory() ? files(path) : [path];
  });
}

function hits(dir, word) {
  const needles = [Buffer.from(word, 'latin1'), Buffer.from(word, 'utf16le')];
  return files(dir).filter((f) => {
    let data;
    try { data = readFileSync(f); } catch { return false; }
    return needles.some((n) => data.includes(n));
  });
}

describe('lost device', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kontrollbrukeren', 'familiepartner', PASSWORD);
    profile = mkdtempSync(join(tmpdir(), 'duken-profile-'));
  });

  after(async () => {
    await server?.cleanup();
    rmSync(profile, { recursive: true, force: true });
  });

  it('leaves no family name readable in the browser profile on disk', async () => {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      viewport: { width: 1024, height: 768 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-dev-shm-usage'],
    });
    const page = context.pages()[0] || await context.newPage();
    await page.goto(server.url);
    await logIn(page, 'kontrollbrukeren', 'Nettbrett');
    for (const [family, child] of [['Familien Zyxwvsen', 'Quintilla'], ['Familien Qorvaldsen', 'Bartholomeus']]) {
      await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
      await page.getByRole('link', { name: 'Ny familie' }).click();
      await page.locator('input[name="family-name"]').fill(family);
      await page.getByRole('button', { name: 'Legg til person' }).click();
      await page.locator('input[name="member-name"]').fill(child);
      await page.locator('select[name="member-role"]').selectOption('child');
      await page.getByRole('button', { name: 'Lagre', exact: true }).click();
      await page.getByTestId('family-name').waitFor();
      await page.getByRole('link', { name: 'Logg møte' }).click();
      await page.locator('textarea[name="note"]').fill(`Samtale med ${child} om skolen`);
      await page.getByRole('button', { name: 'Lagre møte' }).click();
      await page.getByTestId('family-name').waitFor();
    }
    await waitSynced(page);
    await context.close();

    assert.ok(hits(profile, 'kontrollbrukeren').length > 0, 'the search reads the stored data');
    for (const word of ['Zyxwvsen', 'Qorvaldsen', 'Quintilla', 'Bartholomeus']) {
      assert.deepEqual(hits(profile, word), [], `${word} is readable on disk`);
    }
  });
});
