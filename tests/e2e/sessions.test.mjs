// Logging in, and revoking a lost device: the partner logs out her phone from the tablet; at
// its next contact with the server the phone gets 401 and wipes everything it holds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, PHONE, TABLET, Server, device, launchBrowser, logIn, waitSynced } from './harness.mjs';

let server;
let browser;

async function recordsOnDevice(page) {
  return page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    if (!dbs.some((d) => d.name === 'duken')) return 0;
    return new Promise((ok, fail) => {
      const req = indexedDB.open('duken');
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('records')) { db.close(); ok(0); return; }
        const c = db.transaction('records').objectStore('records').count();
        c.onsuccess = () => { db.close(); ok(c.result); };
        c.onerror = () => fail(c.error);
      };
      req.onerror = () => fail(req.error);
    });
  });
}

describe('sessions: login and revoking a lost device', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', 'kaffe på kjøkkenbordet');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('refuses a wrong password with a clear message', async () => {
    const { page } = await device(browser, PHONE);
    await page.goto(server.url);
    await page.locator('input[name="username"]').fill('kari');
    await page.locator('input[name="password"]').fill('feil passord her');
    await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await page.getByText(/^Feil brukernavn eller passord\. .*spør teamlederen om et nytt\.$/).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/phone-390x844-login-failed.png` });
    assert.equal(await page.locator('input[name="password"]').count(), 1, 'still on the login page');
  });

  it('a device revoked from another device wipes its data at next contact', async () => {
    const tablet = await device(browser, TABLET);
    const phone = await device(browser, PHONE);
    await tablet.page.goto(server.url);
    await logIn(tablet.page, 'kari', 'Nettbrett');
    await phone.page.goto(server.url);
    await logIn(phone.page, 'kari', 'Telefon');

    await phone.page.getByRole('link', { name: 'Ny familie' }).click();
    await phone.page.locator('input[name="family-name"]').fill('Familien Berg');
    await phone.page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await phone.page.getByTestId('family-name').waitFor();
    await waitSynced(phone.page);
    assert.ok(await recordsOnDevice(phone.page) >= 1);

    await tablet.page.getByTestId('user-menu').click();
    const phoneRow = tablet.page.locator('.device', { hasText: 'Telefon' });
    await phoneRow.getByRole('button', { name: 'Logg ut enheten' }).click();
    await phoneRow.waitFor({ state: 'detached' });
    await tablet.page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-devices.png` });

    // The phone's next sync (here asked for by tapping the status) meets the revocation.
    await phone.page.locator('.sync-text').click();
    await phone.page.getByText('Data på denne enheten er slettet.').waitFor({ timeout: 30000 });
    assert.equal(await recordsOnDevice(phone.page), 0, 'nothing about the family is left');
    assert.equal(await phone.page.getByText('Familien Berg').count(), 0);
    await phone.page.screenshot({ path: `${ARTIFACTS}/phone-390x844-wiped.png` });
  });

  it('a second partner given access later receives the family on their already-synced phone', async () => {
    await server.createUser('ola', 'familiepartner', 'kaffe på kjøkkenbordet');
    const tablet = await device(browser, TABLET);
    const phone = await device(browser, PHONE);
    await tablet.page.goto(server.url);
    await logIn(tablet.page, 'kari', 'Nettbrett');
    await tablet.page.getByRole('link', { name: 'Ny familie' }).click();
    await tablet.page.locator('input[name="family-name"]').fill('Familien Grantsen');
    await tablet.page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await tablet.page.getByTestId('family-name').waitFor();
    await waitSynced(tablet.page);
    const familyId = new URL(tablet.page.url()).pathname.split('/')[2];

    await phone.page.goto(server.url);
    await logIn(phone.page, 'ola', 'Telefon');
    await waitSynced(phone.page);
    assert.equal(await phone.page.getByText('Familien Grantsen').count(), 0, 'not before the grant');

    const out = await server.cli(['grant', familyId, 'ola', '--access', 'partner']);
    assert.match(out, /ola har nå tilgang/);
    await phone.page.locator('.sync-text').click();
    await phone.page.getByRole('link', { name: /Familien Grantsen/ }).waitFor({ timeout: 30000 });
  });
});
