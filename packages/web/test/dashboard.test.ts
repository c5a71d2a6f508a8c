import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateSshKeyPair } from '@cloudplane/sdk';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { launchChromium, type Browser } from './helpers/browser.js';
import { ensureBuilt, startTestPlane, until, type TestPlane } from './helpers/plane.js';

/**
 * The dashboard in Debian's Chromium against a real control plane with a devcloud: sign in,
 * filter the catalog, launch, follow the launch to running without a reload, stop, terminate,
 * the providers page, sign out; a member does not see the admin's instance. Each page is saved
 * as a PNG in docs/dashboard/ (shown in docs/dashboard.md). Every wait is for a condition.
 */

const SHOTS = fileURLToPath(new URL('../../../docs/dashboard/', import.meta.url));
const Offers = z.object({
  offers: z.array(
    z.object({
      id: z.string(),
      gpu: z.object({ name: z.string().nullable() }),
      price: z.object({ perHour: z.string() }),
    }),
  ),
});

const Regions = z.object({
  regions: z.array(z.object({ provider: z.string(), region: z.string() })),
});

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage, animations: 'disabled' });
}

async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Pages', exact: true }).waitFor();
}

/** Waits until the catalog's rows are exactly `ids` (in that order, or as a set if `sorted`). */
async function rowsAre(page: Page, ids: readonly string[], { sorted }: { sorted: boolean }) {
  await page.waitForFunction(
    ([want, asSet]) => {
      const rows = [...document.querySelectorAll('table.offers tbody tr')];
      const shown = rows.map((r) => r.getAttribute('data-offer') ?? '');
      if (asSet) shown.sort();
      return JSON.stringify(shown) === JSON.stringify(want);
    },
    [ids, sorted] as const,
  );
}

/** In the page: does this canvas have any painted (non-transparent) pixel? */
function paintedPixels(canvas: Element): boolean {
  if (!(canvas instanceof HTMLCanvasElement) || canvas.width === 0) return false;
  const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
  return pixels?.some((value, i) => i % 4 === 3 && value > 0) ?? false;
}

/** Waits until the select named `name` shows `value`. */
async function selectShows(page: Page, name: string, value: string): Promise<void> {
  await page.waitForFunction(
    ([n, v]) => document.querySelector<HTMLSelectElement>(`select[name="${n}"]`)?.value === v,
    [name, value] as const,
  );
}

/** The state badge of the instance card named `name`, once it shows `state`. */
async function cardInState(page: Page, name: string, state: string): Promise<void> {
  await page
    .locator(`article[data-name="${name}"] [data-state="${state}"]`)
    .waitFor({ timeout: 30_000 });
}

