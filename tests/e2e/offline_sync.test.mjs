// A family partner's first day with Duken, in a real Chromium against the real server:
// (a) create a family and log a meeting on the tablet;
// (b) the server goes away: reload, the app opens from its service worker with the data, a
//     second meeting is logged and shown as waiting;
// (c) the server comes back: the tablet syncs by itself;
// (d) the phone (a second browser profile) sees both meetings;
// (e) both devices rename the family while offline: after sync both show the same winner and a
//     conflict holding the other name; resolving it on one device reaches the other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARTIFACTS, PHONE, TABLET, Server, device, launchBrowser, logIn, unlock, waitForOfflineShell, waitSynced,
} from './harness.mjs';

let server;
let browser;
let tablet;
let phone;

async function shot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

async function createFamily(page) {
  await page.getByRole('link', { name: 'Ny familie' }).click();
  await page.locator('input[name="family-name"]').fill('Familien Solberg');
  await page.locator('input[name="start-date"]').fill('2026-11-02');
  for (const [name, role, year] of [['Kari', 'parent', ''], ['Ola', 'child', '2018'], ['Nora', 'child', '2022']]) {
    await page.getByRole('button', { name: 'Legg til person' }).click();
    const row = page.locator('.member-row').last();
    await row.locator('input[name="member-name"]').fill(name);
    await row.locator('select[name="member-role"]').selectOption(role);
    await row.locator('input[name="member-birth-year"]').fill(year);
  }
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await page.getByTestId('family-name').waitFor();
}

async function logMeeting(page, { date, themes, note }) {
  await page.getByRole('link', { name: 'Logg møte' }).click();
  const form = page.locator('form.meeting-form');
  await form.locator('input[name="date"]').fill(date);
  // "Hjemme" is preselected: the common case costs no tap.
  await form.locator('[data-field="focus"] [data-code="practical"]').click();
  // The themes are folded away (optional, 18 of them): open them first.
  if (themes.length) await form.locator('details.themes-fold summary').click();
  for (const t of themes) await form.locator(`[data-field="themes"] [data-code="${t}"]`).click();
  await form.locator('[data-field="duration"] [data-code="60"]').click();
  await form.locator('[data-field="present"] .chip', { hasText: 'Kari' }).click();
  await form.locator('textarea[name="note"]').fill(note);
  await form.getByRole('button', { name: 'Lagre møte' }).click();
  await page.getByTestId('family-name').waitFor();
  await page.getByText('Møtet er lagret på enheten.').waitFor();
}

