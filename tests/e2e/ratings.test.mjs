// Rating forms: four family members rate privately on the tablet at the start and after three
// months while offline, the partner adds their own view, a changed answer keeps its history,
// everything syncs, and a second device's charts show both rounds. Then the child's form at
// phone size, and a team leader's edited form that leaves old answers as they were.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARTIFACTS, PASSWORD, PHONE, Server, TABLET, device, launchBrowser, logIn, unlock, waitForOfflineShell,
  waitSynced,
} from './harness.mjs';

let server;
let browser;
let tablet;

const DESKTOP = { width: 1280, height: 900 };
const FAMILY = 'Familien Dahl';
const PEOPLE = [
  { name: 'Lise', role: 'parent', year: '1988' },
  { name: 'Tor', role: 'parent', year: '1985' },
  { name: 'Emma', role: 'child', year: '2015' },
  { name: 'Lille', role: 'child', year: '2020' },
];

/** Intake about four months ago: the family is in the work phase. */
const INTAKE = (() => {
  const d = new Date();
  d.setMonth(d.getMonth() - 4);
  return d.toISOString().slice(0, 10);
})();

/** Scores someone gives: deterministic, different per person and round. */
function scoresFor(person, round, keys, max) {
  const out = {};
  keys.forEach((k, i) => {
    const base = (i * 3 + person.name.length + (round === 'start' ? 0 : 2)) % max;
    out[k] = base + 1;
  });
  return out;
}

/** What the round's answers were, per person: { name: { key: score } }. */
const given = { start: {}, m3: {} };

async function newFamily(page) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.getByRole('link', { name: 'Ny familie' }).click();
  await page.locator('input[name="family-name"]').fill(FAMILY);
  await page.locator('input[name="start-date"]').fill(INTAKE);
  for (const p of PEOPLE) {
    await page.getByRole('button', { name: 'Legg til person' }).click();
    const row = page.locator('.member-row').last();
    await row.locator('input[name="member-name"]').fill(p.name);
    await row.locator('select[name="member-role"]').selectOption(p.role);
    await row.locator('input[name="member-birth-year"]').fill(p.year);
  }
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await page.getByTestId('family-name').waitFor();
}

async function openFamily(page) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.locator('.family-card').getByRole('link', { name: new RegExp(FAMILY) }).click();
  await page.getByTestId('family-name').waitFor();
}

async function openRatings(page) {
  await openFamily(page);
  await page.getByRole('link', { name: 'Rangering og fremgang' }).click();
  await page.getByRole('heading', { name: 'Rangering og fremgang' }).waitFor();
}

async function startRound(page, label) {
  await openRatings(page);
  const select = page.locator('select[name="round-point"]');
  assert.equal(await select.locator('option:checked').textContent(), label, 'the next round is offered');
  await page.getByRole('button', { name: 'Start runde' }).click();
  await page.getByRole('heading', { name: `Rangering: ${label}` }).waitFor();
}

/** Answers every question of the open form with `scores` (key → score); returns the keys. */
async function answer(page, scores) {
  const items = page.locator('.answer-form .rating-item');
  const keys = await items.evaluateAll((els) => els.map((e) => e.dataset.item));
  for (const k of keys) {
    if (scores[k] === undefined) continue;
    const step = page.locator(`.rating-item[data-item="${k}"] button[data-score="${scores[k]}"]`);
    await step.click();
    await page.waitForSelector(`.rating-item[data-item="${k}"] button[data-score="${scores[k]}"][aria-checked="true"]`);
  }
  return keys;
}

