// Duken, the conversation cloth: built with three family members at tablet size, shown on the
// shared screen, evaluated and carried over to a new cloth, printed, and edited on two devices
// offline at once without losing a note.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS, PASSWORD, PHONE, Server, TABLET, device, launchBrowser, logIn, newFamily, unlock, waitForOfflineShell,
  waitSynced,
} from './harness.mjs';

let server;
let browser;

const cellSel = (section, row = '') => `[data-cell][data-section="${section}"][data-row="${row}"]`;
const notesIn = (page, section, row = '') => page.locator(`${cellSel(section, row)} [data-testid="note"]`);

/** Adds a note the way a partner does: tap + in the section, type, Enter. */
async function addNote(page, sectionLabel, text) {
  await page.getByRole('button', { name: `Legg til i «${sectionLabel}»` }).click();
  const box = page.getByRole('textbox', { name: 'Ny lapp' });
  await box.fill(text);
  await box.press('Enter');
  await page.getByText(text, { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Ferdig' }).click();
}

async function openFamily(page, name) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).click();
  await page.getByRole('link', { name: new RegExp(name) }).click();
  await page.getByTestId('family-name').waitFor();
}

async function startCloth(page, helpers) {
  await page.getByRole('link', { name: 'Ny duk', exact: true }).click();
  await page.locator('input[name="helpers"]').fill(helpers);
  await page.getByRole('button', { name: 'Start duken' }).click();
  await page.waitForURL(/\/duk\/[0-9a-f-]{36}$/);
  await page.getByTestId('cloth').waitFor();
}

