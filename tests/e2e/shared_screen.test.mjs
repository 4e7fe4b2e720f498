// Family view on a shared screen (1920x1080): only this family, no other family's name, it
// survives a reload, and leaving takes two deliberate taps.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, PASSWORD, Server, device, launchBrowser, logIn, newFamily, unlock } from './harness.mjs';

let server;
let browser;

describe('shared screen', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', PASSWORD);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('shows only the current family, survives reload, and needs two taps to leave', async () => {
    const { page } = await device(browser, { width: 1920, height: 1080 });
    await page.goto(server.url);
    await logIn(page, 'kari', 'Stue-TV');
    await newFamily(page, 'Familien Andersen', ['Lise', 'Jonas']);
    await newFamily(page, 'Familien Solheim', ['Mona', 'Emil']);

    await page.getByRole('button', { name: 'Familievisning (delt skjerm)' }).click();
    const view = page.locator('.family-view');
    await view.waitFor();
    for (let round = 0; round < 2; round++) {
      // The start page under the family's name comes from its chunk.
      await view.locator('.people li').first().waitFor();
      const text = await page.locator('body').innerText();
      assert.match(text, /Familien Solheim/);
      assert.match(text, /Mona/);
      for (const hidden of ['Familien Andersen', 'Lise', 'Jonas', 'Tilgangslogg', 'Logg møte', 'Konflikter']) {
        assert.ok(!text.includes(hidden), `${hidden} must not be on the shared screen`);
      }
      const html = await page.content();
      assert.ok(!html.includes('Andersen'), 'not even hidden in the page');
      assert.equal(await page.locator('nav').count(), 0, 'no navigation to other families');
      const size = await page.locator('.family-view li').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      assert.ok(size >= 24, `body text is ${size}px at 1920x1080`);
      if (round === 0) {
        await page.screenshot({ path: `${ARTIFACTS}/tv-1920x1080-family-view.png` });
        await page.reload();
        // After a reload the data is locked; unlocking goes straight back to the family view.
        await unlock(page);
        await view.waitFor();
      }
    }

    const leave = page.locator('.family-view .leave');
    await leave.click();
    assert.equal(await view.count(), 1, 'one tap does not leave');
    assert.equal(await leave.innerText(), 'Trykk igjen for å avslutte');
    await leave.click();
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).waitFor();
    assert.equal(await view.count(), 0);
  });

  it('locks on demand: nothing of the family stays on the page until the password is given', async () => {
    const { page } = await device(browser, { width: 1024, height: 768 });
    await page.goto(server.url);
    await logIn(page, 'kari', 'Nettbrett');
    await page.getByRole('link', { name: /Familien Andersen/ }).waitFor();
    await page.getByRole('button', { name: 'Lås', exact: true }).click();
    await page.locator('input[name="unlock-password"]').waitFor();
    const html = await page.content();
    for (const hidden of ['Andersen', 'Solheim', 'Lise', 'Mona']) {
      assert.ok(!html.includes(hidden), `${hidden} must not be on the locked page`);
    }
    await unlock(page, 'feil passord her');
    await page.getByText('Feil passord.').waitFor();
    await unlock(page);
    await page.getByRole('link', { name: /Familien Andersen/ }).waitFor();
  });
});
