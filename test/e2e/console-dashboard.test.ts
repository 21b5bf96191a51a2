import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserTier, newConsolePage, openBrowser, screenshot, signIn, startDemoServer, type DemoServer } from '../support/console-browser.js';

interface Kpis {
  calls: number;
  avgScore: number | null;
  hitRate: number | null;
  fatalCalls: number;
}
interface Rules {
  items: Array<{ ruleId: string; ruleName: string; calls: number }>;
}
interface AgentPage extends Kpis {
  deductions: Array<{ ruleId: string; moments: Array<{ callId: string; startMs: number }> }>;
}

const AGENT = { username: 'li.na', password: 'Dashboard-Check-2025!' };
/** The fixed geometry of the top-rules bars (console/src/pages/dashboard/chart-options.ts RULE_GRID). */
const RULE_GRID = { left: 168, right: 40, top: 8, bottom: 24 };
const CANVASES = ['score-distribution', 'bands', 'score-trend', 'top-rules', 'rule-trend', 'business-lines', 'emotion', 'topics'];

/** A KPI card's number as shown (zh-CN: 1,234 · 75.3 · 66.7%). */
const kpi = async (page: Page, id: string) => Number((await page.getByTestId(`${id}-value`).innerText()).replace(/[,%\s]/g, ''));
const tenths = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** Polls a KPI until it shows `value` (the page loads, may switch its range, and loads again). */
async function waitForKpi(page: Page, id: string, value: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const shown = page.getByTestId(`${id}-value`);
  await shown.waitFor({ timeout: timeoutMs });
  while ((await kpi(page, id)) !== value) {
    if (Date.now() > deadline) assert.fail(`${id} shows ${await shown.innerText()}, not ${value}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectKpis(page: Page, prefix: string, k: Kpis): Promise<void> {
  await waitForKpi(page, `${prefix}-calls`, k.calls);
  assert.equal(await kpi(page, `${prefix}-calls`), k.calls);
  assert.equal(await kpi(page, `${prefix}-avg-score`), tenths(k.avgScore));
  assert.equal(await kpi(page, `${prefix}-hit-rate`), k.hitRate === null ? null : tenths(k.hitRate * 100));
  assert.equal(await kpi(page, `${prefix}-fatal`), k.fatalCalls);
}

/** The page is no wider than the window (no horizontal scroll bar). */
const noHorizontalScroll = (page: Page) =>
  page.locator('html').evaluate((html) => html.scrollWidth <= html.clientWidth);

describe('console: the dashboard and the agent page', browserTier(), () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), openBrowser()]);
    await server.adminApi('POST', '/api/v1/users', { username: AGENT.username, password: AGENT.password, role: 'agent', agentId: 'A1001' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('as admin: KPIs equal the API, every chart draws, a rule bar opens its calls; 1280×800 and 1920×1080', async () => {
    const overview = await server.adminApi<Kpis>('GET', '/api/v1/reports/overview');
    const rules = await server.adminApi<Rules>('GET', '/api/v1/reports/rules?limit=10');
    const recent = await server.adminApi<Kpis>('GET', `/api/v1/reports/overview?from=${Date.now() - 30 * 86_400_000}`);
    assert.equal(overview.calls, 23);
    assert.ok(rules.items.length > 0, 'the templates hit in some demo calls');

    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/dashboard');
    if (recent.calls === 0) {
      // The demo's calls are from 2025: the default 30 days are empty, so the page shows all time.
      await page.getByTestId('auto-all-time').waitFor();
      await page.waitForURL((u) => u.searchParams.get('range') === 'all');
    } else await page.goto(`${server.url}/dashboard?range=all`);
    await expectKpis(page, 'kpi', overview);
    for (const c of CANVASES) await page.locator(`[data-testid=${c}-canvas] canvas`).waitFor({ timeout: 15_000 });
    assert.ok((await page.locator('[data-testid=agent-ranking] [data-testid=ranking-agent]').count()) >= 8, 'the demo agents A1001–A1008 ranked');
    for (const name of ['坐席', '班组', '业务线']) assert.equal(await page.getByRole('combobox', { name, exact: true }).count(), 1, `the ${name} choice is named`);
    assert.ok(await noHorizontalScroll(page));
    await screenshot(page, 'dashboard-1280x800');

    // The first (most violated) rule is the top bar: click inside its start.
    await page.getByTestId('top-rules-canvas').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('top-rules-canvas').boundingBox())!;
    const row = (box.height - RULE_GRID.top - RULE_GRID.bottom) / rules.items.length;
    await page.mouse.click(box.x + RULE_GRID.left + 3, box.y + RULE_GRID.top + row / 2);
    await page.waitForURL((u) => u.pathname === '/calls', { timeout: 10_000 });
    const drilled = new URL(page.url());
    assert.equal(drilled.searchParams.get('rule'), rules.items[0]!.ruleId);
    assert.equal(drilled.searchParams.get('from'), null, 'all time: no time filter');
    // The fatal KPI opens its calls from the keyboard too.
    await page.goBack();
    await page.getByTestId('kpi-fatal').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/calls' && u.searchParams.get('fatal') === 'true');
    assert.deepEqual(problems, []);

    const wide = await newConsolePage(browser, { width: 1920, height: 1080 });
    await signIn(wide.page, server.url, server.admin.username, server.admin.password, '/dashboard?range=all');
    await expectKpis(wide.page, 'kpi', overview);
    for (const c of CANVASES) await wide.page.locator(`[data-testid=${c}-canvas] canvas`).waitFor({ timeout: 15_000 });
    // Three charts a row at 1920 px.
    const tops = await Promise.all(['chart-score-distribution', 'chart-bands', 'chart-score-trend'].map(async (id) => (await wide.page.getByTestId(id).boundingBox())!.y));
    assert.deepEqual(new Set(tops).size, 1, `one row: ${tops.join(', ')}`);
    assert.ok(await noHorizontalScroll(wide.page));
    await screenshot(wide.page, 'dashboard-1920x1080');
    assert.deepEqual(wide.problems, []);
  });

  test("as agent A1001: lands on their page with only A1001's numbers; moments link to A1001's calls; another agent is not found", async () => {
    const own = await server.adminApi<AgentPage>('GET', '/api/v1/reports/agents/A1001');
    const theirCalls = await server.adminApi<{ items: Array<{ id: string; agentId: string }> }>('GET', '/api/v1/calls?agentId=A1001&limit=100');
    const ids = new Set(theirCalls.items.map((c) => c.id));
    assert.ok(own.calls > 0 && own.calls === ids.size, 'A1001 has demo calls');
    assert.ok(own.deductions.some((d) => d.moments.length > 0), 'and deductions with moments');

    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, AGENT.username, AGENT.password);
    await page.waitForURL((u) => u.pathname === '/agents/A1001');
    await expectKpis(page, 'agent-kpi', own);
    await page.locator('[data-testid=agent-trend-canvas] canvas').waitFor();
    await page.getByTestId('moment-link').first().waitFor();
    const hrefs = await page.getByTestId('moment-link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    assert.equal(hrefs.length, own.deductions.reduce((n, d) => n + d.moments.length, 0));
    for (const href of hrefs) {
      const m = /^\/calls\/([^?]+)\?t=(\d+)$/.exec(href);
      assert.ok(m, href);
      assert.ok(ids.has(decodeURIComponent(m[1]!)), `${href} is a call of A1001`);
    }
    const callLinks = await page.getByTestId('agent-call-link').count();
    assert.equal(callLinks, ids.size, "the agent's calls listed");
    await screenshot(page, 'agent-page-1280x800');

    // Their dashboard counts only their calls.
    await page.goto(`${server.url}/dashboard?range=all`);
    await expectKpis(page, 'kpi', own);
    assert.deepEqual(
      await page.locator('[data-testid=agent-ranking] [data-testid=ranking-agent]').allInnerTexts(),
      ['A1001'],
    );

    await page.goto(`${server.url}/agents/A1002`);
    await page.getByTestId('agent-not-found').waitFor();
    assert.equal(await page.getByTestId('moment-link').count(), 0);
    assert.deepEqual(problems, []);

    const wide = await newConsolePage(browser, { width: 1920, height: 1080 });
    await signIn(wide.page, server.url, AGENT.username, AGENT.password, '/agents/A1001?range=all');
    await expectKpis(wide.page, 'agent-kpi', own);
    await wide.page.getByTestId('moment-link').first().waitFor();
    assert.ok(await noHorizontalScroll(wide.page));
    await screenshot(wide.page, 'agent-page-1920x1080');
    assert.deepEqual(wide.problems, []);
  });

  test('a report that does not load: its charts show the error with a retry and the KPIs dashes, not endless placeholders; retry loads it', async () => {
    const overview = await server.adminApi<Kpis>('GET', '/api/v1/reports/overview');
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls');
    await page.route('**/api/v1/reports/overview*', (r) => r.abort('connectionrefused'));
    await page.goto(`${server.url}/dashboard?range=all`);
    const card = page.getByTestId('chart-score-distribution');
    await card.getByTestId('error').waitFor();
    assert.match(await card.getByTestId('error').innerText(), /无法连接服务器/);
    assert.equal(await page.getByTestId('kpi-calls-value').innerText(), '—');
    assert.equal(await page.locator('[data-testid=kpi-calls] .ant-skeleton').count(), 0);
    await page.locator('[data-testid=top-rules-canvas] canvas').waitFor(); // the other reports still show
    await page.unroute('**/api/v1/reports/overview*');
    await card.getByTestId('error').getByRole('button').click();
    await waitForKpi(page, 'kpi-calls', overview.calls);
    assert.deepEqual(problems, []);
  });
});
