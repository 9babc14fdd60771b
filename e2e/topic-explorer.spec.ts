import { test } from '@playwright/test';
import { expect } from './expect.ts';
import { serveDemo } from './twinline-server.ts';

// The topic explorer's user path against `twinline serve` with the demo (its embedded brokers and
// simulator): open the panel, find a demo topic, see it marked bound, pick a number in its payload
// and read the binding the plant file would need. The tree, caps and proposals are proven in unit tests.
let demo: Awaited<ReturnType<typeof serveDemo>> | undefined;

test.beforeAll(async () => {
  demo = await serveDemo();
});

test.afterAll(async () => {
  await demo?.stop();
});

test('the topic explorer finds a demo topic, marks it bound and proposes the binding of a picked number at 1024×700', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  try {
    await page.goto(demo!.url);
    await page.getByRole('button', { name: 'Topics' }).click();
    const explorer = page.getByRole('region', { name: 'Topic explorer' });
    await expect(explorer).toBeVisible();
    // The host subscribed the demo's brokers: topics arrive and are counted.
    await expect(explorer.locator('.topic-totals')).not.toHaveAttribute('data-topics', '0');
    await explorer.getByRole('button', { name: 'Expand demo', exact: true }).first().click();
    await explorer.getByRole('button', { name: 'Expand demo/eaf-1', exact: true }).click();
    const row = explorer.locator('.topic-row[data-topic="demo/eaf-1/temperature"]');
    await expect(row).toHaveAttribute('data-bound', '1');
    await expect(row.locator('.topic-bound')).toBeVisible();
    await row.getByRole('button', { name: 'temperature' }).click();
    const detail = explorer.getByRole('region', { name: 'Selected topic' });
    await expect(detail.locator('[data-bound-signals]')).toHaveAttribute('data-bound-signals', 'eaf-1/temperature');
    // The demo publishes { value, ts }: pick the value.
    const value = detail.locator('.json-pick[data-json-path="value"]');
    await expect(value).toBeVisible();
    await expect(value).toBeInViewport();
    await value.click();
    await expect(detail.locator('[data-proposed-binding]')).toHaveText('- id: temperature\n  topic: demo/eaf-1/temperature\n  path: value\n');
    // Closing the panel closes the explorer on the host too.
    await page.keyboard.press('Escape');
    await expect(explorer).toHaveCount(0);
  } finally {
    await testInfo.attach('twinline serve output', { body: demo!.output(), contentType: 'text/plain' });
  }
});
