// A family partner's first day in the field (issue 15), on a phone (390×844, touch): the day
// after the intake nothing reads as overdue while its date is ahead, today's visit is the
// first thing on the start screen, a new person's role is proposed from the birth year (said,
// never silent), and offline the visit and an unplanned call are logged in a few counted taps.
// The header is one row that keeps its height, says «Frakoblet» within 2 s of the network
// going, and counts what waits in the user's words. The server is real; axe-core runs on
// every screenshot.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARTIFACTS, PHONE, Server, TABLET, axeViolations, device, launchBrowser, logIn, unlock, waitForOfflineShell,
  waitSynced,
} from './harness.mjs';

const FAMILY = 'Familien Berg';
const TODAY = '2026-11-27';

let server;
let browser;
let phone;

async function shot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), [], `${name}: axe-core finds no critical, serious or moderate issue`);
}

/** Counts what the partner does: each tap and each text typed is one. */
function counter(page) {
  let n = 0;
  return {
    async tap(locator) { n += 1; await locator.tap(); },
    async type(locator, text) { n += 1; await locator.fill(text); },
    get count() { return n; },
  };
}

/** "Denne uken" as read: "[Frist] date [Forfalt|I dag] family: what", one line per item. */
async function thisWeek(page) {
  return page.locator('[data-testid="this-week"] li').evaluateAll((lis) => lis.map((li) => [
    li.querySelector('.date').textContent,
    li.querySelector('.badge')?.textContent ?? '',
    li.querySelector('.what').textContent,
  ].filter(Boolean).join(' ')));
}

async function headerHeight(page) {
  return page.locator('header.top').evaluate((h) => h.getBoundingClientRect().height);
}

