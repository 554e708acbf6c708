// Browser journeys against the running release binary: a visitor in both languages, on a
// phone and a desktop, with and without JavaScript; staff working a lead; keyboard only.
// Every page type is checked with axe-core (WCAG 2.1 A and AA) in the light and the dark colour
// scheme, and with the Nu HTML Checker; a profile is printed to PDF on A4 and Letter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const BASE = process.env.BASE_URL;
// A second server under `serve --dev`, on a copy of the content this suite may change.
const DEV_BASE = process.env.DEV_BASE_URL;
const DEV_CONTENT = process.env.DEV_CONTENT;
const STAFF = process.env.STAFF_EMAIL;
const PASSWORD = process.env.STAFF_PASSWORD;
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
const pagesForHtmlCheck = new Map();

let browser;
before(async () => {
  mkdirSync(ARTIFACTS + 'html', { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
});

async function checkPage(page, name, viewport) {
  pagesForHtmlCheck.set(name, await page.content());
  await page.addScriptTag({ content: AXE });
  // Both schemes on the same page, so a journey's state (a form's errors) is checked in each.
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    });
    assert.deepEqual(violations, [], `axe on ${name} (${colorScheme})`);
    await page.screenshot({ path: `${ARTIFACTS}${name}-${viewport}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// The text of a PDF and its page size as `pdfinfo` names it (poppler-utils, installed by run.sh).
function pdfText(file) {
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const size = execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/^Page size:.*$/m)[0];
  return { text: text.replace(/\s+/g, ' '), size };
}

async function context(viewport, javaScript = true) {
  // Bypassing the CSP lets the test inject axe; the site's own pages have no scripts either way.
  return browser.newContext({ viewport: VIEWPORTS[viewport], javaScriptEnabled: javaScript, bypassCSP: true });
}

const journeys = [
  { lang: 'en', home: '/', search: 'kubernetes', profile: '/profiles/devops-engineer', sent: 'Thank you',
    company: 'Company', name: 'Your name', email: 'Business e-mail', message: 'Message', remote: 'Remote',
    permanent: 'Permanent employment', submit: 'Send request', wrong: 'Enter an e-mail address',
    privacy: '/privacy', salaries: '/salaries', basis: 'Art. 6(1)(b) GDPR', demo: 'fictional' },
  { lang: 'de', home: '/de', search: 'Kubernetes', profile: '/de/profile/devops-engineer', sent: 'Vielen Dank',
    company: 'Unternehmen', name: 'Ihr Name', email: 'Geschäftliche E-Mail-Adresse', message: 'Nachricht', remote: 'Remote',
    permanent: 'Festanstellung', submit: 'Anfrage senden', wrong: 'Bitte geben Sie eine E-Mail-Adresse',
    privacy: '/de/datenschutz', salaries: '/de/gehaelter', basis: 'Art. 6 Abs. 1 lit. b DSGVO', demo: 'erfunden' },
];

for (const j of journeys) {
  for (const viewport of Object.keys(VIEWPORTS)) {
    for (const javaScript of [true, false]) {
      test(`a visitor (${j.lang}, ${viewport}, JavaScript ${javaScript ? 'on' : 'off'}) finds a profile and sends a request`, async () => {
        const ctx = await context(viewport, javaScript);
        const page = await ctx.newPage();
        const check = async (name) => { if (javaScript) await checkPage(page, `${j.lang}-${name}`, viewport); else pagesForHtmlCheck.set(`${j.lang}-${name}-nojs`, await page.content()); };
        await page.goto(BASE + j.home);
        await check('home');
        await page.click(`.hero a.button`);
        await page.waitForURL(BASE + (j.lang === 'en' ? '/profiles' : '/de/profile'));
        await check('index');
        await page.fill('#header-search-q', j.search);
        await page.press('#header-search-q', 'Enter');
        await page.waitForURL(/q=/);
        await check('search');
        await page.click(`.search-results a[href="${j.profile}"]`);
        await page.waitForURL(BASE + j.profile);
        await check('profile');
        await page.click('.profile-header a.button');
        await page.waitForURL(/profile=/);
        await check('form');
        await page.getByLabel(j.company, { exact: false }).first().fill('Nordlicht Logistik GmbH');
        await page.getByLabel(j.name).fill('Erika Muster');
        await page.getByLabel(j.email).fill('erika@nordlicht');
        await page.getByLabel(j.permanent).check();
        await page.getByLabel(j.remote).check();
        await page.getByLabel(j.message).fill('We need two engineers to run our Kubernetes platform from March.');
        assert.ok((await page.textContent('#privacy-note')).includes(j.basis), 'the legal basis is stated, no consent asked');
        await page.click(`button[type=submit]:has-text("${j.submit}")`);
        await page.waitForSelector('.error-summary');
        const error = await page.textContent('#email-error');
        assert.ok(error.includes(j.wrong), error);
        assert.equal(await page.inputValue('#field-company'), 'Nordlicht Logistik GmbH', 'typed input is kept');
        assert.equal(await page.getAttribute('#field-email', 'aria-invalid'), 'true');
        await check('form-errors');
        await page.getByLabel(j.email).fill('erika@nordlicht.example');
        await page.click(`button[type=submit]:has-text("${j.submit}")`);
        await page.waitForURL(/\/(thanks|danke)\//);
        assert.ok((await page.textContent('h1')).includes(j.sent));
        await check('thanks');
        await page.goto(BASE + j.privacy);
        assert.ok((await page.textContent('.demo-notice')).includes(j.demo), 'the sample says it is fictional');
        await check('privacy');
        await page.goto(BASE + j.salaries);
        await check('salaries');
        await page.click('.salary-filters a[href$="level=senior"]');
        await page.waitForURL(/level=senior/);
        assert.ok((await page.$$('.salary-table tbody tr')).length > 0, 'the senior rows are listed');
        await check('salaries-senior');
        await page.goto(BASE + (j.lang === 'en' ? '/no-such-page' : '/de/keine-seite'));
        await check('404');
        await ctx.close();
      });
    }
  }
}

// The staff area is held to the public pages' bar: axe in both schemes, on a phone and a desktop. Each run moves
// a lead of its own on (the visitor journeys above sent eight), the newest first.
for (const [run, viewport] of Object.keys(VIEWPORTS).entries()) {
  test(`staff (${viewport}) log in, find the lead, move it on, export CSV and see which profiles bring requests`, async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORTS[viewport], acceptDownloads: true, bypassCSP: true });
    const page = await ctx.newPage();
    await page.goto(BASE + '/admin/leads');
    await page.waitForURL(/\/admin\/login/);
    await checkPage(page, 'admin-login', viewport);
    await page.fill('#email', STAFF);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(BASE + '/admin/leads');
    await checkPage(page, 'admin-leads', viewport);
    await page.fill('#q', 'Nordlicht');
    await page.click('form.filters button[type=submit]');
    await page.click(`table.leads tbody tr:nth-child(${run + 1}) a`);
    await page.waitForURL(/\/admin\/leads\/\d+$/);
    await checkPage(page, 'admin-lead', viewport);
    await page.click('button:has-text("Mark as contacted")');
    await page.waitForSelector('.notice');
    assert.ok((await page.textContent('.history')).includes('status new → contacted'));
    await page.goto(BASE + '/admin/leads');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/admin/leads/export.csv"]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.includes('Nordlicht Logistik GmbH'));
    assert.ok(csv.includes(',contacted,'));
    // The headless browser names itself and is not counted: a view as a desktop browser sends it.
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
    await ctx.request.get(BASE + '/profiles/backend-developer', { headers: { 'User-Agent': firefox } });
    await page.click('nav a[href="/admin/stats"]');
    await page.waitForURL(BASE + '/admin/stats');
    for (let tries = 0; !(await page.$('.stats-chart svg')) && tries < 50; tries++) {
      await page.waitForTimeout(100); // the server adds views to the store every 200 ms here
      await page.reload();
    }
    assert.ok((await page.textContent('table.stats')).includes('Backend Developer'));
    await checkPage(page, 'admin-stats', viewport);
    await ctx.close();
  });
}

test('keyboard only: a skip link first, every control reachable, focus always visible', async () => {
  const ctx = await context('desktop');
  const page = await ctx.newPage();
  await page.goto(BASE + '/profiles/backend-developer');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({ text: document.activeElement.textContent, href: document.activeElement.getAttribute('href') }));
  assert.equal(first.href, '#main', 'the skip link comes first');
  const seen = [];
  for (let i = 0; i < 80; i++) {
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { tag: el.tagName, id: el.id, href: el.getAttribute('href'), outline: style.outlineStyle, width: style.outlineWidth };
    });
    if (focused.tag === 'BODY') break; // past the last control
    assert.notEqual(focused.outline, 'none', `visible focus on ${JSON.stringify(focused)}`);
    seen.push(focused.href || focused.id || focused.tag);
    await page.keyboard.press('Tab');
  }
  for (const target of ['#main', '/profiles', '/de/profile/backend-entwickler', 'header-search-q', '/contact?profile=backend-developer']) {
    assert.ok(seen.includes(target), `${target} is reachable with Tab: ${seen.join(' ')}`);
  }
  await ctx.close();
});

test('serve --dev: the open page follows the editor, shows errors over the page and drops them once fixed', async () => {
  // Without bypassCSP: the live-reload script runs under the site's own Content-Security-Policy.
  const ctx = await browser.newContext({ viewport: VIEWPORTS.desktop });
  const page = await ctx.newPage();
  const file = `${DEV_CONTENT}/profiles/en/backend-developer.md`;
  const good = readFileSync(file, 'utf8');
  // The script opens the event stream once it knows the page's ETag; saves from then on count.
  const listening = page.waitForRequest((request) => request.url().endsWith('/live-reload'));
  await page.goto(DEV_BASE + '/profiles/backend-developer');
  await listening;
  const title = (await page.textContent('h1')).trim();

  writeFileSync(file, good.replace(/^title = ".*"$/m, 'title = "Backend Developer, edited"'));
  await page.waitForFunction(() => document.querySelector('h1').textContent.includes('edited'), null, { timeout: 15000 });

  writeFileSync(file, good.replace(/^min = \d+$/m, 'min = "sixty thousand"'));
  await page.waitForSelector('.live-reload-report', { timeout: 15000 });
  const report = await page.textContent('.live-reload-report pre');
  assert.match(report, /profiles\/en\/backend-developer\.md:\d+:\d+/);
  assert.ok((await page.textContent('h1')).includes('edited'), 'the last good version stays on screen');
  await page.screenshot({ path: `${ARTIFACTS}live-reload-report-desktop.png` });

  writeFileSync(file, good);
  await page.waitForFunction(
    (original) => !document.querySelector('.live-reload-report') && document.querySelector('h1').textContent.trim() === original,
    title,
    { timeout: 15000 },
  );
  await ctx.close();
});

test('a profile prints on A4 and Letter with its salaries and contact person, without search, navigation or buttons', async () => {
  const ctx = await context('desktop');
  const page = await ctx.newPage();
  const cases = [
    { path: '/profiles/backend-developer', name: 'Lena Hoffmann', email: 'lena.hoffmann@quellwerk-talent.example', request: '/contact?profile=backend-developer' },
    { path: '/de/profile/backend-entwickler', name: 'Lena Hoffmann', email: 'lena.hoffmann@quellwerk-talent.example', request: '/de/kontakt?profile=backend-entwickler' },
  ];
  for (const c of cases) {
    await page.goto(BASE + c.path);
    const figures = (await page.$$eval('.salary-box tbody td:nth-child(2)', (cells) => cells.map((cell) => cell.firstChild.textContent)))
      .flatMap((range) => range.split('–'))
      .map((amount) => amount.replace(/\s+/g, ' ').trim());
    assert.ok(figures.length >= 4, `salary figures on ${c.path}: ${figures}`);
    const searchLabel = (await page.textContent('label[for="header-search-q"]')).trim();
    const footerLinks = await page.$$eval('.site-footer nav a', (links) => links.map((a) => a.textContent.trim()));
    const button = (await page.textContent('.profile-header a.button')).trim();
    // A footer or button label may also be a word of the profile's own text, which does print.
    const printedText = await page.$eval('main', (main) => {
      const copy = main.cloneNode(true);
      copy.querySelectorAll('.button, form').forEach((element) => element.remove());
      return copy.textContent;
    });
    const notPrinted = [button, ...footerLinks].filter((label) => !printedText.includes(label));
    for (const [format, size] of [['A4', /\(A4\)/], ['Letter', /\(letter\)/]]) {
      const file = `${ARTIFACTS}print${c.path.replaceAll('/', '-')}-${format}.pdf`;
      await page.pdf({ path: file, format });
      const pdf = pdfText(file);
      assert.match(pdf.size, size, `${c.path} on ${format}`);
      for (const figure of figures) assert.ok(pdf.text.includes(figure), `${c.path} on ${format}: salary figure ${figure}`);
      for (const contact of [c.name, c.email, BASE + c.request]) assert.ok(pdf.text.includes(contact), `${c.path} on ${format}: ${contact}`);
      // The address requests go to (often a staff login) stays off paper too.
      for (const hidden of [searchLabel, ...notPrinted, 'lena.hoffmann@example.com']) {
        assert.ok(!pdf.text.includes(hidden), `${c.path} on ${format}: ${hidden} is not printed`);
      }
    }
    assert.equal(await page.isVisible('.cta .print-only'), false, 'the request address is written out on paper only');
    // Contact persons' e-mail addresses are often staff logins: not on public pages, printed or not.
    assert.ok(!(await page.content()).includes('@example.com'), `${c.path} carries no contact person's e-mail address`);
  }
  await ctx.close();
});

test('without --dev no page carries the live-reload script', async () => {
  const ctx = await context('desktop');
  const page = await ctx.newPage();
  await page.goto(BASE + '/profiles/backend-developer');
  assert.equal(await page.locator('script[src*="live-reload"]').count(), 0);
  await ctx.close();
});

test('every page type is valid HTML (Nu HTML Checker)', () => {
  const files = [];
  for (const [name, html] of pagesForHtmlCheck) {
    const file = `${ARTIFACTS}html/${name}.html`;
    writeFileSync(file, html);
    files.push(file);
  }
  assert.ok(files.length >= 10, `pages collected: ${files.length}`);
  const jar = require('vnu-jar');
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', ...files], { stdio: 'pipe' });
  } catch (error) {
    assert.fail(`vnu found errors:\n${error.stderr}`);
  }
});