describe('the conversation cloth', () => {
  before(async () => {
    server = await Server.create();
    await server.start();
    await server.createUser('kari', 'familiepartner', PASSWORD, 'Team Øst');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.cleanup();
  });

  it('builds a cloth with notes from three members at tablet size, with agreements and print', async () => {
    const { page } = await device(browser, TABLET);
    await page.goto(server.url);
    await logIn(page, 'kari', 'Nettbrett');
    await newFamily(page, 'Familien Solheim', ['Mona', 'Emil']);
    await newFamily(page, 'Familien Berg', ['Lise', 'Jonas', 'Emma']);
    await startCloth(page, 'Familiepartner Kari');

    // The Øvre Eiker cloth, with the seed's labels.
    for (const label of ['Det er jeg/vi god på', 'Det jeg/vi drømmer om', 'De jeg har rundt meg', 'Økonomi', 'Frivillighet']) {
      await page.getByRole('region', { name: label, exact: true }).waitFor();
    }
    const said = { Lise: 'Jeg er god på å lage mat', Jonas: 'Jeg er god på fotball', Emma: 'Jeg kan tegne hester' };
    // Lise: pick who is speaking, then + and Enter. Jonas and Emma: +, type, and one tap on
    // who said it (two taps plus typing, the speaker included).
    await page.locator('.speakers').getByRole('button', { name: 'Lise' }).click();
    await addNote(page, 'Det er jeg/vi god på', said.Lise);
    for (const who of ['Jonas', 'Emma']) {
      await page.getByRole('button', { name: 'Legg til i «Det er jeg/vi god på»' }).click();
      await page.getByRole('textbox', { name: 'Ny lapp' }).fill(said[who]);
      await page.getByRole('button', { name: `Lagre som ${who}` }).click();
      await page.getByText(said[who], { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Ferdig' }).click();
    }
    // The speaker tapped last speaks on.
    assert.equal(await page.locator('.speakers').getByRole('button', { name: 'Emma' }).getAttribute('aria-pressed'), 'true');
    const notes = notesIn(page, 'good_at');
    assert.equal(await notes.count(), 3);
    const colours = new Set();
    for (const [who, text] of Object.entries(said)) {
      const note = notes.filter({ hasText: text });
      assert.equal(await note.locator('.note-by').innerText(), who, `${who} said «${text}»`);
      colours.add(await note.evaluate((el) => getComputedStyle(el).borderLeftColor));
    }
    assert.equal(colours.size, 3, 'each person has their own colour');

    // Edit in place.
    await notes.filter({ hasText: 'fotball' }).click();
    await page.locator('.note-editor textarea').fill('Jeg er god på fotball og sykling');
    await page.locator('.note-editor').getByRole('button', { name: 'Lagre' }).click();
    await notesIn(page, 'good_at').filter({ hasText: 'fotball og sykling' }).waitFor();

    // Move by dragging with the mouse (pointer events, as a finger would).
    const hest = notes.filter({ hasText: 'hester' });
    await hest.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const from = await hest.boundingBox();
    const to = await page.locator(cellSel('dream_of')).boundingBox();
    await page.mouse.move(from.x + 20, from.y + 10);
    await page.mouse.down();
    await page.mouse.move(from.x + 60, from.y + 40, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    await notesIn(page, 'dream_of').filter({ hasText: 'hester' }).waitFor();
    assert.equal(await notesIn(page, 'good_at').count(), 2);

    // Move without dragging: the editor's "Flytt til" list.
    await notesIn(page, 'good_at').filter({ hasText: 'lage mat' }).click();
    await page.locator('.note-editor select[name="move-to"]').selectOption({ label: 'Økonomi' });
    await page.locator('.note-editor').getByRole('button', { name: 'Lagre' }).click();
    await notesIn(page, 'economy').filter({ hasText: 'lage mat' }).waitFor();

    // Delete, then undo.
    await notesIn(page, 'economy').filter({ hasText: 'lage mat' }).click();
    await page.locator('.note-editor').getByRole('button', { name: 'Slett' }).click();
    await page.getByText('Lappen er slettet.').waitFor();
    assert.equal(await notesIn(page, 'economy').count(), 0);
    await page.getByRole('button', { name: 'Angre' }).click();
    await notesIn(page, 'economy').filter({ hasText: 'lage mat' }).waitFor();

    // A worker-only note: for the partner's eyes, never on the shared screen or the print.
    await page.locator('.speakers').getByRole('button', { name: 'Familiepartner Kari' }).click();
    await addNote(page, 'Psykisk helse', 'Bekymring: mor virker sliten');
    await notesIn(page, 'mental_health').first().click();
    await page.locator('.note-editor input[name="worker-only"]').check();
    await page.locator('.note-editor').getByRole('button', { name: 'Lagre' }).click();
    await page.locator('.note.worker-only').waitFor();

    // Agreements: what, who, by when; one goes to the work plan.
    const agreements = [['Jonas sykler til skolen tre dager i uka', 'Jonas', '2026-12-15'], ['Lise ringer fastlegen', 'Lise', '']];
    for (const [what, who, due] of agreements) {
      await page.locator('.agreement-form input[name="what"]').fill(what);
      await page.locator('.agreement-form input[name="who"]').fill(who);
      if (due) await page.locator('.agreement-form input[name="due"]').fill(due);
      await page.getByRole('button', { name: 'Legg til avtale' }).click();
      await page.getByTestId('agreement').filter({ hasText: what }).waitFor();
    }
    await page.getByTestId('agreement').filter({ hasText: 'sykler' }).locator('input[name="to-plan"]').check();
    const lise = page.getByTestId('agreement').filter({ hasText: 'fastlegen' });
    await lise.getByRole('button', { name: 'Rediger', exact: true }).click();
    const editor = page.getByTestId('agreement').locator('.agreement-form');
    assert.equal(await editor.locator('input[name="what"]').inputValue(), 'Lise ringer fastlegen');
    await editor.locator('input[name="what"]').fill('Lise ringer fastlegen og NAV');
    await editor.getByRole('button', { name: 'Lagre avtalen' }).click();
    await page.getByTestId('agreement').filter({ hasText: 'Lise ringer fastlegen og NAV' }).locator('.what').waitFor();
    await page.locator('.agreement-form input[name="what"]').fill('');
    await page.getByRole('button', { name: 'Legg til avtale' }).click();
    await page.getByText('Skriv hva dere har avtalt.').waitFor();
    await waitSynced(page);
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-cloth.png`, fullPage: true });

    // Everything is on the device: a reload (and unlock) shows the same cloth.
    const url = page.url();
    await page.reload();
    await unlock(page);
    await page.getByTestId('cloth').waitFor();
    assert.equal(page.url(), url);
    assert.equal(await page.locator('[data-testid="note"]').count(), 4);

    // Print: the family's copy, without worker-only notes or buttons.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.note.worker-only').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Legg til avtale' }).isVisible(), false);
    assert.equal(await page.locator('header.top').isVisible(), false);
    assert.ok(await page.getByText('Jeg er god på fotball og sykling').isVisible());
    assert.ok(await page.getByText('Jonas sykler til skolen tre dager i uka').isVisible());
    assert.ok(await page.getByText(/Til stede: Lise, Jonas, Emma, Familiepartner Kari/).isVisible());
    await page.screenshot({ path: `${ARTIFACTS}/print-cloth.png`, fullPage: true });
    const pdf = await page.pdf({ path: `${ARTIFACTS}/cloth-a4-landscape.pdf`, format: 'A4', landscape: true, printBackground: true });
    assert.ok(pdf.length > 10000, 'a real PDF');
    await page.emulateMedia({ media: 'screen' });

    // The family page lists the cloth and the agreement sent to the work plan.
    await openFamily(page, 'Familien Berg');
    await page.getByRole('list', { name: 'Samtaleduker' }).getByText('4 lapper').waitFor();
    const open = page.getByTestId('open-agreements');
    await open.getByText('Jonas sykler til skolen tre dager i uka').waitFor();
    assert.equal(await open.getByText('Lise ringer fastlegen').count(), 0, 'only what was sent to the plan');
  });

  it('shows the cloth on the shared screen at 1920x1080 with no other family and no worker-only note', async () => {
    const { page } = await device(browser, { width: 1920, height: 1080 });
    await page.goto(server.url);
    await logIn(page, 'kari', 'Stue-TV');
    await waitSynced(page);
    await openFamily(page, 'Familien Berg');
    await page.getByRole('list', { name: 'Samtaleduker' }).getByRole('link').first().click();
    await page.getByTestId('cloth').waitFor();
    await page.getByRole('button', { name: 'Vis på delt skjerm' }).click();
    await page.locator('.family-view .cloth.shared').waitFor();

    // Nothing of the worker's on the TV: no "+" in every field, no language or print
    // buttons, no agreement form, no status to set.
    for (const sel of ['.add-note', '.cloth-actions .button', 'form.agreement-form', '.chips.status', 'input[name="to-plan"]']) {
      assert.equal(await page.locator(`.family-view ${sel}`).count(), 0, `${sel} is not on the shared screen`);
    }
    // The family adds its own notes: where on the cloth, then the words. 40 notes, a long
    // session's worth, spread over the fields.
    await page.locator('.speakers').getByRole('button', { name: 'Sammen' }).click();
    const place = page.locator('select[name="note-place"]');
    await place.selectOption({ label: 'De jeg har rundt meg' });
    const box = page.getByRole('textbox', { name: 'Ny lapp' });
    await box.fill('Mormor og naboen Per');
    await box.press('Enter');
    await page.getByText('Mormor og naboen Per', { exact: true }).waitFor();
    const fields = await place.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    const before = await page.locator('.family-view [data-testid="note"]').count();
    for (let n = before; n < 40; n += 1) {
      await place.selectOption(fields[n % fields.length]);
      await box.fill(`Lapp ${n + 1}: noe vi vil huske`);
      await box.press('Enter');
    }
    await page.waitForFunction(() => document.querySelectorAll('.family-view [data-testid="note"]').length >= 40);
    await page.getByRole('button', { name: 'Ferdig' }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    const fits = await page.evaluate(() => [document.documentElement.scrollHeight, window.innerHeight]);
    await page.screenshot({ path: `${ARTIFACTS}/tv-1920x1080-cloth-40-notes.png` });
    assert.ok(fits[0] <= fits[1], `the cloth with 40 notes fits one 1920×1080 screen (${fits[0]} px of ${fits[1]})`);
    const smallest = await page.locator('.family-view .cloth').evaluate((c) => {
      let min = Infinity;
      for (const el of c.querySelectorAll('*')) {
        const own = [...el.childNodes].some((x) => x.nodeType === 3 && x.textContent.trim());
        if (own && el.offsetParent !== null) min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
      }
      return min;
    });
    assert.ok(smallest >= 24, `every text on the shared cloth is at least 24 px (smallest ${smallest})`);
    for (let round = 0; round < 2; round++) {
      const html = await page.content();
      for (const hidden of ['Solheim', 'Mona', 'Emil', 'Bekymring', 'mor virker sliten', 'Tilgangslogg', 'Konflikter']) {
        assert.ok(!html.includes(hidden), `${hidden} must not be in the shared screen's page`);
      }
      const text = await page.locator('body').innerText();
      assert.match(text, /Jeg er god på fotball og sykling/);
      assert.match(text, /Mormor og naboen Per/);
      assert.match(text, /Jonas sykler til skolen/);
      for (const sel of ['.note-text', '.cell .cell-title', '.agreement .what', '.speakers .chip']) {
        const px = await page.locator(sel).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
        assert.ok(px >= 24, `${sel} is ${px}px at 1920x1080`);
      }
      if (round === 0) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${ARTIFACTS}/tv-1920x1080-cloth.png` });
        await page.reload();
        await unlock(page);
        await page.locator('.family-view .cloth.shared').waitFor();
      }
    }
    const leave = page.locator('.family-view .leave');
    await leave.click();
    assert.equal(await page.locator('.family-view').count(), 1, 'one tap does not leave');
    await leave.click();
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Familier' }).waitFor();
  });

  it('evaluates the previous cloth beside a new one and carries over what was chosen', async () => {
    const { page } = await device(browser, TABLET);
    await page.goto(server.url);
    await logIn(page, 'kari', 'Nettbrett 2');
    await waitSynced(page);
    await openFamily(page, 'Familien Berg');
    await page.getByRole('link', { name: 'Ny duk fra forrige (evaluering)' }).click();
    // The previous cloth is on the page, beside the new one's form.
    const previous = page.getByLabel('Forrige duk');
    await previous.getByText('Jeg er god på fotball og sykling').waitFor();
    const rows = page.getByTestId('evaluate-agreement');
    assert.equal(await rows.count(), 2);
    await rows.filter({ hasText: 'fastlegen' }).getByRole('button', { name: 'Gjort' }).click();
    await rows.filter({ hasText: 'sykler' }).getByRole('button', { name: 'Fortsetter' }).click();
    assert.equal(await rows.filter({ hasText: 'fastlegen' }).locator('input[name="carry-agreement"]').isChecked(), false);
    assert.equal(await rows.filter({ hasText: 'sykler' }).locator('input[name="carry-agreement"]').isChecked(), true);
    await page.locator('.evaluate-notes label').filter({ hasText: 'Mormor og naboen Per' }).locator('input').check();
    await page.locator('.evaluate-notes label').filter({ hasText: 'hester' }).locator('input').check();
    await page.screenshot({ path: `${ARTIFACTS}/tablet-1024x768-cloth-evaluation.png`, fullPage: true });
    await page.getByRole('button', { name: 'Start duken' }).click();
    await page.waitForURL(/\/duk\/[0-9a-f-]{36}$/);
    await page.getByTestId('cloth').waitFor();
    await notesIn(page, 'people').filter({ hasText: 'Mormor og naboen Per' }).waitFor();
    await notesIn(page, 'dream_of').filter({ hasText: 'hester' }).waitFor();
    assert.equal(await page.locator('[data-testid="note"]').count(), 2, 'only the chosen notes');
    const carried = page.getByTestId('agreement');
    assert.equal(await carried.count(), 1);
    await carried.filter({ hasText: 'Jonas sykler til skolen' }).getByRole('button', { name: 'Åpen', pressed: true }).waitFor();

    // The evaluation is kept on the old cloth.
    await openFamily(page, 'Familien Berg');
    const cloths = page.getByRole('list', { name: 'Samtaleduker' }).getByRole('link');
    assert.equal(await cloths.count(), 2);
    await cloths.last().click();
    await page.getByTestId('agreement').filter({ hasText: 'fastlegen' }).getByRole('button', { name: 'Gjort', pressed: true }).waitFor();
    await waitSynced(page);
  });

  it('keeps every note when two devices add and move notes on one cloth offline', async () => {
    const a = await device(browser, TABLET);
    const b = await device(browser, PHONE, { hasTouch: true });
    for (const [d, name] of [[a, 'Nettbrett A'], [b, 'Telefon B']]) {
      await d.page.goto(server.url);
      await logIn(d.page, 'kari', name);
      await waitSynced(d.page);
      await openFamily(d.page, 'Familien Solheim');
    }
    await startCloth(a.page, 'Familiepartner Kari');
    await addNote(a.page, 'Det er jeg/vi god på', 'Felles: vi er gode på turer');
    await addNote(a.page, 'Det er jeg/vi god på', 'Felles: vi ler mye');
    await waitSynced(a.page);
    const clothUrl = new URL(a.page.url()).pathname;
    await b.page.waitForFunction(() => true);
    // B gets the cloth from the server, then both go offline.
    await b.page.getByRole('list', { name: 'Samtaleduker' }).getByRole('link').first().waitFor({ timeout: 45000 });
    await b.page.getByRole('list', { name: 'Samtaleduker' }).getByRole('link').first().click();
    await notesIn(b.page, 'good_at').filter({ hasText: 'ler mye' }).waitFor();
    assert.equal(new URL(b.page.url()).pathname, clothUrl);
    await a.context.setOffline(true);
    await b.context.setOffline(true);

    await a.page.locator('.speakers').getByRole('button', { name: 'Mona' }).click();
    await addNote(a.page, 'Det jeg/vi drømmer om', 'A: en hytte på fjellet');
    await addNote(a.page, 'Økonomi', 'A: budsjett hver fredag');
    await b.page.locator('.speakers').getByRole('button', { name: 'Emil' }).click();
    await addNote(b.page, 'Fritid', 'B: fotball på tirsdager');
    await addNote(b.page, 'Det jeg/vi drømmer om', 'B: en hund');
    // A moves one shared note; B moves the same note elsewhere, and moves and edits the other.
    const moveTo = async (page, text, label) => {
      await page.locator('[data-testid="note"]').filter({ hasText: text }).click();
      await page.locator('.note-editor select[name="move-to"]').selectOption({ label });
    };
    await moveTo(a.page, 'turer', 'Fritid');
    await a.page.locator('.note-editor').getByRole('button', { name: 'Lagre' }).click();
    await notesIn(a.page, 'leisure').filter({ hasText: 'turer' }).waitFor();
    await moveTo(b.page, 'turer', 'Jobb');
    await b.page.locator('.note-editor').getByRole('button', { name: 'Lagre' }).click();
    await notesIn(b.page, 'job').filter({ hasText: 'turer' }).waitFor();
    await moveTo(b.page, 'ler mye', 'Livssituasjon');
    await b.page.locator('.note-editor textarea').fill('Felles: vi ler mye sammen');
    await b.page.locator('.note-editor').getByRole('button', { name: 'Lagre' }).click();
    await notesIn(b.page, 'life_situation').filter({ hasText: 'ler mye sammen' }).waitFor();

    await a.context.setOffline(false);
    await b.context.setOffline(false);
    const expected = {
      'A: en hytte på fjellet': 'dream_of', 'A: budsjett hver fredag': 'economy', 'B: fotball på tirsdager': 'leisure',
      'B: en hund': 'dream_of', 'Felles: vi ler mye sammen': 'life_situation',
    };
    for (const { page } of [a, b]) {
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="note"]').length === n,
        Object.keys(expected).length + 1, { timeout: 60000 });
      for (const [text, section] of Object.entries(expected)) {
        await notesIn(page, section).filter({ hasText: text }).waitFor({ timeout: 60000 });
      }
      // The note both moved is in one place, the same on both devices, and the other place
      // is kept as a conflict.
      await page.locator('.conflict-badge[data-conflicts="1"]').waitFor({ timeout: 60000 });
    }
    const placeOf = (page) => page.locator('[data-testid="note"]', { hasText: 'turer' })
      .evaluate((el) => el.closest('[data-cell]').dataset.section);
    const winner = await placeOf(a.page);
    assert.ok(['leisure', 'job'].includes(winner), winner);
    await b.page.waitForFunction((w) => {
      const n = [...document.querySelectorAll('[data-testid="note"]')].find((e) => e.textContent.includes('turer'));
      return n && n.closest('[data-cell]').dataset.section === w;
    }, winner, { timeout: 60000 });
    // The conflicts page names both places in the cloth's words, and keeping one settles it.
    await a.page.locator('.conflict-badge').click();
    const card = a.page.locator('.conflict').filter({ hasText: 'Lapp «Felles: vi er gode på turer»' });
    await card.waitFor();
    const [kept, other] = winner === 'leisure' ? ['Fritid', 'Jobb'] : ['Jobb', 'Fritid'];
    assert.equal(await card.getByTestId('conflict-current').innerText(), kept);
    assert.equal(await card.getByTestId('conflict-other').innerText(), other);
    await card.locator('.choice-row').filter({ hasText: 'Fritid' }).getByRole('button').click();
    await a.page.getByText('Ingen konflikter.').waitFor();
    await a.page.goBack();
    await notesIn(a.page, 'leisure').filter({ hasText: 'turer' }).waitFor();
    await waitSynced(a.page);
    await waitSynced(b.page);
    await b.page.screenshot({ path: `${ARTIFACTS}/phone-390x844-cloth-after-offline-merge.png`, fullPage: true });

    // On the phone, a finger drags a note to another section (touch events, as on a tablet).
    const hund = b.page.locator('[data-testid="note"]', { hasText: 'B: en hund' });
    await hund.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const from = await hund.boundingBox();
    const target = b.page.locator(cellSel('people'));
    const to = await target.boundingBox();
    const cdp = await b.context.newCDPSession(b.page);
    const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', {
      type, touchPoints: type === 'touchEnd' ? [] : [{ x: Math.round(x), y: Math.round(y) }],
    });
    await touch('touchStart', from.x + 30, from.y + 10);
    for (let i = 1; i <= 10; i++) {
      await touch('touchMove', from.x + 30 + (to.x + 40 - from.x - 30) * i / 10, from.y + 10 + (to.y + to.height / 2 - from.y - 10) * i / 10);
    }
    await touch('touchEnd');
    await notesIn(b.page, 'people').filter({ hasText: 'B: en hund' }).waitFor();
    await notesIn(a.page, 'people').filter({ hasText: 'B: en hund' }).waitFor({ timeout: 60000 });
  });

  it("offers the team's own template (added on the command line), offline too", async () => {
    const file = join(server.dir, 'familiemote.json');
    writeFileSync(file, JSON.stringify({
      code: 'ost-familiemote', version: 1, language: 'nb', source: 'Team Øst',
      name: { nb: 'Familiemøte (Team Øst)', nn: 'Familiemøte (Team Aust)' },
      sections: [
        { code: 'going_well', label: { nb: 'Det går bra', nn: 'Det går bra' } },
        { code: 'want', label: { nb: 'Det vil vi få til', nn: 'Det vil vi få til' } },
      ],
      agreements: { nb: 'Dette gjør vi', nn: 'Dette gjer vi' },
    }));
    assert.match(await server.cli(['template', 'add', file, '--team', 'Team Øst']), /La til malen «Familiemøte \(Team Øst\)»/);

    const { context, page } = await device(browser, TABLET);
    await page.goto(server.url);
    await logIn(page, 'kari', 'Nettbrett 3');
    await waitForOfflineShell(page);
    await waitSynced(page);
    // Offline from here: the template comes from the device.
    await context.setOffline(true);
    await page.reload();
    await unlock(page);
    await openFamily(page, 'Familien Berg');
    await page.getByRole('link', { name: 'Ny duk', exact: true }).click();
    await page.getByRole('button', { name: 'Familiemøte (Team Øst)' }).click();
    await page.getByRole('button', { name: 'Start duken' }).click();
    await page.waitForURL(/\/duk\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Familiemøte (Team Øst)' }).waitFor();
    await addNote(page, 'Det går bra', 'Morgenene er roligere');
    await notesIn(page, 'going_well').filter({ hasText: 'Morgenene er roligere' }).waitFor();
    await page.getByRole('heading', { name: 'Dette gjør vi' }).waitFor();
    await context.setOffline(false);
    await waitSynced(page);
  });
});