describe('day one in the field, on a phone', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', 'kaffe på kjøkkenbordet');
    browser = await launchBrowser();
    phone = await device(browser, PHONE, { hasTouch: true, isMobile: true });
    await phone.context.clock.setFixedTime(new Date(`${TODAY}T10:00:00`));
    await phone.page.goto(server.url);
    await logIn(phone.page, 'kari', 'Telefon');
    await waitForOfflineShell(phone.page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('(a) a new person gets no role by default: it is proposed from the birth year, and said', async () => {
    const { page } = phone;
    await page.getByRole('link', { name: 'Ny familie' }).click();
    await page.locator('input[name="family-name"]').fill(FAMILY);
    await page.locator('input[name="start-date"]').fill('2026-11-26');
    const row = () => page.locator('.member-row').last();
    const add = async (name, year) => {
      await page.getByRole('button', { name: 'Legg til person' }).click();
      await row().locator('input[name="member-name"]').fill(name);
      if (year) await row().locator('input[name="member-birth-year"]').fill(year);
    };
    await add('Lars Berg', '1984');
    assert.equal(await row().locator('select[name="member-role"]').inputValue(), 'parent');
    assert.equal(await row().getByTestId('role-note').textContent(),
      'Foreslått ut fra fødselsåret (42 år): forelder. Velg en annen rolle om det ikke stemmer.');
    await add('Siri Berg', '1986');
    await add('Emma Berg', '2016');
    assert.equal(await row().locator('select[name="member-role"]').inputValue(), 'child');
    assert.match(await row().getByTestId('role-note').textContent(), /\(10 år\): barn/);
    // Without a birth year nothing is chosen, and saving says what is missing.
    await add('Jonas Berg', '');
    assert.equal(await row().locator('select[name="member-role"]').inputValue(), '');
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByRole('alert').getByText('Velg rolle for Jonas Berg (forelder, barn eller annen i hjemmet).').waitFor();
    await row().locator('select[name="member-role"]').selectOption('child');
    // A role chosen by hand that does not fit the year is questioned, not changed.
    const lars = page.locator('.member-row').first();
    await lars.locator('select[name="member-role"]').selectOption('child');
    await lars.getByTestId('role-note').getByText('42 år og registrert som barn: får barnas skjema og kan ikke gi samtykke. Stemmer det?').waitFor();
    await shot(page, 'phone-390x844-new-family-roles');
    await lars.locator('select[name="member-role"]').selectOption('parent');
    assert.equal(await lars.getByTestId('role-note').textContent(), '');
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByTestId('family-name').waitFor();
    const members = await page.locator('ul.members li').allTextContents();
    assert.deepEqual(members, ['Lars Berg (Forelder, 42 år)', 'Siri Berg (Forelder, 40 år)', 'Jonas Berg (Barn)', 'Emma Berg (Barn, 10 år)']);
  });

  it('(b) the day after intake: what is due is due, not overdue; today\'s visit comes first', async () => {
    const { page } = phone;
    await page.getByRole('link', { name: 'Inntakssamtale' }).click();
    await page.locator('input[name="visit-date"]').fill(TODAY);
    await page.locator('input[name="visit-time"]').fill('17:30');
    await page.getByRole('button', { name: 'Avtal besøk' }).click();
    await page.getByTestId('visits').locator('li').first().waitFor();
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
    await page.getByRole('heading', { name: 'Denne uken' }).waitFor();
    const week = await thisWeek(page);
    assert.equal(week[0], `27.11.2026 I dag ${FAMILY}: Hjemmebesøk kl. 17:30`, week.join('\n'));
    assert.ok(week.includes(`Frist 06.12.2026 ${FAMILY}: Avtal de tre første hjemmebesøkene`), week.join('\n'));
    assert.ok(!week.some((l) => l.includes('Forfalt')), `nothing is overdue the day after intake:\n${week.join('\n')}`);
    // The visit's «Logg møtet» is on the first screen, under a header of one row.
    const log = page.getByTestId('this-week').locator('li').first().getByRole('link', { name: 'Logg møtet' });
    const box = await log.boundingBox();
    assert.ok(box && box.y + box.height <= PHONE.height, `«Logg møtet» at y=${box?.y} is on the first screen`);
    const height = await headerHeight(page);
    assert.ok(height <= 60, `the header is one row (${height} px)`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scroll');
    await shot(page, 'phone-390x844-start-screen');
  });

  it('(c) offline within 2 s; the visit and an unplanned call logged in at most 6 taps each', async () => {
    const { page, context } = phone;
    await waitSynced(page);
    const height = await headerHeight(page);
    const went = Date.now();
    await context.setOffline(true);
    await page.waitForSelector('.sync[data-sync="offline"]', { timeout: 2000 });
    const noticed = Date.now() - went;
    assert.ok(noticed <= 2000, `«Frakoblet» after ${noticed} ms`);
    assert.match(await page.locator('.sync-text').innerText(), /Frakoblet/);
    console.log(`# offline shown after ${noticed} ms`);

    // The planned visit: everyone it was booked with is there; «1 t» is one tap.
    const visit = counter(page);
    await visit.tap(page.getByTestId('this-week').locator('li').first().getByRole('link', { name: 'Logg møtet' }));
    const form = page.locator('form.meeting-form');
    await form.waitFor();
    assert.deepEqual(await form.locator('[data-field="present"] [aria-pressed="true"]').allTextContents(),
      ['Lars Berg', 'Siri Berg', 'Jonas Berg', 'Emma Berg'], 'the family is preselected as present at a booked visit');
    assert.equal(await form.locator('[data-field="place"] [aria-pressed="true"]').textContent(), 'Hjemme');
    await visit.tap(form.locator('[data-field="duration"] [data-code="60"]'));
    assert.equal(await form.locator('input[name="duration-minutes"]').count(), 0, '«1 t» is not «Annen varighet»');
    await visit.type(form.locator('textarea[name="note"]'), 'Gikk gjennom ukeplanen; Emma viste tegningene sine');
    await shot(page, 'phone-390x844-meeting-form');
    await visit.tap(form.getByRole('button', { name: 'Lagre møte' }));
    await page.getByText('Møtet er lagret på enheten.').waitFor();
    console.log(`# planned visit: ${visit.count} taps and inputs`);
    assert.ok(visit.count <= 6, `${visit.count} taps for the visit`);
    const card = page.locator('.meeting-card').first();
    assert.match(await card.innerText(), /27\.11\.2026 · Hjemme/);
    assert.match(await card.innerText(), /1 t/);
    assert.match(await card.innerText(), /Til stede: Lars Berg, Siri Berg, Jonas Berg, Emma Berg/);
    await page.waitForSelector('.sync[data-waiting="1"]');
    assert.match(await page.locator('.sync-text').innerText(), /Frakoblet · 1 møte venter/);

    // An unplanned call, from the start screen: the family's card has «Logg møte».
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
    const call = counter(page);
    await call.tap(page.locator('.family-card', { hasText: FAMILY }).getByRole('link', { name: 'Logg møte' }));
    await form.waitFor();
    assert.equal(await form.locator('[data-field="present"] [aria-pressed="true"]').count(), 0, 'nobody is assumed present at a call');
    await call.tap(form.locator('[data-field="place"] [data-code="phone"]'));
    // Any other length: «Annen» opens the minutes.
    await call.tap(form.locator('[data-field="duration"] [data-code="other"]'));
    await call.type(form.locator('input[name="duration-minutes"]'), '20');
    await call.type(form.locator('textarea[name="note"]'), 'Siri ringte om møtet med skolen');
    await call.tap(form.getByRole('button', { name: 'Lagre møte' }));
    await page.getByText('Møtet er lagret på enheten.').waitFor();
    console.log(`# unplanned call: ${call.count} taps and inputs`);
    assert.ok(call.count <= 6, `${call.count} taps for the call`);
    assert.match(await page.locator('.meeting-card').first().innerText(), /Telefon \/ video[\s\S]*20 min/);
    await page.waitForSelector('.sync[data-waiting="2"]');
    assert.match(await page.locator('.sync-text').innerText(), /Frakoblet · 2 møter venter/);
    assert.equal(await headerHeight(page), height, 'the header keeps its height whatever the status says');
    await shot(page, 'phone-390x844-family-after-call');
  });

  it('(e) every family page says whose it is and has the same way back; axe on each', async () => {
    const { page } = phone;
    // Open pages the way the app does (no reload, which would lock the data).
    const go = (path) => page.evaluate((p) => {
      window.history.pushState({}, '', p);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
    await page.locator('.family-card', { hasText: FAMILY }).locator('a').first().click();
    await page.getByTestId('family-name').waitFor();
    const base = new URL(page.url()).pathname;
    const meeting = await page.locator('.meeting-card a').first().getAttribute('href');
    // A plan and a round, made the way the partner makes them, for their pages.
    await go(`${base}/arbeidsplan`);
    await page.getByRole('button', { name: /Ny arbeidsplan for periode 1/ }).click();
    await page.getByTestId('plan').waitFor();
    const plan = new URL(page.url()).pathname;
    await go(`${base}/rangering`);
    await page.getByRole('button', { name: 'Start runde' }).click();
    await page.getByTestId('round-progress').waitFor();
    const round = new URL(page.url()).pathname;
    const pages = [
      [base, null, 'Familien Berg'], [`${base}/rediger`, FAMILY, 'Rediger familien'], [meeting, FAMILY, 'Møte 27.11.2026'],
      [`${base}/mote`, FAMILY, 'Logg møte'], [`${base}/duk/ny`, FAMILY, 'Ny duk'], [`${base}/rangering`, FAMILY, 'Rangering og fremgang'],
      [round, 'Rangering og fremgang', 'Runde: oppstart 27.11.2026'], [`${base}/forlop`, FAMILY, 'Forlengelse og plassering'],
      [`${base}/inntak`, FAMILY, 'Inntakssamtale'], [`${base}/nettverk`, FAMILY, 'Nettverk og tjenester'],
      [`${base}/arbeidsplan`, FAMILY, 'Arbeidsplaner'], [plan, 'Arbeidsplaner', 'Arbeidsplan for periode 1'],
      [`${base}/rapport`, FAMILY, 'Rapporter'], [`${base}/saksevaluering`, FAMILY, 'Saksevalueringer'],
      [`${base}/bekymring`, FAMILY, 'Bekymringer'], [`${base}/papirer`, FAMILY, 'Familiens papirer'],
    ];
    for (const [path, back, here] of pages) {
      await go(path);
      const crumbs = page.getByTestId('crumbs');
      await crumbs.locator('[aria-current="page"]').filter({ hasText: here }).waitFor({ state: 'attached' });
      const trail = (await crumbs.locator('li').allTextContents()).join(' › ');
      assert.ok(trail.startsWith(`Familier › ${FAMILY}`), `${path}: ${trail}`);
      if (back) {
        // On a phone the one visible step is the way back.
        const visible = crumbs.locator('li.back a');
        assert.equal(await visible.textContent(), back, `${path}: the way back`);
        assert.ok(await visible.isVisible(), `${path}: the way back shows on a phone`);
      }
      assert.deepEqual(await axeViolations(page), [], `${path}: axe-core`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), `${path}: no sideways scroll`);
    }
    // The primary button is the next step: on the day plan 1 is made, it is that plan, not a
    // plan for a period that has not begun; the 3-month round is offered but not pressed.
    await go(`${base}/arbeidsplan`);
    await page.getByRole('link', { name: 'Til arbeidsplan for periode 1' }).waitFor();
    assert.equal(await page.locator('.plans .button.primary').count(), 1);
    assert.equal(await page.locator('.plans .button.primary').textContent(), 'Til arbeidsplan for periode 1');
    await go(`${base}/rangering`);
    await page.getByTestId('round-not-yet').getByText('«Etter 3 måneder» er ikke før 26.02.2027.').waitFor();
    assert.equal(await page.locator('.new-round .button.primary').count(), 0);
    await shot(page, 'phone-390x844-ratings-next-round-not-yet');
  });

  it('(d) back online, both meetings go to the server', async () => {
    const { page, context } = phone;
    await context.setOffline(false);
    await waitSynced(page);
    assert.match(await page.locator('.sync-text').innerText(), /Lagret på enheten og synkronisert/);
    // Asked of the server itself, as another device of Kari's would.
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'kari', password: 'kaffe på kjøkkenbordet', device_name: 'Sjekk' }),
    });
    assert.equal(login.status, 200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const pull = await fetch(`${server.url}/api/v1/pull?since=0&limit=1000&protocol=1`, { headers: { cookie } });
    assert.equal(pull.status, 200);
    const { changes } = await pull.json();
    const notes = changes.filter((c) => c.kind === 'meeting')
      .flatMap((c) => c.writes.filter((w) => w.field === 'note').map((w) => w.value));
    assert.deepEqual(notes.sort(), ['Gikk gjennom ukeplanen; Emma viste tegningene sine', 'Siri ringte om møtet med skolen']);
  });
});