/** The private form for `person`: checks that nobody else's answers are there, answers, done. */
async function rateAs(page, person, round, checkPrivacy) {
  await page.getByRole('heading', { name: `Hei, ${person.name}!` }).waitFor();
  assert.equal(await page.locator('nav[aria-label="Hovedmeny"]').count(), 0, 'no menu on the handed-over tablet');
  await page.locator('.answer-form').waitFor();
  assert.equal(await page.locator('.answer-form [aria-checked="true"]').count(), 0, 'an empty form, no one else\'s answers');
  if (checkPrivacy) {
    const html = await page.content();
    assert.ok(!html.includes(checkPrivacy), 'another person\'s comment is not on the page');
  }
  const keys = await page.locator('.answer-form .rating-item').evaluateAll((els) => els.map((e) => e.dataset.item));
  const max = Number(await page.locator('.answer-form .rating-item').first().locator('button[data-score]').last().getAttribute('data-score'));
  const scores = scoresFor(person, round, keys, max);
  await answer(page, scores);
  if (person.name === 'Tor' && round === 'start') {
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-adult-rating-form.png` });
  }
  given[round][person.name] = scores;
  if (person.name === 'Lise' && round === 'start') {
    const box = page.locator('textarea[name="comment-economy"]');
    await box.fill('Strammere enn før, men vi klarer oss');
    await box.blur();
  }
  await page.getByTestId('answered').filter({ hasText: `Svart på ${keys.length} av ${keys.length}` }).waitFor();
  await page.getByRole('button', { name: 'Ferdig', exact: true }).click();
  await page.getByRole('heading', { name: `Takk, ${person.name}!` }).waitFor();
}

/** Everyone in turn, passing the tablet on, then back to the partner (password). */
async function wholeRound(page, round) {
  await page.getByRole('button', { name: `Gi nettbrettet til ${PEOPLE[0].name}` }).click();
  for (let i = 0; i < PEOPLE.length; i += 1) {
    await rateAs(page, PEOPLE[i], round, i > 0 && round === 'start' ? 'Strammere enn før' : null);
    if (i + 1 < PEOPLE.length) {
      await page.getByRole('button', { name: `Gi videre til ${PEOPLE[i + 1].name}` }).click();
    }
  }
  assert.equal(await page.getByRole('button', { name: /Gi videre til/ }).count(), 0, 'no one left');
  await page.getByRole('button', { name: 'Tilbake til familiepartneren (krever passord)' }).click();
  await page.locator('input[name="unlock-password"]').waitFor();
  await unlock(page);
  await page.getByTestId('round-progress').filter({ hasText: '4 av 4 har svart.' }).waitFor();
}

describe('rating forms', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', PASSWORD, 'Team Nord');
    await server.createUser('leder', 'teamleder', PASSWORD, 'Team Nord');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('four members rate at the start and after 3 months offline; after sync the charts show both rounds', async () => {
    tablet = await device(browser, TABLET);
    const { page, context } = tablet;
    await page.goto(server.url);
    await logIn(page, 'kari', 'Nettbrett');
    await waitForOfflineShell(page);
    await newFamily(page);
    // The family's clock: where it is now and what comes next, the 6-month round among it.
    assert.equal(await page.locator('.phase-span.current strong').textContent(), 'Arbeidsfase');
    assert.equal(await page.getByTestId('next-due').locator('li').count(), 5);
    await page.getByTestId('next-due').getByText('Rangeringsrunde: etter 6 måneder').waitFor();
    await waitSynced(page);
    await context.setOffline(true);

    await startRound(page, 'Oppstart');
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-rating-round.png`, fullPage: true });
    await page.getByRole('button', { name: `Gi nettbrettet til ${PEOPLE[0].name}` }).waitFor();
    await wholeRound(page, 'start');

    // The partner's own view of Emma, kept beside hers.
    await page.locator('.round-member[data-member="Emma"]').getByRole('link', { name: 'Din vurdering' }).click();
    await page.getByRole('heading', { name: 'Din vurdering av Emma' }).waitFor();
    const partnerView = { home: 2, school: 5, friends: 4, mum: 2, dad: 3, self: 2 };
    await answer(page, partnerView);
    await page.getByRole('button', { name: 'Ferdig', exact: true }).click();
    await page.getByRole('heading', { name: 'Rangering: Oppstart' }).waitFor();
    await page.locator('.round-member[data-member="Emma"]').getByText('Din vurdering er levert.').waitFor();

    // A new round: everyone is missing, on the family page and in the start screen's due list.
    await startRound(page, 'Etter 3 måneder');
    await openFamily(page);
    assert.equal(await page.getByTestId('rating-missing').textContent(), 'Har ikke svart: Tor, Lise, Emma, Lille');
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
    const due = page.getByRole('region', { name: 'Må gjøres' });
    await due.getByText(/rangering etter 3 måneder – har ikke svart: Tor, Lise, Emma, Lille/).waitFor();
    await due.getByRole('link', { name: new RegExp(FAMILY) }).click();
    await page.getByRole('heading', { name: 'Rangering: Etter 3 måneder' }).waitFor();
    await wholeRound(page, 'm3');

    // Lise changes a submitted answer: the new one counts, the old one is kept.
    const old = given.m3.Lise.routines;
    const changed = old === 10 ? 9 : old + 1;
    await page.getByRole('button', { name: 'La Lise endre svarene' }).click();
    await page.getByRole('heading', { name: 'Hei, Lise!' }).waitFor();
    await page.locator(`.rating-item[data-item="routines"] button[data-score="${old}"][aria-checked="true"]`).waitFor();
    await page.locator(`.rating-item[data-item="routines"] button[data-score="${changed}"]`).click();
    await page.locator(`.rating-item[data-item="routines"] button[data-score="${changed}"][aria-checked="true"]`).waitFor();
    given.m3.Lise.routines = changed;
    await page.getByRole('button', { name: 'Ferdig', exact: true }).click();
    await page.getByRole('button', { name: 'Tilbake til familiepartneren (krever passord)' }).click();
    await unlock(page);
    await page.getByTestId('round-progress').waitFor();

    // Back online: all of it goes to the server.
    await context.setOffline(false);
    await waitSynced(page);

    // A second device that never saw any of it.
    const pc = await device(browser, DESKTOP);
    await pc.page.goto(server.url);
    await logIn(pc.page, 'kari', 'PC på kontoret');
    await waitSynced(pc.page);
    await openRatings(pc.page);
    const lise = pc.page.locator('.member-progress[data-member="Lise"]');
    await lise.waitFor();
    const expect = (round, name) => {
      const s = given[round][name];
      return Object.keys(s).map((k) => `${k}=${s[k]}`).join(';');
    };
    for (const p of PEOPLE) {
      const section = pc.page.locator(`.member-progress[data-member="${p.name}"]`);
      for (const round of ['start', 'm3']) {
        const shape = section.locator(`svg.radar g.series[data-round="${round}"]`);
        assert.equal(await shape.getAttribute('data-scores'), expect(round, p.name), `${p.name}'s ${round} in the star chart`);
      }
      const first = Object.keys(given.start[p.name])[0];
      assert.equal(
        await section.locator(`.area-chart[data-area="${first}"]`).getAttribute('data-scores'),
        `${given.start[p.name][first]},${given.m3[p.name][first]}`,
        `${p.name}'s line for ${first}`,
      );
    }
    // The family chart overlays all four, one point per round.
    const family = pc.page.locator('.family-chart g.series');
    assert.equal(await family.count(), 4);
    for (const levels of await family.evaluateAll((gs) => gs.map((g) => g.dataset.levels))) {
      assert.match(levels, /^\d+,\d+$/);
    }
    // Areas that fell or stayed low are named, and match the data: an area that fell for Lise.
    const fell = Object.keys(given.m3.Lise).find((k) => given.m3.Lise[k] < given.start.Lise[k]);
    assert.ok(fell, 'the scores include an area that fell');
    assert.equal(await lise.locator(`.area-chart[data-area="${fell}"]`).getAttribute('class').then((c) => c.includes('attention')), true);
    await lise.getByTestId('attention').waitFor();
    // The changed answer keeps its history; the partner's view sits beside Emma's own.
    const row = lise.locator('details.answers[data-round="m3"] tr[data-item="routines"]');
    assert.equal((await row.locator('td.own').textContent()).trim().startsWith(String(changed)), true);
    assert.equal(await row.getByTestId('answer-history').textContent(), ` (før: ${old})`);
    const emma = pc.page.locator('.member-progress[data-member="Emma"]');
    await emma.locator('details.answers[data-round="start"] summary').click();
    const emmaHome = emma.locator('details.answers[data-round="start"] tr[data-item="home"]');
    assert.equal((await emmaHome.locator('td.own').textContent()).trim(), String(given.start.Emma.home));
    assert.equal((await emmaHome.locator('td.partner').textContent()).trim(), String(partnerView.home));
    await lise.locator('details.answers[data-round="start"] summary').click();
    await lise.getByText('«Strammere enn før, men vi klarer oss»').waitFor();
    await pc.page.screenshot({ path: `${ARTIFACTS}/desktop-1280x900-rating-progress.png`, fullPage: true });
    await pc.page.emulateMedia({ media: 'print' });
    await pc.page.screenshot({ path: `${ARTIFACTS}/print-rating-progress.png`, fullPage: true });
    await pc.context.close();
  });

  it('gives a child the faces form at phone size', async () => {
    const { page, context } = await device(browser, PHONE, { hasTouch: true, isMobile: true });
    await page.goto(server.url);
    await logIn(page, 'kari', 'Telefon');
    await waitSynced(page);
    await startRound(page, 'Etter 6 måneder');
    await page.getByRole('button', { name: 'Gi nettbrettet til Emma' }).click();
    await page.getByRole('heading', { name: 'Hei, Emma!' }).waitFor();
    await page.locator('.answer-form').waitFor();
    const items = page.locator('.answer-form .rating-item');
    assert.equal(await items.count(), 6, 'the child form has six questions');
    assert.equal(await page.locator('.answer-form').getAttribute('data-form'), 'barn');
    for (const item of await items.all()) {
      assert.equal(await item.locator('svg.face').count(), 5, 'five faces per question');
    }
    await page.getByText('Trykk på fjeset som passer best for deg. Ingen andre i familien ser svarene dine.').waitFor();
    // Fits the phone: no sideways scrolling, every face a big enough target.
    assert.ok(await page.evaluate((w) => document.documentElement.scrollWidth <= w, PHONE.width), 'no horizontal scroll');
    for (const box of await page.locator('.answer-form .rating-item').first().locator('button.step').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().toJSON()))) {
      assert.ok(box.width >= 44 && box.height >= 44, `face target ${box.width}×${box.height}`);
    }
    await page.locator('.rating-item[data-item="home"] button[aria-label="4: Bra"]').tap();
    await page.locator('.rating-item[data-item="home"] button[aria-label="4: Bra"][aria-checked="true"]').waitFor();
    await page.locator('.rating-item[data-item="school"] button[aria-label="2: Dårlig"]').tap();
    await page.screenshot({ path: `${ARTIFACTS}/phone-390x844-child-rating-form.png`, fullPage: true });
    // Four questions left: «Ferdig» points them out first; the next tap delivers anyway.
    await page.getByRole('button', { name: 'Ferdig', exact: true }).tap();
    await page.getByTestId('left-open').filter({ hasText: '4 spørsmål er ikke besvart' }).waitFor();
    assert.equal(await page.locator('.rating-item.unanswered').count(), 4, 'the four are marked');
    await page.getByRole('button', { name: 'Lever likevel', exact: true }).tap();
    await page.getByRole('heading', { name: 'Takk, Emma!' }).waitFor();
    await page.getByRole('button', { name: 'Tilbake til familiepartneren (krever passord)' }).tap();
    await unlock(page);
    await page.getByTestId('round-progress').filter({ hasText: '1 av 4 har svart.' }).waitFor();
    // The youngest does not answer this time; why is recorded, and she is not counted missing.
    const lille = page.locator('.round-member[data-member="Lille"]');
    // The partner's screens fit the phone too (no sideways scrolling, menu included).
    assert.ok(await page.evaluate((w) => document.documentElement.scrollWidth <= w, PHONE.width), 'round page: no horizontal scroll');
    await page.screenshot({ path: `${ARTIFACTS}/phone-390x844-rating-round.png` });
    await lille.getByText('Svarer ikke denne runden …').tap();
    await lille.getByRole('button', { name: 'Lagre grunnen' }).tap();
    await page.getByRole('alert').filter({ hasText: 'Skriv hvorfor Lille ikke svarer' }).waitFor();
    await lille.locator('input[name="skip-reason"]').fill('For ung til å svare med fjes ennå');
    await lille.getByRole('button', { name: 'Lagre grunnen' }).tap();
    await lille.getByTestId('member-status').filter({ hasText: 'Svarer ikke: For ung til å svare med fjes ennå' }).waitFor();
    assert.equal(await page.getByTestId('round-progress').textContent(), '1 av 4 har svart. 1 svarer ikke denne runden.');
    await openFamily(page);
    assert.equal(await page.getByTestId('rating-missing').textContent(), 'Har ikke svart: Tor, Lise');
    await waitSynced(page);
    await context.close();
  });

  it('a team leader edits a form; new rounds get it, old answers keep theirs', async () => {
    const lead = await device(browser, DESKTOP);
    await lead.page.goto(server.url);
    await logIn(lead.page, 'leder', 'Teamleders PC');
    await lead.page.getByRole('link', { name: 'Skjemaer' }).click();
    const adult = lead.page.locator('.form-card[data-form="voksen"]');
    await adult.getByRole('button', { name: 'Kopier og rediger' }).click();
    await lead.page.locator('input[name="form-name"]').fill('Voksenskjema Team Nord');
    const first = lead.page.locator('.item-row[data-item="routines"] input[name="item-label"]');
    assert.equal(await first.inputValue(), 'Daglige rutiner');
    await first.fill('Rutiner i hverdagen');
    await lead.page.locator('.item-row[data-item="housing"]').getByRole('button', { name: 'Fjern' }).click();
    await lead.page.locator('input[name="new-item"]').fill('Søvn og hvile');
    await lead.page.getByRole('button', { name: 'Legg til spørsmål' }).click();
    await lead.page.locator('.item-row[data-item="sovn-og-hvile"]').waitFor();
    await lead.page.screenshot({ path: `${ARTIFACTS}/desktop-1280x900-form-editor.png`, fullPage: true });
    // A bad scale is refused before anything is sent.
    await lead.page.locator('input[name="scale-max"]').fill('12');
    await lead.page.locator('input[name="scale-max"]').blur();
    await lead.page.getByRole('button', { name: 'Lagre skjemaet' }).click();
    await lead.page.getByRole('alert').filter({ hasText: 'skalaen må gå fra et lavere til et høyere tall' }).waitFor();
    await lead.page.locator('input[name="scale-max"]').fill('10');
    await lead.page.locator('input[name="scale-max"]').blur();
    await lead.page.getByRole('button', { name: 'Lagre skjemaet' }).click();
    await lead.page.getByRole('status').filter({ hasText: 'Lagret: Voksenskjema Team Nord, versjon 1.' }).waitFor();
    await lead.page.locator('.form-card[data-form="voksenskjema-team-nord"]').waitFor();
    await lead.context.close();

    // The tablet gets the team's form with its next sync after a start.
    const { page } = tablet;
    await page.reload();
    await unlock(page);
    await page.getByRole('link', { name: 'Skjemaer' }).click();
    await page.locator('.form-card[data-form="voksenskjema-team-nord"]').waitFor({ timeout: 30000 });
    assert.equal(await page.getByRole('button', { name: 'Kopier og rediger' }).count(), 0, 'a partner cannot edit forms');
    await openRatings(page);
    await page.getByRole('link', { name: /Etter 6 måneder/ }).first().click();
    await page.getByRole('heading', { name: 'Rangering: Etter 6 måneder' }).waitFor();
    const lise = page.locator('.round-member[data-member="Lise"]');
    assert.equal(await lise.locator('select[name="form"] option:checked').textContent(), 'Voksenskjema Team Nord (Voksne)');
    await lise.getByRole('button', { name: 'Gi nettbrettet til Lise' }).click();
    await page.getByRole('heading', { name: 'Hei, Lise!' }).waitFor();
    await page.locator('.rating-item[data-item="routines"] legend').filter({ hasText: 'Rutiner i hverdagen' }).waitFor();
    await page.locator('.rating-item[data-item="sovn-og-hvile"]').waitFor();
    assert.equal(await page.locator('.rating-item[data-item="housing"]').count(), 0);
    await answer(page, { routines: 6, 'sovn-og-hvile': 3, economy: 5 });
    // Three of the form's questions answered: the rest are pointed out before it is delivered.
    await page.getByRole('button', { name: 'Ferdig', exact: true }).click();
    const left = await page.locator('.rating-item').count() - 3;
    await page.getByTestId('left-open').filter({ hasText: `${left} spørsmål er ikke besvart` }).waitFor();
    await page.getByRole('button', { name: 'Lever likevel', exact: true }).click();
    await page.getByRole('heading', { name: 'Takk, Lise!' }).waitFor();
    await page.getByRole('button', { name: 'Tilbake til familiepartneren (krever passord)' }).click();
    await unlock(page);
    await page.getByTestId('round-progress').filter({ hasText: '2 av 4 har svart.' }).waitFor();

    // Old answers keep the questions they were given with.
    await openRatings(page);
    const section = page.locator('.member-progress[data-member="Lise"]');
    const start = section.locator('details.answers[data-round="start"]');
    await start.locator('summary').click();
    assert.equal(await start.locator('table.beside').getAttribute('data-form'), 'voksen');
    assert.equal(await start.locator('tr[data-item="routines"] th').textContent(), 'Daglige rutiner');
    assert.equal((await start.locator('tr[data-item="routines"] td.own').textContent()).trim(), String(given.start.Lise.routines));
    assert.equal(await start.locator('tr[data-item="housing"]').count(), 1, 'the removed question is still in the old answer');
    assert.equal(await start.locator('tr[data-item="sovn-og-hvile"]').count(), 0);
    const now = section.locator('details.answers[data-round="m6"]');
    assert.equal(await now.locator('table.beside').getAttribute('data-form'), 'voksenskjema-team-nord');
    assert.equal(await now.locator('tr[data-item="routines"] th').textContent(), 'Rutiner i hverdagen');
    // The star chart lines areas up by question across versions.
    const line = section.locator('.area-chart[data-area="routines"]');
    assert.equal(await line.getAttribute('data-scores'), `${given.start.Lise.routines},${given.m3.Lise.routines},6`);
    await waitSynced(page);
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-rating-progress.png`, fullPage: true });
  });
});
