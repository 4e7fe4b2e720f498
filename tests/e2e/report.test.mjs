// The 3-monthly report (issue 14), in a real Chromium against the real server, offline, then
// synced: a family three months in (meetings, two rating rounds, a child who does not answer,
// a worker-only concern); the draft shows exactly what was entered; the partner writes the
// sections, the family reads it on the shared screen and comments; finalised, it no longer
// follows the records; its PDF (the browser's print, read with pdftotext) holds the figures and
// the family's comment in nynorsk and nothing worker-only; a contact person on another device
// reads it and records an extension, and the partner's timeline moves; a case evaluation and the
// finished report tick their checkpoints.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  ARTIFACTS, PASSWORD, Server, TABLET, axeViolations, device, launchBrowser, logIn, unlock,
  waitForOfflineShell, waitSynced,
} from './harness.mjs';

const TV = { width: 1920, height: 1080 };
const FAMILY = 'Familien Moe';
const SECRET = 'HEMMELIG';

let server;
let browser;

async function shot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), [], `${name}: axe-core finds no critical, serious or moderate issue`);
}

/** A new day on the partner's tablet (a reload locks the app; the shell works offline). */
async function newDay(page, context, date) {
  await context.clock.setFixedTime(new Date(`${date}T10:00:00`));
  await page.goto(server.url);
  await unlock(page);
  await page.getByRole('heading', { name: 'Familier' }).waitFor();
}

async function openFamily(page) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.locator('.cards a', { hasText: FAMILY }).first().click();
  await page.getByTestId('family-name').filter({ hasText: FAMILY }).waitFor();
}

/** "Denne uken" as the partner reads it, one line per item. */
async function thisWeek(page) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.getByRole('heading', { name: 'Denne uken' }).waitFor();
  return page.locator('[data-testid="this-week"] li .what').allTextContents();
}

async function logMeeting(page, date, minutes, place, themes, interpreter) {
  await openFamily(page);
  await page.getByRole('link', { name: 'Logg møte' }).click();
  const form = page.locator('form.meeting-form');
  await form.locator('input[name="date"]').fill(date);
  // The form may offer a place already chosen (home): a tap on a chosen one clears it.
  const placeChip = form.locator(`[data-field="place"] button[data-code="${place}"]`);
  if ((await placeChip.getAttribute('aria-pressed')) !== 'true') await placeChip.click();
  if (themes.length) await form.locator('details.themes-fold summary').click();
  for (const t of themes) await form.locator(`[data-field="themes"] button[data-code="${t}"]`).click();
  // The usual lengths are chips; any other opens the minutes field under «Annen».
  if ([30, 45, 60, 90, 120].includes(minutes)) {
    await form.locator(`[data-field="duration"] button[data-code="${minutes}"]`).click();
  } else {
    await form.locator('[data-field="duration"] button[data-code="other"]').click();
    await form.locator('input[name="duration-minutes"]').fill(String(minutes));
  }
  if (interpreter) await form.locator('input[name="interpreter"]').check();
  await form.locator('textarea[name="note"]').fill(`${SECRET} møtenotat ${date}`);
  await form.getByRole('button', { name: 'Lagre møte' }).click();
  await page.getByText('Møtet er lagret på enheten.').waitFor();
}

/** Answers the open private form: `scores` by item key, `rest` for every other item. */
async function answerAll(page, scores, rest) {
  await page.locator('.answer-form .rating-item').first().waitFor();
  const keys = await page.locator('.answer-form .rating-item').evaluateAll((els) => els.map((e) => e.dataset.item));
  for (const k of keys) {
    const s = scores[k] ?? rest;
    await page.locator(`.rating-item[data-item="${k}"] button[data-score="${s}"]`).click();
    await page.waitForSelector(`.rating-item[data-item="${k}"] button[data-score="${s}"][aria-checked="true"]`);
  }
  await page.getByTestId('answered').filter({ hasText: `Svart på ${keys.length} av ${keys.length}` }).waitFor();
  await page.getByRole('button', { name: 'Ferdig', exact: true }).click();
}