describe('a newcomer\'s account: the one-time password is for choosing one\'s own', () => {
  let srv;
  let br;

  before(async () => {
    srv = await Server.create();
    await srv.start();
    br = await launchBrowser();
  });

  after(async () => {
    await br?.close();
    await srv?.stop();
  });

  it('the first login asks for a new password; unlock then works with it offline', async () => {
    const out = await srv.cli(['user', 'create', 'nina', '--name', 'Nina Ny', '--role', 'familiepartner', '--team', 'Team Nord']);
    assert.match(out, /^Opprettet nina \(Nina Ny, familiepartner\) i team «Team Nord»\./);
    const oneTime = out.split('\n').find((l) => l.startsWith('Engangspassord: '))?.slice('Engangspassord: '.length);
    assert.ok(oneTime, out);
    const own = 'sola skinner over fjorden';

    const { page, context } = await device(br, TABLET);
    await page.goto(srv.url);
    await page.locator('input[name="username"]').fill('nina');
    await page.locator('input[name="password"]').fill(oneTime);
    await page.locator('input[name="device-name"]').fill('Nettbrett');
    await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await page.getByRole('heading', { name: 'Lag ditt eget passord' }).waitFor();
    assert.equal(await page.locator('nav[aria-label="Hovedmeny"]').count(), 0, 'nothing else before the new password');
    // Each mistake is said in words, and nothing is changed.
    await page.locator('input[name="current-password"]').fill(oneTime);
    await page.locator('input[name="new-password"]').fill('kort');
    await page.locator('input[name="repeat-password"]').fill('kort');
    await page.getByRole('button', { name: 'Lagre det nye passordet' }).click();
    await page.getByRole('alert').getByText(/minst 12 tegn/).waitFor();
    await page.locator('input[name="new-password"]').fill(own);
    await page.locator('input[name="repeat-password"]').fill(`${own}!`);
    await page.getByRole('button', { name: 'Lagre det nye passordet' }).click();
    await page.getByRole('alert').getByText('De to nye passordene er ikke like.', { exact: false }).waitFor();
    await page.locator('input[name="repeat-password"]').fill(own);
    await shot(page, 'tablet-1024x768-first-password');
    await page.getByRole('button', { name: 'Lagre det nye passordet' }).click();
    await page.getByRole('heading', { name: 'Familier' }).waitFor();
    await waitSynced(page);
    await waitForOfflineShell(page);

    // The one-time password is gone on the server; the new one opens the data offline.
    assert.equal((await fetch(`${srv.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nina', password: oneTime, device_name: 'x' }),
    })).status, 401);
    await context.setOffline(true);
    await page.reload();
    await unlock(page, oneTime);
    await page.getByText('Feil passord.').waitFor();
    await unlock(page, own);
    await page.getByRole('heading', { name: 'Familier' }).waitFor();
    await page.waitForSelector('.sync[data-sync="offline"]', { timeout: 2000 });
    assert.match(await page.locator('.sync-text').innerText(), /Frakoblet/);
    // And the user can change it again from «Enheter» (online).
    await context.setOffline(false);
    await page.getByTestId('user-menu').click();
    await page.getByRole('heading', { name: 'Bytt passord' }).waitFor();
    await shot(page, 'tablet-1024x768-devices-change-password');
  });
});

describe('a first run with something to see: the demo', () => {
  let srv;
  let br;
  const DEMO_PASSWORD = 'prøv duken med øvingsdata';
  const DEMO_FAMILY = 'Familien Demo (øvingsdata)';

  before(async () => {
    srv = await Server.create();
    await srv.start();
    br = await launchBrowser();
  });

  after(async () => {
    await br?.close();
    await srv?.stop();
  });

  it('fills an empty database with the case family, seen filled in by the partner and the team leader', async () => {
    const said = await srv.cli(['demo']);
    assert.match(said, /Demodata lagt inn .*Familien Demo \(øvingsdata\)/);
    assert.match(said, /Dette er øvingsdata\./);
    // Never twice, never into a database with users.
    await assert.rejects(srv.cli(['demo']), /databasen har allerede brukere/);

    const { page } = await device(br, TABLET);
    await page.goto(srv.url);
    await logIn(page, 'kari', 'Nettbrett', DEMO_PASSWORD);
    await waitSynced(page);
    const card = page.locator('.family-card', { hasText: DEMO_FAMILY });
    assert.match(await card.innerText(), /Avslutningsfase/);
    assert.ok(await page.getByTestId('this-week').locator('li').count() > 0, 'Denne uken has something');
    await shot(page, 'tablet-1024x768-demo-start');
    await card.locator('a').first().click();
    await page.getByTestId('family-name').waitFor();
    assert.equal(await page.locator('.meeting-card').count(), 3, 'the three latest meetings');
    assert.match(await page.getByRole('button', { name: /Vis alle møter/ }).innerText(), /\(14\)/);
    await page.locator('.cards.cloths a').first().click();
    await page.locator('[data-testid="note"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="note"]').count(), 6);
    await page.getByTestId('crumbs').getByRole('link', { name: DEMO_FAMILY }).click();
    await page.getByRole('link', { name: 'Arbeidsplan', exact: true }).click();
    // The plans screen comes from its chunk on first use: count once it is there.
    await page.getByTestId('plans').locator('li').first().waitFor();
    assert.equal(await page.getByTestId('plans').locator('li').count(), 3);
    await shot(page, 'tablet-1024x768-demo-plans');

    const tv = await device(br, { width: 1920, height: 1080 });
    await tv.page.goto(srv.url);
    await logIn(tv.page, 'tone', 'Møterom', DEMO_PASSWORD);
    await waitSynced(tv.page);
    await tv.page.locator('.family-card', { hasText: DEMO_FAMILY }).waitFor();
    await shot(tv.page, 'tv-1920x1080-demo-team-leader');
  });
});
