// The family's access log by the one rule (issue 13), in a real Chromium against the real
// server: the partner's family, a team leader on a phone pages through a long log (and sees
// their own reads in it), a contact person with a grant reads it on a TV, and an administrator
// without a grant is told the family is not there.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARTIFACTS, PASSWORD, PHONE, TABLET, Server, axeViolations, device, launchBrowser, logIn,
  newFamily, unlock, waitSynced,
} from './harness.mjs';

const TV = { width: 1920, height: 1080 };

let server;
let browser;
let family;

async function shot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  // A long log: also what the screen shows, at the top and at the end.
  await page.screenshot({ path: `${ARTIFACTS}/${name}-top.png` });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.screenshot({ path: `${ARTIFACTS}/${name}-end.png` });
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.deepEqual(await axeViolations(page), [], `${name}: axe-core finds no critical, serious or moderate issue`);
}

async function openLog(page, name) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.locator('.cards a', { hasText: name }).first().click();
  await page.getByTestId('family-name').filter({ hasText: name }).waitFor();
  await page.getByRole('link', { name: /Tilgangslogg/ }).click();
  await page.locator('.access-log li').first().waitFor();
}

describe('the access log, for whoever may read the family', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', PASSWORD, 'Nord');
    await server.createUser('leder', 'teamleder', PASSWORD, 'Nord');
    await server.createUser('kontakt', 'kontaktperson', PASSWORD);
    await server.createUser('admin', 'admin', PASSWORD);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('(a) the partner registers a family, and its data is read often enough for two pages', async () => {
    const { page } = await device(browser, TABLET);
    await page.goto(server.url);
    await logIn(page, 'kari', 'Nettbrett');
    await newFamily(page, 'Familien Lie', ['Mona Lie']);
    family = page.url().split('/familie/')[1].split('/')[0];
    await waitSynced(page);
    // Another of kari's devices pulls the family 120 times: each read is an entry per kind.
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'kari', password: PASSWORD, device_name: 'Skript' }),
    });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie').split(';')[0];
    for (let i = 0; i < 120; i += 1) {
      const res = await fetch(`${server.url}/api/v1/pull?since=0`, { headers: { cookie } });
      assert.equal(res.status, 200);
    }
    await server.cli(['grant', family, 'kontakt']);
  });

  it('(b) the team leader pages through it on a phone and finds their own read in it', async () => {
    // A phone in Norway: the times are Norwegian local time, not the server's UTC.
    const { page } = await device(browser, PHONE, { hasTouch: true, isMobile: true, timezoneId: 'Europe/Oslo' });
    await page.goto(server.url);
    await logIn(page, 'leder', 'Telefon');
    await waitSynced(page);
    await openLog(page, 'Familien Lie');
    assert.equal(await page.locator('.access-log li').count(), 200, 'one page of 200');
    const first = await page.locator('.access-log li').first().innerText();
    assert.doesNotMatch(first, /UTC/);
    const [, dd, mm, yyyy, hh, mi] = first.match(/^(\d\d)\.(\d\d)\.(\d{4}) kl\. (\d\d):(\d\d): /) ?? [];
    assert.ok(dd, `the line starts with its local time: ${first}`);
    // The entry was written in the last minutes; read as Oslo time it is near now in Oslo.
    const oslo = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date()).reduce((o, p) => ({ ...o, [p.type]: p.value }), {});
    const minutes = (y, mo, d, h, m) => Date.UTC(+y, +mo - 1, +d, +h, +m) / 60000;
    const gap = minutes(oslo.year, oslo.month, oslo.day, oslo.hour, oslo.minute) - minutes(yyyy, mm, dd, hh, mi);
    assert.ok(gap >= 0 && gap < 15, `the entry's local time ${first.slice(0, 20)} is within minutes of Oslo's now (${gap} min)`);
    assert.match(await page.locator('.access-log').innerText(), /kari \(familiepartner\) hentet 1 opplysning om familien på enheten «Skript»/);
    await shot(page, 'phone-390x844-teamleder-access-log');
    await page.getByRole('button', { name: 'Vis flere' }).click();
    await page.locator('.access-log li').nth(200).waitFor();
    const all = await page.locator('.access-log').innerText();
    assert.match(all, /leder \(teamleder\) hentet 200 oppføringer i tilgangsloggen på enheten «Telefon»/);
    assert.equal(await page.getByRole('button', { name: 'Vis flere' }).count(), 0, 'the last page has no more');
  });

  it('(c) the contact person, granted, reads it on a TV', async () => {
    const { page } = await device(browser, TV);
    await page.goto(server.url);
    await logIn(page, 'kontakt', 'Møterom');
    await waitSynced(page);
    await openLog(page, 'Familien Lie');
    assert.match(await page.locator('.access-log').innerText(), /kari \(familiepartner\) endret eller la til 1 opplysning om familien/);
    await shot(page, 'tv-1920x1080-kontaktperson-access-log');
  });

  it('(d) an administrator without a grant is told the family is not there', async () => {
    const { page } = await device(browser, PHONE, { hasTouch: true, isMobile: true });
    await page.goto(server.url);
    await logIn(page, 'admin', 'Kontor');
    await waitSynced(page);
    assert.equal(await page.locator('.cards a', { hasText: 'Familien Lie' }).count(), 0);
    // Typed into the address bar: the app starts again and asks for the password first.
    await page.goto(`${server.url}/familie/${family}/tilgangslogg`);
    await unlock(page);
    await page.getByRole('alert').filter({ hasText: /fant ikke familien/i }).waitFor();
    assert.equal(await page.locator('.access-log li').count(), 0);
    await shot(page, 'phone-390x844-admin-access-log');
  });
});