/** A whole round: Lille does not answer (why is recorded), Siri and Emma answer in turn. */
async function round(page, label, siri, emma) {
  await openFamily(page);
  await page.getByRole('link', { name: 'Rangering og fremgang' }).click();
  await page.getByRole('heading', { name: 'Rangering og fremgang' }).waitFor();
  assert.equal(await page.locator('select[name="round-point"] option:checked').textContent(), label);
  await page.getByRole('button', { name: 'Start runde' }).click();
  await page.getByRole('heading', { name: `Rangering: ${label}` }).waitFor();
  const lille = page.locator('.round-member[data-member="Lille Moe"]');
  await lille.getByText('Svarer ikke denne runden …').click();
  await lille.locator('input[name="skip-reason"]').fill('For liten til å svare (1 år)');
  await lille.getByRole('button', { name: 'Lagre grunnen' }).click();
  await lille.getByTestId('member-status').filter({ hasText: 'Svarer ikke' }).waitFor();
  await page.getByRole('button', { name: 'Gi nettbrettet til Siri Moe' }).click();
  await page.getByRole('heading', { name: 'Hei, Siri!' }).waitFor();
  await answerAll(page, siri.scores, siri.rest);
  await page.getByRole('button', { name: 'Gi videre til Emma Moe' }).click();
  await page.getByRole('heading', { name: 'Hei, Emma!' }).waitFor();
  await answerAll(page, {}, emma);
  await page.getByRole('button', { name: 'Tilbake til familiepartneren (krever passord)' }).click();
  await unlock(page);
  await page.getByTestId('round-progress').filter({ hasText: '2 av 3 har svart.' }).waitFor();
}

