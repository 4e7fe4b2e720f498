// Screens loaded when first opened (issue 16, decision 63): a cold start downloads no screen
// chunk; the service worker keeps every chunk after the first start, so a screen never opened
// before works after a cold start with the server stopped; and a chunk that cannot come says
// so and loads on "Prøv igjen" instead of breaking the app.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARTIFACTS, TABLET, PHONE, Server, axeViolations, device, launchBrowser, logIn, newFamily, unlock,
  waitForOfflineShell, waitSynced,
} from './harness.mjs';

let server;
let browser;

/** The app files this page itself fetched (not the service worker's precache). */
async function fetched(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((p) => p.endsWith('.wasm') || p.endsWith('.js')));
}

describe('screens loaded when first opened', () => {
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

  it('a screen never opened works after a cold start with the server stopped', async () => {
    const { context, page } = await device(browser, TABLET);
    await page.goto(server.url);
    await page.locator('input[name="username"]').waitFor();
    const first = await fetched(page);
    assert.ok(first.some((p) => /^\/duken_bg-[0-9a-f]{16}\.wasm$/.test(p)), `main module fetched: ${first}`);
    assert.deepEqual(first.filter((p) => /\/(split|chunk)_/.test(p)), [], 'no screen chunk before the lock screen');
    await waitForOfflineShell(page);
    // Every chunk the build made is in the service worker's cache before any screen is opened.
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const cache = await caches.open(keys.find((k) => k.startsWith('duken-shell-')));
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    for (const chunk of ['split_network', 'split_cloth', 'split_ratings', 'split_plans', 'split_devices']) {
      assert.ok(cached.some((p) => p.startsWith(`/${chunk}-`)), `${chunk} precached: ${cached.length} files`);
    }
    await logIn(page, 'kari', 'Nettbrett');
    await newFamily(page, 'Familien Lind', ['Eli']);
    await waitSynced(page);

    // A cold start (a new tab, nothing in memory) with the server gone.
    await server.stop();
    await page.close();
    const cold = await context.newPage();
    cold.on('pageerror', (e) => console.error('page error:', e.message));
    await cold.goto(server.url);
    await unlock(cold);
    await cold.getByRole('link', { name: /Familien Lind/ }).click();
    await cold.getByTestId('family-name').waitFor();
    assert.deepEqual((await fetched(cold)).filter((p) => /split_network/.test(p)), [], 'not loaded before use');
    await cold.getByRole('link', { name: 'Nettverk og tjenester' }).click();
    await cold.getByRole('heading', { name: 'Nettverk og tjenester', level: 1 }).waitFor({ timeout: 15000 });
    // It works, not only shows: a person added offline is on the page and waits for the server.
    const form = cold.getByTestId('person-form');
    await form.locator('input[name="contact-name"]').fill('Mormor Åse');
    await form.locator('input[name="contact-relation"]').fill('mormor');
    await form.getByRole('button', { name: 'Legg til person' }).click();
    await cold.getByText('Mormor Åse').first().waitFor();
    await cold.waitForSelector('.sync[data-waiting="1"]', { timeout: 15000 });
    assert.ok((await fetched(cold)).some((p) => /\/split_network-[0-9a-f]{16}\.wasm$/.test(p)), 'loaded on first use');
    // A second lazy screen, the cloth, offline too.
    await cold.getByTestId('crumbs').getByRole('link', { name: 'Familien Lind' }).click();
    await cold.getByRole('link', { name: 'Ny duk', exact: true }).click();
    await cold.locator('input[name="helpers"]').fill('Mormor Åse');
    await cold.getByRole('button', { name: 'Start duken' }).click();
    await cold.waitForURL(/\/duk\/[0-9a-f-]{36}$/);
    await cold.getByTestId('cloth').waitFor({ timeout: 15000 });
    assert.deepEqual(await axeViolations(cold), []);
    await cold.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-lazy-cloth-offline.png`, fullPage: true });
    await server.start();
    await waitSynced(cold, 40000);
    await context.close();
  });

  it('a chunk that cannot be downloaded is said in words, and loads on "Prøv igjen"', async () => {
    // No service worker in this profile, and the network chunk refused: as on a first start
    // that lost the network before the service worker had kept the chunks.
    const { context, page } = await device(browser, PHONE, { serviceWorkers: 'block', hasTouch: true });
    let refuse = true;
    await context.route(/\/split_network-[0-9a-f]{16}\.wasm$/, (route) => (refuse ? route.abort() : route.continue()));
    await page.goto(server.url);
    await logIn(page, 'kari', 'Telefon');
    await page.getByRole('link', { name: /Familien Lind/ }).click();
    await page.getByRole('link', { name: 'Nettverk og tjenester' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15000 });
    assert.match(await alert.innerText(), /ikke lastet ned til enheten ennå/);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: `${ARTIFACTS}/phone-390x844-chunk-missing.png`, fullPage: true });
    // The rest of the app still works (a panic would have stopped the whole module).
    assert.equal(await page.getByTestId('crumbs').getByRole('link', { name: 'Familien Lind' }).count(), 1);
    refuse = false;
    await page.getByRole('button', { name: 'Prøv igjen' }).click();
    await page.getByRole('heading', { name: 'Nettverk og tjenester', level: 1 }).waitFor({ timeout: 15000 });
    await page.getByText('Mormor Åse').first().waitFor({ timeout: 30000 });
    await context.close();
  });
});
