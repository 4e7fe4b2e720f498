// The server's own log never holds a password, a session token or a family's data, at the
// most verbose level, while a partner logs in, syncs and logs a meeting.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, PHONE, Server, device, launchBrowser, logIn, waitSynced } from './harness.mjs';

let server;
let browser;

describe('no secrets or personal data in the server log', () => {
  before(async () => {
    server = await Server.create();
    server.logLevel = 'debug';
    await server.start();
    await server.createUser('kari', 'familiepartner', PASSWORD);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('logs requests but not passwords, tokens, URLs with secrets or family names', async () => {
    const { page, context } = await device(browser, PHONE);
    await page.goto(server.url);
    // One failed login too: the attempted password must not show either.
    await page.locator('input[name="username"]').fill('kari');
    await page.locator('input[name="password"]').fill('Feilpassord-Hemmelig-123');
    await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await page.getByText('feil brukernavn eller passord').waitFor();
    await logIn(page, 'kari', 'Telefon');
    await page.getByRole('link', { name: 'Ny familie' }).click();
    await page.locator('input[name="family-name"]').fill('Familien Hemmeligsen');
    await page.getByRole('button', { name: 'Legg til person' }).click();
    await page.locator('input[name="member-name"]').fill('Tobias Hemmeligsen');
    await page.locator('select[name="member-role"]').selectOption('child');
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByTestId('family-name').waitFor();
    await waitSynced(page);

    const cookies = await context.cookies();
    const token = cookies.find((c) => c.name === 'duken_session')?.value;
    assert.ok(token && token.length === 64, 'the browser holds the session cookie');
    assert.ok(cookies.find((c) => c.name === 'duken_session').httpOnly, 'HttpOnly');

    const log = server.log.join('');
    assert.ok(log.includes('login'), 'the log does record logins');
    assert.ok(/push|\/api\/v1\/push/.test(log), 'and requests');
    for (const secret of [PASSWORD, 'Feilpassord-Hemmelig-123', token, 'Hemmeligsen', 'Tobias']) {
      assert.ok(!log.includes(secret), `the log must not contain ${secret.slice(0, 12)}…`);
    }
    // Nor does any URL the page requested carry the token.
    assert.ok(!(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).join(' '))).includes(token));
  });
});