describe('the 3-monthly report', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', PASSWORD, 'Team Nord');
    await server.createUser('kim', 'kontaktperson', PASSWORD);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('is drafted from the records offline, read with the family, finalised, printed and evaluated', async () => {
    const kari = await device(browser, TABLET);
    const { page, context } = kari;
    await context.clock.setFixedTime(new Date('2026-01-05T10:00:00'));
    await page.goto(server.url);
    await logIn(page, 'kari', 'Nettbrett');
    await waitForOfflineShell(page);
    await server.stop();

    // Intake day, offline: the family, its papers in nynorsk, the start round.
    await page.getByRole('link', { name: 'Ny familie' }).click();
    await page.locator('input[name="family-name"]').fill(FAMILY);
    await page.locator('input[name="start-date"]').fill('2026-01-05');
    await page.locator('[data-field="language"] button[data-code="nn"]').click();
    for (const [who, role, year] of [['Siri Moe', 'parent', '1988'], ['Emma Moe', 'child', '2016'], ['Lille Moe', 'child', '2025']]) {
      await page.getByRole('button', { name: 'Legg til person' }).click();
      const row = page.locator('.member-row').last();
      await row.locator('input[name="member-name"]').fill(who);
      await row.locator('select[name="member-role"]').selectOption(role);
      await row.locator('input[name="member-birth-year"]').fill(year);
    }
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByTestId('family-name').waitFor();
    const family = page.url().split('/familie/')[1];
    // Siri starts with routines at 6, economy and housing low at 2; Emma at 3 of 5 throughout.
    await round(page, 'Oppstart', { scores: { routines: 6, economy: 2, housing: 2 }, rest: 5 }, 3);

    // Three meetings (3 h 15 min), one with an interpreter; a worker-only concern.
    await logMeeting(page, '2026-01-07', 60, 'home', ['economy', 'routines']);
    await logMeeting(page, '2026-01-20', 90, 'home', ['economy']);
    await logMeeting(page, '2026-02-10', 45, 'school', ['school'], true);
    await openFamily(page);
    await page.getByRole('link', { name: 'Bekymringer' }).click();
    await page.locator('textarea[name="concern-what"]').fill(`${SECRET}: Emma fortalte om krangling om natta`);
    await page.locator('input[name="concern-to"]').fill('Kontaktperson Kim');
    await page.getByRole('button', { name: 'Lagre bekymringen' }).click();
    await page.getByText('Bekymringen er lagret på enheten.').waitFor();

    // Three months in: the 3-month round (economy rose, routines fell, housing stayed low).
    await newDay(page, context, '2026-03-30');
    await round(page, 'Etter 3 måneder', { scores: { routines: 3, economy: 7, housing: 2 }, rest: 5 }, 4);
    let week = await thisWeek(page);
    assert.ok(week.some((l) => l.includes('Rapport før evaluering 1')), week.join('\n'));
    assert.ok(week.some((l) => l.includes('Saksevaluering med kontaktpersonen (1. måned)')), week.join('\n'));

    // The draft, from the records: exactly what was entered.
    await openFamily(page);
    await page.getByRole('link', { name: 'Rapporter' }).click();
    await page.locator('[data-evaluation="1"]').getByRole('button', { name: 'Start rapporten' }).click();
    await page.waitForURL(/\/rapport\/[0-9a-f-]{36}$/);
    const doc = page.locator('.report-document');
    await doc.getByTestId('report-meetings').filter({ hasText: '3 møte, 3 t 15 min' }).waitFor();
    assert.equal(await doc.getByTestId('report-period').textContent(), '05.01.2026 – 04.04.2026');
    assert.equal(await doc.getByTestId('report-places').textContent(), 'Heime (2), Skule / barnehage (1)');
    assert.equal(await doc.getByTestId('report-themes').textContent(),
      'Økonomi og budsjett (2), Rutinar og vekeplan (1), Skule / barnehage (1)');
    const siri = doc.locator('.person-facts[data-person="Siri Moe"]');
    const siriText = await siri.innerText();
    assert.match(siriText, /Oppstart \(05\.01\.2026\) → Etter 3 månader \(30\.03\.2026\)/);
    assert.match(siriText, /Gjekk opp\s+Økonomi: 2 → 7 av 10/);
    assert.match(siriText, /Gjekk ned\s+Daglige rutiner: 6 → 3 av 10/);
    assert.match(siriText, /Framleis lågt\s+Bolig: 2 → 2 av 10/);
    assert.match(siriText, /15 område uendra/);
    const emma = await doc.locator('.person-facts[data-person="Emma Moe"]').innerText();
    assert.match(emma, /Eigne svar Etter 3 månader \(30\.03\.2026\)/);
    assert.match(emma, /Hvordan har du det hjemme\?: 4 av 5/);
    const lille = await doc.locator('.person-facts[data-person="Lille Moe"]').innerText();
    assert.match(lille, /Svarte ikkje Etter 3 månader \(30\.03\.2026\): For liten til å svare \(1 år\)/);
    assert.ok(!(await doc.innerText()).includes(SECRET), 'no worker-only text in the report');

    // The partner writes the sections.
    const texts = {
      situation: 'Familien har faste rutinar om morgonen no.',
      progress: 'Økonomien er betre etter budsjettet vi laga saman.',
      still_hard: 'Kveldane er framleis vanskelege.',
      children: 'Emma seier at ho har det betre heime.',
      services: 'Skulen er med på laget.',
      ahead: 'Vi arbeider vidare med kveldsrutinar.',
    };
    for (const [key, text] of Object.entries(texts)) {
      await page.locator(`textarea[name="section.${key}"]`).fill(text);
    }
    await page.getByRole('button', { name: 'Lagre teksten' }).click();
    await page.getByText('Teksten er lagret på enheten.').waitFor();
    // Not yet read with the family: it cannot be finalised.
    await page.getByRole('button', { name: 'Ferdigstill rapporten' }).click();
    await page.getByRole('alert').filter({ hasText: 'Les rapporten med familien og skriv inn datoen' }).waitFor();

    // The family reads it on the shared screen: no menu, nothing worker-only.
    await page.getByRole('button', { name: 'Les med familien på delt skjerm' }).click();
    const shared = page.locator('.family-view .report-document');
    await shared.getByTestId('report-meetings').filter({ hasText: '3 møte' }).waitFor();
    assert.equal(await page.locator('nav[aria-label="Hovedmeny"]').count(), 0, 'no menu on the shared screen');
    assert.ok(!(await page.content()).includes(SECRET), 'no worker-only text on the shared screen');
    assert.match(await shared.innerText(), /Økonomien er betre etter budsjettet/);
    await shot(page, 'tablet-1024x768-report-shared-screen');
    // Back to the family's own start page (a chunk of its own), which opens the report again.
    await page.getByRole('button', { name: '← Tilbake' }).click();
    const start = page.locator('.family-view');
    await start.getByRole('heading', { name: 'Rapportene våre' }).waitFor();
    await start.getByRole('heading', { name: 'Familien Moe' }).waitFor();
    await shot(page, 'tablet-1024x768-shared-screen-start');
    await start.getByRole('button', { name: 'Rapport før evaluering 1' }).click();
    await shared.getByTestId('report-meetings').filter({ hasText: '3 møte' }).waitFor();
    await page.getByRole('button', { name: 'Avslutt familievisning' }).click();
    await page.getByRole('button', { name: 'Trykk igjen for å avslutte' }).click();

    // Their comment, then finalised.
    await page.locator('input[name="read-present"][value="Siri Moe"]').check();
    await page.locator('input[name="read-present"][value="Emma Moe"]').check();
    await page.locator('textarea[name="family-comment"]').fill('Vi kjenner oss att i rapporten, men kveldane er verre enn det står.');
    await page.locator('[data-field="agrees"] button[data-code="partly"]').click();
    await page.getByRole('button', { name: 'Lagre lesingen' }).click();
    await page.getByText('Lesingen med familien er lagret på enheten.').waitFor();
    await page.getByRole('button', { name: 'Ferdigstill rapporten' }).click();
    await page.getByText('Rapporten er ferdigstilt.').waitFor();
    await doc.getByTestId('report-status').filter({ hasText: 'Ferdigstilt 30.03.2026 · versjon 1' }).waitFor();
    await shot(page, 'tablet-1024x768-report');

    // A meeting logged after it, inside its period: the finished report does not change.
    await logMeeting(page, '2026-03-31', 60, 'home', ['economy']);
    await openFamily(page);
    await page.getByRole('link', { name: 'Rapporter' }).click();
    await page.locator('[data-evaluation="1"]').getByRole('link', { name: 'Åpne rapporten' }).click();
    await doc.getByTestId('report-meetings').waitFor();
    assert.equal(await doc.getByTestId('report-meetings').textContent(), '3 møte, 3 t 15 min');
    week = await thisWeek(page);
    assert.ok(!week.some((l) => l.includes('Rapport før evaluering 1')), 'the report ticked itself');

    // Its paper, printed to PDF by the browser (offline): A4, nynorsk, the figures and the
    // family's comment, nothing worker-only.
    await openFamily(page);
    await page.getByRole('link', { name: 'Familiens papirer' }).click();
    await page.getByRole('heading', { name: 'Familiens papirer' }).waitFor();
    const papers = await page.locator('[data-testid="papers"] .paper-card').allInnerTexts();
    assert.ok(papers.some((p) => p.startsWith('Rapport før evaluering 1')), papers.join('\n'));
    assert.ok(papers.some((p) => p.startsWith('Svara til Emma Moe') && p.includes('Berre til Emma Moe')), papers.join('\n'));
    assert.ok(!papers.some((p) => p.includes('Lille Moe')), 'no answers, no paper of answers');
    await shot(page, 'tablet-1024x768-family-papers');
    await page.getByRole('link', { name: 'Rapport før evaluering 1' }).click();
    await page.getByRole('button', { name: 'Skriv ut eller lagre som PDF' }).waitFor();
    const pdf = join(ARTIFACTS, 'report-evaluation-1.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.match(info, /Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/, info);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const want of ['Familien Moe', 'Rapport før evaluering 1', '3 møte, 3 t 15 min', 'Økonomi: 2 → 7 av 10',
      'For liten til å svare (1 år)', 'Kommentaren til familien', 'kveldane er verre enn det står',
      'Ferdigstilt 30.03.2026', 'Delvis samd']) {
      assert.ok(text.replace(/\s+/g, ' ').includes(want), `the PDF says «${want}»:\n${text}`);
    }
    assert.ok(!text.includes(SECRET), 'no worker-only note in the PDF');
    assert.ok(!text.includes('Denne uken') && !text.includes('Synkroniser'), 'no app screen in the PDF');
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, join(ARTIFACTS, 'pdf-a4-report-page-1')]);

    // Back online: synced.
    await server.start();
    await page.locator('.sync-text').click();
    await waitSynced(page);
    await server.cli(['grant', family, 'kim']);

    // The contact person on their own computer: reads it, records the evaluation (an extension,
    // refused without a reason) and the first month's case evaluation.
    const kim = await device(browser, TV);
    await kim.context.clock.setFixedTime(new Date('2026-04-05T10:00:00'));
    await kim.page.goto(server.url);
    await logIn(kim.page, 'kim', 'Kontoret');
    await kim.page.locator('.cards a', { hasText: FAMILY }).first().click();
    await kim.page.getByRole('link', { name: 'Rapporter' }).click();
    await kim.page.getByRole('link', { name: 'Åpne rapporten' }).click();
    const kimDoc = kim.page.locator('.report-document');
    await kimDoc.getByTestId('report-family-comment').filter({ hasText: 'kveldane er verre' }).waitFor();
    assert.equal(await kim.page.locator('textarea[name^="section."]').count(), 0, 'no editing a finished report');
    assert.equal(await kim.page.getByRole('button', { name: 'Lag rettet versjon' }).count(), 0, 'no correction for a reader');
    await kim.page.locator('input[name="evaluation-present"][value="Siri Moe"]').check();
    await kim.page.locator('input[name="evaluation-others"]').fill('Kontaktperson Kim, familiepartner Kari');
    await kim.page.locator('[data-field="decision"] button[data-code="extend"]').click();
    await kim.page.getByRole('button', { name: 'Lagre evalueringen' }).click();
    await kim.page.getByRole('alert').filter({ hasText: 'Skriv begrunnelsen for beslutningen «Forlenge med 3 måneder»' }).waitFor();
    await kim.page.locator('textarea[name="evaluation-reason"]').fill('Kveldsrutinane treng meir tid.');
    await kim.page.getByRole('button', { name: 'Lagre evalueringen' }).click();
    await kim.page.getByText('Evalueringen er lagret på enheten.').waitFor();
    await shot(kim.page, 'tv-1920x1080-contact-person-evaluation');
    await kim.page.locator('.meta a').first().click();
    await kim.page.getByRole('link', { name: 'Saksevalueringer' }).click();
    await kim.page.locator('input[name="case-date"]').fill('2026-02-05');
    assert.equal(await kim.page.locator('select[name="case-month"]').inputValue(), '1');
    await kim.page.locator('textarea[name="case-agreed"]').fill('Familiepartneren kontaktar skulen.');
    await kim.page.getByRole('button', { name: 'Lagre saksevalueringen' }).click();
    await kim.page.getByText('Saksevalueringen er lagret på enheten').waitFor();
    assert.equal(await kim.page.getByRole('link', { name: 'Bekymringer' }).count(), 0, 'concerns are the partner\'s');
    await waitSynced(kim.page);

    // The partner's tablet: the timeline moved (work phase to 9 months), the case evaluation of
    // month 1 ticked itself.
    await page.locator('.sync-text').click();
    await waitSynced(page);
    await openFamily(page);
    await page.locator('.timeline').filter({ hasText: 'Arbeidsfase 05.04.2026 – 04.10.2026' }).waitFor();
    assert.match(await page.locator('.timeline').innerText(), /Avslutningsfase 05\.10\.2026 – 04\.01\.2027/);
    week = await thisWeek(page);
    assert.ok(!week.some((l) => l.includes('(1. måned)')), week.join('\n'));
    assert.ok(week.some((l) => l.includes('(2. måned)')), 'month 2 is still due');
    await kim.context.close();
    await kari.context.close();
  });
});