describe('dashboard in Chromium', { timeout: 150_000 }, () => {
  let plane: TestPlane;
  let browser: Browser;

  before(async () => {
    ensureBuilt();
    await mkdir(SHOTS, { recursive: true });
    [plane, browser] = await Promise.all([startTestPlane(), launchChromium()]);
    await until(
      async () =>
        Offers.parse(await (await plane.call('/v1/offers?available=true&limit=1')).json()).offers
          .length > 0,
      'the first catalog sync',
    );
  });

  after(async () => {
    await browser.close();
    await plane.close();
  });

  it('signs in, filters, launches, follows it live, stops, terminates, signs out', async () => {
    const page = await browser.context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    const urls: string[] = [];
    page.on('framenavigated', (frame) => urls.push(frame.url()));

    await page.goto(`${plane.url}/`);
    await page.getByLabel('API token').fill('cpt_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown or revoked' }).waitFor();
    await shot(page, 'sign-in');
    await signIn(page, plane.url, plane.token);

    // Catalog: filter by the model and price of the cheapest available offer.
    const cheapest = Offers.parse(
      await (await plane.call('/v1/offers?available=true&limit=1')).json(),
    ).offers[0];
    assert.ok(cheapest?.gpu.name);
    const gpu = cheapest.gpu.name;
    const expected = Offers.parse(
      await (
        await plane.call(
          `/v1/offers?available=true&limit=50&gpu=${encodeURIComponent(gpu)}&maxPrice=${cheapest.price.perHour}`,
        )
      ).json(),
    ).offers;
    await page.locator('table.offers tbody tr').first().waitFor();
    await page.getByLabel('GPU model').selectOption(gpu);
    await page.getByLabel('Max price / h').fill(cheapest.price.perHour);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await rowsAre(page, expected.map((o) => o.id).sort(), { sorted: true });
    const filtered = new URL(page.url());
    assert.equal(filtered.pathname, '/catalog');
    assert.equal(filtered.searchParams.get('gpu'), gpu);
    assert.equal(filtered.searchParams.get('maxPrice'), cheapest.price.perHour);

    // "Price per GPU" is the server's order (same filters), kept in the URL too.
    const query = `available=true&limit=50&gpu=${encodeURIComponent(gpu)}&maxPrice=${cheapest.price.perHour}`;
    const perGpu = Offers.parse(
      await (await plane.call(`/v1/offers?${query}&sort=pricePerGpu`)).json(),
    ).offers;
    await page.getByLabel('Sort by').selectOption('pricePerGpu');
    await rowsAre(
      page,
      perGpu.map((o) => o.id),
      { sorted: false },
    );
    assert.equal(new URL(page.url()).searchParams.get('sort'), 'pricePerGpu');

    // Back and forward walk through the views.
    await page.goBack();
    await selectShows(page, 'sort', 'price');
    assert.equal(new URL(page.url()).searchParams.get('sort'), null);
    assert.equal(await page.getByLabel('GPU model').inputValue(), gpu);
    await page.goForward();
    await selectShows(page, 'sort', 'pricePerGpu');
    await rowsAre(
      page,
      perGpu.map((o) => o.id),
      { sorted: false },
    );

    await page.getByRole('button', { name: 'Reset' }).click();
    await page.locator('table.offers tbody tr').nth(expected.length).waitFor();
    assert.equal(new URL(page.url()).search, '?sort=pricePerGpu');
    await shot(page, 'catalog');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'catalog-390px', false);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'catalog-390px-dark', false);
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ colorScheme: 'light' });

    // Launch from the offer, adding a key on the way.
    await page.evaluate(() => {
      (window as unknown as { noReload: boolean }).noReload = true;
    });
    await page.locator(`tr[data-offer="${cheapest.id}"] button`).click();
    await page.getByRole('heading', { name: 'Launch' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('web-1');
    await page.getByText('Add an SSH key').click();
    await page.getByLabel('Key name').fill('laptop');
    await page.getByLabel('Public key').fill(generateSshKeyPair('laptop').publicKey);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page
      .getByRole('radio', { name: /laptop/ })
      .and(page.locator(':checked'))
      .waitFor();
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Ports').fill('8888');
    // An error from the API says what to do: user data over 16 KiB.
    await page.getByLabel(/User data/).fill('x'.repeat(17_000));
    const form = page.getByRole('form', { name: 'Launch an instance' });
    await form.getByRole('button', { name: 'Launch' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: /16 KiB|16384/ })
      .waitFor();
    await page.getByLabel(/User data/).fill('#!/bin/sh\necho hello');
    await shot(page, 'launch');
    await form.getByRole('button', { name: 'Launch' }).click();
    const progress = page.getByRole('region', { name: 'Launch progress' });
    await progress.locator('[data-state="running"]').waitFor({ timeout: 30_000 });
    await progress.getByText('pending → running').waitFor();
    await shot(page, 'launch-progress');

    // Instances: live state, gated actions, SSH command, timeline.
    await page.getByRole('link', { name: 'Instances' }).click();
    await cardInState(page, 'web-1', 'running');
    const card = page.locator('article[data-name="web-1"]');
    const ssh = await card.locator('.ssh code').textContent();
    assert.equal(ssh, 'ssh -p 2222 ubuntu@127.0.0.1');
    await card.getByRole('button', { name: 'Events' }).click();
    await card.getByText('pending → running').waitFor();
    await shot(page, 'instances');
    await card.getByRole('button', { name: 'Stop' }).click();
    await cardInState(page, 'web-1', 'stopped');
    await card.getByRole('button', { name: 'Start' }).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Stop' }).count(), 0);
    await card
      .getByText('running → stopping')
      .or(card.getByText('running → stopped'))
      .first()
      .waitFor();

    await card.getByRole('button', { name: 'Terminate' }).click();
    await cardInState(page, 'web-1', 'terminated');
    assert.equal(
      await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload),
      true,
      'the page never reloaded',
    );

    // Providers: sync health and "sync now".
    await page.getByRole('link', { name: 'Providers' }).click();
    const row = page.locator('tr[data-credential="dev"]');
    await row.getByText('ok', { exact: true }).first().waitFor();
    await row.getByRole('button', { name: 'Sync now' }).click();
    await row.getByRole('status').filter({ hasText: 'Sync queued' }).waitFor();
    // Scorecards: two drawn charts, the keyboard steps through their bars, a table carries them.
    const scorecard = page
      .getByRole('region', { name: 'Scorecards' })
      .locator('article[data-credential="dev"]');
    const figures = scorecard.getByRole('table', { name: 'Scorecard of dev (devcloud)' });
    await figures
      .getByRole('row', { name: /Launches ok/ })
      .getByRole('cell', { name: '100% of 1 launch' })
      .first()
      .waitFor();
    const charts = scorecard.locator('canvas[role="img"]');
    await charts.nth(1).waitFor();
    assert.equal(await charts.count(), 2);
    for (const canvas of await charts.all()) {
      assert.ok(await canvas.evaluate(paintedPixels), 'the chart is drawn');
    }
    const rates = scorecard.getByRole('img', { name: 'dev: success and error rates' });
    assert.equal(await rates.evaluate((el) => (el as HTMLElement).tabIndex), 0, 'in the tab order');
    await rates.focus();
    const spoken = scorecard.locator('[aria-live="polite"]').first();
    await spoken.filter({ hasText: /^Last hour, Catalog syncs ok: \d/ }).waitFor();
    await page.keyboard.press('ArrowRight');
    await spoken.filter({ hasText: /^Last day, Catalog syncs ok: \d/ }).waitFor();
    await page.keyboard.press('End');
    await spoken.filter({ hasText: /^Last day, Capacity errors: 0%/ }).waitFor();
    await page.getByRole('region', { name: 'Change feed' }).locator('li').first().waitFor();
    await shot(page, 'providers');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'providers-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.ok(
      urls.every((u) => !u.includes(plane.token)),
      'the token never appears in a URL',
    );
    await page.close();
  });

  it("a member sees neither the admin's instances nor the providers page", async () => {
    const admin = await plane.call('/v1/users', {
      method: 'POST',
      body: JSON.stringify({ name: 'mia', role: 'member' }),
    });
    assert.equal(admin.status, 201);
    const made = await plane.call('/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'mia-web', user: 'mia' }),
    });
    const { token } = z.object({ token: z.string() }).parse(await made.json());
    // The admin's own instance, launched through the API.
    const key = z.object({ id: z.string() }).parse(
      await (
        await plane.call('/v1/users/me/ssh-keys', {
          method: 'POST',
          body: JSON.stringify({ name: 'admin-key', publicKey: generateSshKeyPair('a').publicKey }),
        })
      ).json(),
    );
    const offer = Offers.parse(await (await plane.call('/v1/offers?available=true&limit=1')).json())
      .offers[0];
    assert.ok(offer);
    const launched = await plane.call('/v1/instances', {
      method: 'POST',
      body: JSON.stringify({ offerId: offer.id, name: 'admins-own', sshKeyIds: [key.id] }),
    });
    assert.equal(launched.status, 202, await launched.clone().text());

    const page = await browser.context.newPage();
    await signIn(page, plane.url, token);

    // A shared catalog URL opens on its filters and sort; region and provider are choices.
    const { regions } = Regions.parse(await (await plane.call('/v1/catalog/regions')).json());
    const places = regions.filter((r) => r.provider === 'devcloud').map((r) => r.region);
    const [region, other] = places;
    assert.ok(region !== undefined && other !== undefined, 'devcloud offers two regions or more');
    await page.goto(`${plane.url}/catalog?provider=devcloud&region=${region}&sort=pricePerGpu`);
    const inRegion = async (r: string) =>
      Offers.parse(
        await (
          await plane.call(
            `/v1/offers?available=true&limit=50&provider=devcloud&region=${r}&sort=pricePerGpu`,
          )
        ).json(),
      ).offers.map((o) => o.id);
    await rowsAre(page, await inRegion(region), { sorted: false });
    await selectShows(page, 'provider', 'devcloud');
    await selectShows(page, 'region', region);
    await selectShows(page, 'sort', 'pricePerGpu');
    const options = await page
      .getByLabel('Region')
      .locator('option')
      .evaluateAll((list) => list.map((o) => o.getAttribute('value')));
    assert.deepEqual(options.sort(), ['', ...places].sort());
    await page.getByLabel('Region').selectOption(other);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await rowsAre(page, await inRegion(other), { sorted: false });
    assert.equal(new URL(page.url()).searchParams.get('region'), other);

    await page.getByRole('link', { name: 'Instances' }).click();
    await page.getByText('No instances yet').waitFor();
    assert.equal(await page.locator('article.instance').count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Providers' }).count(), 0);

    // The member launches by requirement (no offer picked) and sees only that instance.
    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('button', { name: 'Launch by requirement' }).click();
    await page
      .getByRole('group', { name: 'What you need' })
      .getByLabel('GPU model')
      .selectOption(offer.gpu.name ?? '');
    await page.getByLabel('Name', { exact: true }).fill('mia-1');
    await page.getByText('Add an SSH key').click();
    await page.getByLabel('Key name').fill('mia-laptop');
    await page.getByLabel('Public key').fill(generateSshKeyPair('mia').publicKey);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page
      .getByRole('radio', { name: /mia-laptop/ })
      .and(page.locator(':checked'))
      .waitFor();
    await page
      .getByRole('form', { name: 'Launch an instance' })
      .getByRole('button', { name: 'Launch' })
      .click();
    await page
      .getByRole('region', { name: 'Launch progress' })
      .locator('[data-state="running"]')
      .waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Instances' }).click();
    await cardInState(page, 'mia-1', 'running');
    assert.deepEqual(
      await page
        .locator('article.instance')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-name'))),
      ['mia-1'],
    );
    await page.goto(`${plane.url}/providers`);
    await page.getByRole('alert').filter({ hasText: 'for admins' }).waitFor();
    await page.close();
  });
});
