// The intervention's clock, end to end, on a tablet that is offline the whole time: a family
// from its intake (topics, three home visits with the 10-day warning, each parent's consent,
// services) through a work plan made from a cloth's agreements (also on the shared screen), a
// plan evaluated and the next one started from it, an extension with its reason, a withdrawn
// consent, into the closing phase. "Denne uken" on the start screen is read at each step: due
// items appear, and disappear when the work is recorded. The browser's clock is set to each
// day (Playwright's clock); the server is real. Online at last, a second device gets it all.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARTIFACTS, PASSWORD, PHONE, Server, TABLET, device, launchBrowser, logIn, unlock, waitForOfflineShell,
  waitSynced,
} from './harness.mjs';

const DESKTOP = { width: 1280, height: 900 };
const FAMILY = 'Familien Berg';
const INTAKE = '2026-01-05';
const PEOPLE = [
  { name: 'Kari', role: 'parent', year: '1986' },
  { name: 'Ola', role: 'parent', year: '1984' },
  { name: 'Emma', role: 'child', year: '2016' },
];

let server;
let browser;

/** A new day: the partner opens the app (it is locked after a reload) on `date`. */
async function newDay(page, context, date) {
  await context.clock.setFixedTime(new Date(`${date}T10:00:00`));
  await page.goto(server.url);
  await unlock(page);
  await page.getByRole('heading', { name: 'Familier' }).waitFor();
}

/**
 * "Denne uken" as the partner reads it: "[Frist] date [Forfalt|I dag] family: what", one line
 * per item (a checkpoint's date is its deadline, «Frist»; a visit's is its day).
 */
async function thisWeek(page) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.getByRole('heading', { name: 'Denne uken' }).waitFor();
  return page.locator('[data-testid="this-week"] li').evaluateAll((lis) => lis.map((li) => [
    li.querySelector('.date').textContent,
    li.querySelector('.badge')?.textContent ?? '',
    li.querySelector('.what').textContent,
  ].filter(Boolean).join(' ')));
}

/**
 * Runs an edit and waits until it is on the device's disk (the outbox count grows; the page is
 * offline, so nothing leaves it). The app shows an edit before its write completes, so a test
 * that reloads right after a tap must wait for this.
 */
async function onDisk(page, edit) {
  const before = Number(await page.locator('.sync').getAttribute('data-waiting'));
  await edit();
  await page.waitForFunction((n) => Number(document.querySelector('.sync')?.dataset.waiting) > n, before);
}

function has(lines, text) {
  return lines.some((l) => l.includes(text));
}

async function openFamily(page) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.locator('.family-card').getByRole('link', { name: new RegExp(FAMILY) }).click();
  await page.getByTestId('family-name').waitFor();
}

async function openPlan(page, title) {
  await openFamily(page);
  await page.getByRole('link', { name: 'Arbeidsplan', exact: true }).click();
  await page.getByTestId('plans').getByRole('link', { name: new RegExp(title) }).click();
  await page.getByTestId('plan').waitFor();
}