describe('offline-first: create, go offline, come back, second device, conflict', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', 'kaffe på kjøkkenbordet');
    browser = await launchBrowser();
    tablet = await device(browser, TABLET);
    phone = await device(browser, PHONE);
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('(a) creates a family and logs a meeting', async () => {
    const { page } = tablet;
    await page.goto(server.url);
    await waitForOfflineShell(page);
    await logIn(page, 'kari', 'Nettbrett');
    await createFamily(page);
    assert.equal(await page.getByTestId('family-name').innerText(), 'Familien Solberg');
    await logMeeting(page, { date: '2026-11-20', themes: ['economy', 'routines'], note: 'Laget ukeplan sammen' });
    const cards = page.locator('.meeting-card');
    assert.equal(await cards.count(), 1);
    assert.match(await cards.first().innerText(), /20\.11\.2026 · Hjemme/);
    assert.match(await cards.first().innerText(), /Økonomi og budsjett, Rutiner og ukeplan/);
    assert.match(await cards.first().innerText(), /Til stede: Kari/);
    await waitSynced(page);
    await shot(page, 'tablet-1024x768-family');
    // The family may see who has handled its data.
    await page.getByRole('link', { name: /Tilgangslogg/ }).click();
    await page.locator('.access-log li').first().waitFor();
    const log = await page.locator('.access-log').innerText();
    assert.match(log, /kari \(familiepartner\) endret eller la til 1 opplysning om familien på enheten «Nettbrett»/);
    assert.match(log, /kari \(familiepartner\) endret eller la til 1 møtelogg/);
    // The way back is the same on every family page: the trail at the top.
    await page.getByTestId('crumbs').getByRole('link', { name: 'Familien Solberg' }).click();
    await page.getByTestId('family-name').waitFor();
  });

  it('(b) opens with the server stopped, shows the data, and keeps a new meeting waiting', async () => {
    const { page } = tablet;
    await server.stop();
    await page.reload();
    // The data on the device is sealed until the partner unlocks it; no server needed for that.
    await unlock(page);
    await page.getByTestId('family-name').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('.meeting-card').count(), 1, 'the first meeting is there offline');
    await logMeeting(page, { date: '2026-11-22', themes: ['school'], note: 'Møte med skolen' });
    assert.equal(await page.locator('.meeting-card').count(), 2);
    // Saved on the device at once; the header shows it waiting while the server is away.
    await page.waitForSelector('.sync[data-waiting="1"]', { timeout: 15000 }).catch(async (e) => {
      await shot(page, 'failure-b');
      throw new Error(`${e.message}\nheader: ${await page.locator('.sync').evaluate((el) => el.outerHTML)}`);
    });
    await page.waitForSelector('.sync[data-sync="offline"]', { timeout: 20000 });
    assert.match(await page.locator('.sync').innerText(), /Frakoblet · 1 møte venter/);
    await shot(page, 'tablet-1024x768-offline');
  });

  it('(c) syncs by itself when the server is back', async () => {
    const { page } = tablet;
    await server.start();
    await waitSynced(page, 40000);
    assert.match(await page.locator('.sync').innerText(), /Lagret på enheten og synkronisert/);
  });

  it('(d) the phone sees both meetings', async () => {
    const { page } = phone;
    await page.goto(server.url);
    await logIn(page, 'kari', 'Telefon');
    await page.getByRole('link', { name: /Familien Solberg/ }).click({ timeout: 30000 });
    await page.locator('.meeting-card').nth(1).waitFor();
    const text = await page.locator('.meetings').innerText();
    assert.match(text, /22\.11\.2026/);
    assert.match(text, /20\.11\.2026/);
    assert.match(await page.locator('.members').innerText(), /Ola \(Barn, \d+ år\)/);
    await waitForOfflineShell(page);
    await shot(page, 'phone-390x844-family');
    await page.getByRole('link', { name: 'Logg møte' }).click();
    await page.locator('form.meeting-form').waitFor();
    await shot(page, 'phone-390x844-meeting-form');
    await page.goBack();
    await page.getByTestId('family-name').waitFor();
  });

  it('(e) concurrent offline renames: same winner everywhere, visible conflict, resolution reaches the other device', async () => {
    await server.stop();
    const names = new Map([[tablet, 'Familien Solberg-Hansen'], [phone, 'Familien Solberg-Lie']]);
    for (const [dev, name] of names) {
      const { page } = dev;
      await page.getByRole('link', { name: 'Rediger' }).click();
      await page.locator('input[name="family-name"]').fill(name);
      await page.getByRole('button', { name: 'Lagre', exact: true }).click();
      await page.getByTestId('family-name').waitFor();
      assert.equal(await page.getByTestId('family-name').innerText(), name, 'own edit shows at once');
    }
    await server.start();
    for (const { page } of [tablet, phone]) {
      await page.waitForSelector('.conflict-badge[data-conflicts="1"]', { timeout: 60000 });
    }
    const shown = [];
    for (const { page } of [tablet, phone]) {
      await waitSynced(page, 40000);
      shown.push(await page.getByTestId('family-name').innerText());
    }
    assert.equal(shown[0], shown[1], 'both devices show the same winner');
    const winner = shown[0];
    const loser = [...names.values()].find((n) => n !== winner);
    assert.ok(loser, 'the winner is one of the two edits');

    for (const { page } of [tablet, phone]) {
      await page.locator('.conflict-badge').click();
      await page.locator('.conflict').first().waitFor();
      assert.equal(await page.getByTestId('conflict-current').innerText(), winner);
      assert.equal(await page.getByTestId('conflict-other').innerText(), loser);
    }
    await shot(phone.page, 'phone-390x844-conflict');
    await shot(tablet.page, 'tablet-1024x768-conflict');

    // The tablet keeps the other name; the phone learns it without anyone touching it.
    await tablet.page.getByRole('button', { name: 'Bruk denne' }).click();
    await tablet.page.getByText('Ingen konflikter.').waitFor();
    await phone.page.getByText('Ingen konflikter.').waitFor({ timeout: 60000 });
    for (const { page } of [tablet, phone]) {
      await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
      await page.getByRole('link', { name: new RegExp(loser) }).click();
      assert.equal(await page.getByTestId('family-name').innerText(), loser);
      // Nothing was lost: the first name and the overruled winner are in the history.
      await page.locator('details.history summary').click();
      const history = await page.locator('details.history').innerText();
      assert.match(history, /Tidligere verdier \(3\)/);
      assert.match(history, /Navn på familien: Familien Solberg\n/);
      assert.ok(history.includes(`Navn på familien: ${winner}`), history);
    }
    await shot(phone.page, 'phone-390x844-history');
  });
});