describe('the timeline, intake and work plan', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', PASSWORD, 'Team Vest');
    await server.createUser('per', 'familiepartner', PASSWORD, 'Team Sør');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('follows a family from intake through an extension to closing offline, then syncs', async () => {
    const { page, context } = await device(browser, TABLET);
    await context.clock.setFixedTime(new Date(`${INTAKE}T10:00:00`));
    await page.goto(server.url);
    await logIn(page, 'kari', 'Nettbrett');
    await waitForOfflineShell(page);
    await context.setOffline(true);

    // Intake day: the family is registered with its intake date.
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
    assert.equal(await page.locator('.phase-span.current strong').textContent(), 'Oppstartsfase');

    let week = await thisWeek(page);
    assert.deepEqual(week, [
      // Due by the end of the start meetings (10 days), not overdue the morning after.
      `Frist 15.01.2026 ${FAMILY}: Arbeidsplan for periode 1`,
      `Frist 15.01.2026 ${FAMILY}: Avtal de tre første hjemmebesøkene`,
      `Frist 15.01.2026 ${FAMILY}: Rangeringsrunde: oppstart`,
    ]);

    // The intake: topics, three visits (one after day 10 is warned about), consents, services.
    await openFamily(page);
    await page.getByRole('link', { name: 'Inntakssamtale' }).click();
    await page.getByRole('heading', { name: 'Inntakssamtale' }).waitFor();
    const topics = page.locator('[data-field="intake-topics"]');
    await topics.getByRole('button', { name: /Informasjon om tiltaket/ }).click();
    await topics.getByRole('button', { name: /Samtykke til samarbeid/ }).click();
    await page.locator('textarea[name="intake-note"]').fill('Familien har hatt hjelp før og vil prøve igjen.');
    await page.locator('textarea[name="intake-note"]').blur();
    for (const [date, time] of [['2026-01-07', '17:30'], ['2026-01-09', ''], ['2026-01-16', '']]) {
      await page.locator('input[name="visit-date"]').fill(date);
      if (time) await page.locator('input[name="visit-time"]').fill(time);
      // Said while the date is chosen, before booking.
      assert.equal(await page.getByTestId('visit-date-warning').count(), date === '2026-01-16' ? 1 : 0, date);
      await page.getByRole('button', { name: 'Avtal besøk' }).click();
    }
    const late = page.getByTestId('visits').locator('li').filter({ hasText: '16.01.2026' });
    await late.getByText('Etter dag 10: de tre første hjemmebesøkene skal være innen 15.01.2026.').waitFor();
    await page.getByRole('button', { name: 'Avtal besøk' }).click();
    await page.getByText('Velg en dato for besøket.').waitFor();
    await late.getByRole('button', { name: 'Fjern' }).click();
    await page.locator('input[name="visit-date"]').fill('2026-01-14');
    await page.getByRole('button', { name: 'Avtal besøk' }).click();
    await page.getByTestId('visit-count').getByText('3 besøk avtalt.').waitFor();
    assert.equal(await page.getByTestId('visits').locator('.warning').count(), 0);
    assert.equal(await page.getByTestId('visits').locator('li').first().textContent().then((t) => t.includes('kl. 17:30')), true);

    await page.getByRole('button', { name: 'Registrer samtykke' }).click();
    await page.getByText('Velg hvem som gir samtykket.').waitFor();
    for (const parent of ['Kari', 'Ola']) {
      await page.locator('[data-field="consent-member"]').getByRole('button', { name: parent }).click();
      await page.locator('input[name="consent-services"]').fill('skolen, helsestasjonen');
      await page.getByRole('button', { name: 'Registrer samtykke' }).click();
      await page.getByTestId('consents').locator(`li[data-member="${parent}"]`).waitFor();
    }
    assert.match(await page.getByTestId('consents').locator('li[data-member="Ola"]').textContent(),
      /Samarbeide med andre instanser, dele informasjon \(skolen, helsestasjonen\) · gitt 05\.01\.2026 · gjelder/);

    const serviceForm = page.getByTestId('service-form');
    await serviceForm.getByRole('button', { name: 'Legg til tjeneste' }).click();
    await page.getByText('Velg hvilken tjeneste det er.').waitFor();
    await serviceForm.locator('[data-field="service-category"]').getByRole('button', { name: 'Skole' }).click();
    await serviceForm.locator('input[name="contact-name"]').fill('Solbakken skole');
    await serviceForm.locator('input[name="contact-reach"]').fill('Kontaktlærer Nina, 900 00 000');
    await serviceForm.locator('textarea[name="contact-experience"]').fill('God dialog med kontaktlæreren');
    await serviceForm.getByRole('button', { name: 'Legg til tjeneste' }).click();
    await page.getByTestId('services').locator('[data-name="Solbakken skole"]').getByText('Familiens erfaring: God dialog med kontaktlæreren').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-intake.png`, fullPage: true });

    // The network, and Emma's own wishes about her school.
    await page.getByRole('link', { name: 'Nettverk og tjenester, barnas ønsker' }).click();
    const personForm = page.getByTestId('person-form');
    await personForm.locator('input[name="contact-name"]').fill('Liv');
    await personForm.locator('input[name="contact-relation"]').fill('Mormor');
    await personForm.locator('input[name="contact-trusted"]').check();
    await personForm.locator('input[name="contact-reach"]').fill('Telefon 911 11 111');
    await personForm.getByRole('button', { name: 'Legg til person' }).click();
    await page.getByTestId('people').locator('[data-name="Liv"]').getByText('Tillitsperson').waitFor();
    // A number changes: the service is edited in place.
    const school = page.getByTestId('services').locator('[data-name="Solbakken skole"]');
    await school.getByRole('button', { name: 'Rediger' }).click();
    const schoolEdit = page.getByTestId('contact-edit');
    await schoolEdit.locator('input[name="contact-reach"]').fill('Kontaktlærer Nina, 900 00 001');
    await schoolEdit.getByRole('button', { name: 'Lagre', exact: true }).click();
    await school.locator('.meta').getByText('Involvert: nå · Kontakt: Kontaktlærer Nina, 900 00 001').waitFor();
    const wish = page.locator('[data-child="Emma"] textarea[data-service="Solbakken skole"]');
    await wish.fill('Vil at læreren skal vite når jeg er lei meg');
    await wish.blur();

    // The booking is done; this week's two visits are due instead.
    week = await thisWeek(page);
    assert.ok(!has(week, 'Avtal de tre første'), week.join('\n'));
    assert.ok(has(week, '07.01.2026 Familien Berg: Hjemmebesøk kl. 17:30'), week.join('\n'));
    assert.ok(has(week, '09.01.2026 Familien Berg: Hjemmebesøk'), week.join('\n'));
    assert.ok(!has(week, '14.01.2026'), 'the third visit is next week');

    // A cloth with two agreements sent to the work plan, and a plan made from them.
    await openFamily(page);
    await page.getByRole('link', { name: 'Ny duk', exact: true }).click();
    await page.getByRole('button', { name: 'Start duken' }).click();
    await page.getByTestId('cloth').waitFor();
    const agreements = [['Kari og Emma leser sammen hver kveld', 'Kari', ''], ['Ola ringer NAV om bostøtte', 'Ola', '2026-01-20']];
    for (const [what, who, due] of agreements) {
      await page.locator('.agreement-form input[name="what"]').fill(what);
      await page.locator('.agreement-form input[name="who"]').fill(who);
      if (due) await page.locator('.agreement-form input[name="due"]').fill(due);
      await page.getByRole('button', { name: 'Legg til avtale' }).click();
      await page.getByTestId('agreement').filter({ hasText: what }).locator('input[name="to-plan"]').check();
    }
    await openFamily(page);
    await page.getByRole('link', { name: 'Arbeidsplan', exact: true }).click();
    await page.getByRole('button', { name: 'Ny arbeidsplan for periode 1' }).click();
    await page.getByTestId('plan').waitFor();
    const pull = page.getByTestId('agreements-to-pull');
    assert.equal(await pull.locator('li').count(), 2);
    await pull.getByRole('button', { name: 'Ta inn alle' }).click();
    await pull.waitFor({ state: 'detached' });
    const familyTasks = page.locator('.tasks[data-owner="family"] [data-testid="task"]');
    assert.equal(await familyTasks.count(), 2);
    await familyTasks.filter({ hasText: 'Ola ringer NAV om bostøtte' }).getByText('Hvem: Ola · Innen 20.01.2026 · Fra duken').waitFor();
    for (const name of ['Kari', 'Emma']) {
      await page.locator('[data-field="plan-present"]').getByRole('button', { name }).click();
      await page.locator('[data-field="plan-present"]').getByRole('button', { name, pressed: true }).waitFor();
    }
    await page.getByRole('button', { name: 'Legg til mål' }).click();
    await page.getByText('Skriv målet med familiens egne ord.').waitFor();
    await page.locator('input[name="goal-text"]').fill('Faste rutiner ved leggetid');
    await page.getByRole('button', { name: 'Legg til mål' }).click();
    await page.locator('input[name="goal-text"]').fill('Emma trives på skolen');
    await page.locator('.goal-form [data-horizon="long"]').click();
    await page.getByRole('button', { name: 'Legg til mål' }).click();
    await page.locator('.goals[data-horizon="long"] [data-testid="goal"]').filter({ hasText: 'Emma trives' }).waitFor();
    await page.locator('input[name="task-what"]').fill('Bli med på møte med skolen');
    await page.locator('.task-form [data-owner="partner"]').click();
    await page.locator('input[name="task-due"]').fill('2026-01-30');
    await page.getByRole('button', { name: 'Legg til oppgave' }).click();
    const partnerTask = page.locator('.tasks[data-owner="partner"] [data-testid="task"]').filter({ hasText: 'Bli med på møte med skolen' });
    await partnerTask.getByRole('button', { name: 'Rediger' }).click();
    // While it is edited its words are in the form's fields, not in the text.
    const taskEdit = page.locator('.tasks[data-owner="partner"] .task-form');
    assert.equal(await taskEdit.locator('input[name="task-what"]').inputValue(), 'Bli med på møte med skolen');
    await taskEdit.locator('input[name="task-who"]').fill('Familiepartner og Kari');
    await taskEdit.getByRole('button', { name: 'Lagre oppgaven' }).click();
    await partnerTask.locator('.meta').getByText('Hvem: Familiepartner og Kari · Innen 30.01.2026', { exact: true }).waitFor();

    // Made with the family on the shared screen: they add a goal of their own there.
    await page.getByRole('button', { name: 'Vis på delt skjerm' }).click();
    const shared = page.locator('.family-view');
    await shared.getByTestId('plan').waitFor();
    assert.equal(await page.locator('nav[aria-label="Hovedmeny"]').count(), 0, 'no menu on the shared screen');
    assert.equal(await shared.getByRole('link', { name: 'Alle planer' }).count(), 0);
    await shared.locator('input[name="goal-text"]').fill('Mer tid ute sammen');
    await shared.getByRole('button', { name: 'Legg til mål' }).click();
    await shared.locator('[data-testid="goal"]').filter({ hasText: 'Mer tid ute sammen' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-plan-shared-screen.png`, fullPage: true });
    await shared.getByRole('button', { name: 'Avslutt familievisning' }).click();
    await shared.getByRole('button', { name: 'Trykk igjen for å avslutte' }).click();
    await page.locator('nav[aria-label="Hovedmeny"]').waitFor();

    week = await thisWeek(page);
    assert.ok(!has(week, 'Arbeidsplan for periode 1'), week.join('\n'));
    assert.ok(has(week, 'Rangeringsrunde: oppstart'), week.join('\n'));

    // Four days on: the start round is still due (not overdue), the visit of the 7th is
    // overdue until it is logged, today's visit comes first.
    await newDay(page, context, '2026-01-09');
    week = await thisWeek(page);
    assert.ok(has(week, 'Frist 15.01.2026 Familien Berg: Rangeringsrunde: oppstart'), week.join('\n'));
    assert.equal(week[0], '09.01.2026 I dag Familien Berg: Hjemmebesøk', week.join('\n'));
    assert.ok(has(week, '07.01.2026 Forfalt Familien Berg: Hjemmebesøk kl. 17:30'), week.join('\n'));
    assert.ok(has(week, '14.01.2026 Familien Berg: Hjemmebesøk'), week.join('\n'));
    // "Logg møtet" on the visit opens the meeting form on the visit's day.
    await page.getByTestId('this-week').locator('li').filter({ hasText: '07.01.2026' }).getByRole('link', { name: 'Logg møtet' }).click();
    assert.equal(await page.locator('form.meeting-form input[name="date"]').inputValue(), '2026-01-07');
    await page.getByRole('button', { name: 'Lagre møte' }).click();
    await page.getByText('Møtet er lagret på enheten.').waitFor();
    week = await thisWeek(page);
    assert.ok(!has(week, '07.01.2026'), week.join('\n'));
    assert.ok(has(week, '09.01.2026 I dag Familien Berg: Hjemmebesøk'), week.join('\n'));

    // A month on: the first case evaluation with the contact person, ticked off by hand.
    await newDay(page, context, '2026-02-06');
    week = await thisWeek(page);
    const caseEval = page.getByTestId('this-week').locator('li').filter({ hasText: 'Saksevaluering med kontaktpersonen (1. måned)' });
    await caseEval.getByText('Forfalt').waitFor();
    await onDisk(page, () => caseEval.getByRole('button', { name: 'Merk som gjort' }).click());
    await caseEval.waitFor({ state: 'detached' });

    // Six months in (less four days): the plan is evaluated and the next starts from it.
    await newDay(page, context, '2026-07-01');
    week = await thisWeek(page);
    for (const due of ['Frist 28.06.2026 Forfalt Familien Berg: Rapport før evaluering 2', 'Frist 05.07.2026 Familien Berg: Arbeidsplan for periode 3',
      'Frist 05.07.2026 Familien Berg: Rangeringsrunde: etter 6 måneder', 'Frist 05.04.2026 Forfalt Familien Berg: Arbeidsplan for periode 2']) {
      assert.ok(has(week, due), `${due}\n---\n${week.join('\n')}`);
    }
    await openPlan(page, 'Arbeidsplan for periode 1');
    const goal = (text) => page.locator('[data-testid="goal"]').filter({ hasText: text });
    await goal('Faste rutiner').locator('[data-outcome="reached"]').click();
    await goal('Emma trives').locator('[data-outcome="partly"]').click();
    await goal('Mer tid ute').locator('[data-outcome="not_reached"]').click();
    await goal('Emma trives').getByRole('button', { name: 'Rediger' }).click();
    const goalEdit = page.locator('[data-testid="goal"] .goal-form');
    assert.equal(await goalEdit.locator('input[name="goal-text"]').inputValue(), 'Emma trives på skolen');
    await goalEdit.locator('textarea[name="goal-comment"]').fill('Bedre etter jul, men fortsatt vondt i friminuttene');
    await goalEdit.getByRole('button', { name: 'Lagre målet' }).click();
    await goal('Emma trives').locator('.note').getByText('Bedre etter jul').waitFor();
    const task = (text) => page.locator('[data-testid="task"]').filter({ hasText: text });
    await task('leser sammen').locator('[data-status="done"]').click();
    await task('NAV').locator('[data-status="continue"]').click();
    await task('NAV').locator('[data-status="continue"][aria-pressed="true"]').waitFor();
    await page.locator('textarea[name="plan-evaluation"]').fill('Leggetiden sitter. Bostøtten er ikke avklart.');
    await page.getByRole('button', { name: 'Lagre evalueringen' }).click();
    await page.getByTestId('evaluated').getByText('Evaluert 01.07.2026').waitFor();
    await page.getByRole('button', { name: 'Lag neste plan fra denne' }).click();
    await page.getByRole('heading', { name: 'Arbeidsplan for periode 2' }).waitFor();
    await page.locator('[data-testid="goal"]').filter({ hasText: 'Mer tid ute sammen' }).waitFor();
    const carriedGoals = await page.locator('[data-testid="goal"] .what').allTextContents();
    assert.deepEqual(carriedGoals.sort(), ['Emma trives på skolen (videreført)', 'Mer tid ute sammen (videreført)']);
    await page.locator('[data-testid="task"]').nth(1).waitFor();
    const carriedTasks = await page.locator('[data-testid="task"] .what').allTextContents();
    assert.deepEqual(carriedTasks.sort(), ['Bli med på møte med skolen', 'Ola ringer NAV om bostøtte']);
    week = await thisWeek(page);
    assert.ok(!has(week, 'Arbeidsplan for periode 2'), week.join('\n'));

    // Ola withdraws his consent; Kari's stands.
    await openFamily(page);
    await page.getByRole('link', { name: 'Inntakssamtale' }).click();
    await page.getByTestId('consents').locator('li[data-member="Ola"]').getByRole('button', { name: 'Trekk tilbake' }).click();
    await page.getByTestId('consents').locator('li[data-member="Ola"]').getByText('trukket tilbake 01.07.2026').waitFor();
    assert.match(await page.getByTestId('consents').locator('li[data-member="Kari"]').textContent(), /gjelder/);

    // The 6-month evaluation extends the work phase by 3 months, with its reason.
    await openFamily(page);
    await page.getByRole('link', { name: 'Forlengelse og plassering' }).click();
    await page.locator('input[name="extended"]').check();
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByText('Skriv begrunnelsen for forlengelsen').waitFor();
    await page.locator('textarea[name="extension-reason"]').fill('Rutinene er nye og bostøtten ikke avklart; besluttet på 6-månedersevalueringen.');
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByTestId('extension').getByText(/bostøtten ikke avklart/).waitFor();
    const spans = (await page.locator('.phase-span').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(spans, [
      'Oppstartsfase 05.01.2026 – 04.04.2026',
      'Arbeidsfase 05.04.2026 – 04.10.2026',
      'Avslutningsfase 05.10.2026 – 04.01.2027',
      'Oppfølging etter avslutning 05.01.2027 – 04.04.2027',
    ]);
    week = await thisWeek(page);
    assert.ok(has(week, 'Rangeringsrunde: etter 6 måneder'), 'the 6-month round is still due with an extension');

    // Into the closing phase.
    await newDay(page, context, '2026-10-06');
    await openFamily(page);
    assert.equal(await page.locator('.phase-span.current strong').textContent(), 'Avslutningsfase');
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-family-timeline.png`, fullPage: true });
    week = await thisWeek(page);
    assert.ok(has(week, 'Frist 05.10.2026 Forfalt Familien Berg: Arbeidsplan for periode 4'), week.join('\n'));
    assert.ok(!has(week, 'Saksevaluering med kontaktpersonen (1. måned)'), 'ticked off, stays off');
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-this-week.png`, fullPage: true });
    const tabletWeek = week;

    // Online: everything reaches the server, and a second device sees the same family.
    await context.setOffline(false);
    await waitSynced(page, 60000);
    const second = await device(browser, DESKTOP);
    await second.context.clock.setFixedTime(new Date('2026-10-06T10:00:00'));
    await second.page.goto(server.url);
    await logIn(second.page, 'kari', 'PC på kontoret');
    const p2 = second.page;
    await waitSynced(p2, 60000);
    assert.deepEqual(await thisWeek(p2), tabletWeek);
    await openFamily(p2);
    assert.equal(await p2.locator('.phase-span.current strong').textContent(), 'Avslutningsfase');
    await p2.getByTestId('extension').getByText(/besluttet på 6-månedersevalueringen/).waitFor();
    await p2.getByRole('link', { name: 'Inntakssamtale' }).click();
    await p2.getByTestId('visit-count').getByText('3 besøk avtalt.').waitFor();
    await p2.getByTestId('consents').locator('li[data-member="Ola"]').getByText('trukket tilbake 01.07.2026').waitFor();
    assert.deepEqual(await p2.locator('[data-field="intake-topics"] [aria-pressed="true"]').allTextContents(), [
      'Informasjon om tiltaket: bakgrunn, innhold og formål', 'Samtykke til samarbeid og deling av informasjon',
    ]);
    assert.equal(await p2.locator('textarea[name="intake-note"]').inputValue(), 'Familien har hatt hjelp før og vil prøve igjen.');
    await p2.getByRole('link', { name: 'Nettverk og tjenester, barnas ønsker' }).click();
    await p2.getByTestId('people').locator('[data-name="Liv"]').getByText('Tillitsperson').waitFor();
    await p2.getByTestId('services').locator('[data-name="Solbakken skole"]').getByText(/900 00 001/).waitFor();
    assert.equal(await p2.locator('[data-child="Emma"] textarea[data-service="Solbakken skole"]').inputValue(),
      'Vil at læreren skal vite når jeg er lei meg');
    await openPlan(p2, 'Arbeidsplan for periode 1');
    await p2.getByTestId('evaluated').getByText('Evaluert 01.07.2026').waitFor();
    assert.equal(await p2.locator('[data-testid="goal"]').filter({ hasText: 'Faste rutiner' }).locator('[data-outcome="reached"]').getAttribute('aria-pressed'), 'true');
    assert.deepEqual(await p2.locator('[data-field="plan-present"] [aria-pressed="true"]').allTextContents(), ['Kari', 'Emma']);
    await p2.screenshot({ path: `${ARTIFACTS}/desktop-1280x900-work-plan.png`, fullPage: true });
    await second.context.close();
    await context.close();
  });

  it('a placement moves a family into the closing phase from its date; this week fits a phone', async () => {
    const { page, context } = await device(browser, PHONE, { hasTouch: true, isMobile: true });
    await context.clock.setFixedTime(new Date('2026-03-02T10:00:00'));
    await page.goto(server.url);
    await logIn(page, 'per', 'Telefon');
    await page.getByRole('link', { name: 'Ny familie' }).click();
    await page.locator('input[name="family-name"]').fill('Familien Lie');
    await page.locator('input[name="start-date"]').fill('2026-01-12');
    await page.getByRole('button', { name: 'Legg til person' }).click();
    await page.locator('.member-row').last().locator('input[name="member-name"]').fill('Mona');
    await page.locator('.member-row').last().locator('select[name="member-role"]').selectOption('parent');
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByTestId('family-name').waitFor();
    assert.equal(await page.locator('.phase-span.current strong').textContent(), 'Oppstartsfase');

    await page.getByRole('link', { name: 'Forlengelse og plassering' }).click();
    await page.locator('input[name="placed"]').check();
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByText('Velg datoen for plasseringen.').waitFor();
    await page.locator('input[name="placement-date"]').fill('2026-02-20');
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByText('Velg hvilken type plassering det er.').waitFor();
    await page.locator('[data-field="placement-kind"]').getByRole('button', { name: 'Frivillig plassering' }).click();
    await page.getByRole('button', { name: 'Lagre', exact: true }).click();
    await page.getByTestId('placement').getByText('Frivillig plassering 20.02.2026').waitFor();
    const spans = (await page.locator('.phase-span').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(spans, [
      'Oppstartsfase 12.01.2026 – 19.02.2026',
      'Avslutningsfase 20.02.2026 – 19.05.2026',
      'Oppfølging etter avslutning 20.05.2026 – 19.08.2026',
    ]);
    assert.equal(await page.locator('.phase-span.current strong').textContent(), 'Avslutningsfase');
    const all = (await page.getByTestId('all-due').locator('li').allTextContents()).join('\n');
    assert.match(all, /Frist 20\.05\.2026Rangeringsrunde: avslutning/);
    assert.doesNotMatch(all, /etter 3 måneder|etter 6 måneder/, 'no 3- or 6-month round after a placement');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the family page fits the phone');

    const week = await thisWeek(page);
    assert.ok(has(week, 'Frist 12.02.2026 Forfalt Familien Lie: Saksevaluering med kontaktpersonen (1. måned)'), week.join('\n'));
    assert.ok(!has(week, 'Familien Berg'), "another team's family is not on this device");
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'this week fits the phone');
    await page.screenshot({ path: `${ARTIFACTS}/phone-390x844-this-week.png`, fullPage: true });
    await waitSynced(page);
    await context.close();
  });
});
