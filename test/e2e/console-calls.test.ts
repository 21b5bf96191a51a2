import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../support/cli.js';
import { browserTier, newConsolePage, openBrowser, screenshot, signIn, startDemoServer, type DemoServer } from '../support/console-browser.js';
import { wavBuffer } from '../support/factories.js';

interface Sample {
  externalId: string;
  startedAt: string;
  agentId: string;
  businessLine: string;
  segments: Array<{ text: string }>;
}

/** The demo's calls as the sample files describe them: the counts the page must show. */
const SAMPLES: Sample[] = readdirSync(path.join(REPO_ROOT, 'samples/calls'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'samples/calls', f), 'utf8')) as Sample);
const FINANCE = SAMPLES.filter((s) => s.businessLine === '金融').length;
const OF_A1001 = SAMPLES.filter((s) => s.agentId === 'A1001').length;
/** A word said in some demo calls, not all. */
const WORD = '面膜';
const SAYING_WORD = SAMPLES.filter((s) => s.segments.some((x) => x.text.includes(WORD))).length;

const AGENT = { username: 'zhang.wei', password: 'Calls-Page-2025!' };
/** An inspector whose business lines match no call: they see only the calls assigned to them. */
const INSPECTOR = { username: 'li.na', password: 'Inspect-Calls-2025!' };

// The tests' TypeScript has no DOM types: functions run in the page reach it through this shape.
interface PageDoc {
  querySelector(s: string): object | null;
  querySelectorAll(s: string): { length: number };
}

/** The table's rows (antd puts one measure row in the body: skip it). */
const rows = (page: Page) => page.locator('[data-testid=calls-table] tbody tr.ant-table-row');

async function waitForRows(page: Page, n: number): Promise<void> {
  const shown = (count: number) => {
    const d = (globalThis as unknown as { document: PageDoc }).document;
    return d.querySelectorAll('[data-testid=calls-table] tbody tr.ant-table-row').length === count && !d.querySelector('[data-testid=calls-table] .ant-spin-spinning');
  };
  await page.waitForFunction(shown, n, { timeout: 15_000 });
}

/** The text of one column (by header index, selection column included) of every row. */
async function column(page: Page, index: number): Promise<string[]> {
  return rows(page).evaluateAll((trs, i) => trs.map((tr) => (tr.children[i] as unknown as { innerText: string }).innerText.trim()), index);
}

/** Clicks a sorter and waits for the list the server sent in that order to be on screen. */
async function sortBy(page: Page, click: () => Promise<void>, order: 'asc' | 'desc'): Promise<void> {
  const answered = page.waitForResponse((r) => {
    const q = new URL(r.url()).searchParams;
    return r.url().includes('/api/v1/calls?') && q.get('sort') === 'score' && q.get('order') === order;
  });
  await click();
  await (await answered).finished();
  await page.waitForURL((u) => u.searchParams.get('sort') === 'score' && u.searchParams.get('order') === order);
  await page.waitForFunction(() => !(globalThis as unknown as { document: PageDoc }).document.querySelector('[data-testid=calls-table] .ant-spin-spinning'));
}

const COL = { time: 1, agent: 2, businessLine: 4, score: 6 };

describe('console: the calls page and the upload page', browserTier(), () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), openBrowser()]);
    await server.adminApi('POST', '/api/v1/users', { username: AGENT.username, password: AGENT.password, role: 'agent', agentId: 'A1001', displayName: '张伟' });
    await server.adminApi('POST', '/api/v1/users', { username: INSPECTOR.username, password: INSPECTOR.password, role: 'inspector', businessLines: ['保险'], displayName: '李娜' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('lists the 23 demo calls with scores; the first load asks only for the table', async () => {
    assert.equal(SAMPLES.length, 23);
    const { page, problems } = await newConsolePage(browser);
    const api: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/') && !u.pathname.startsWith('/api/v1/auth/')) api.push(`${r.method()} ${u.pathname}${u.search}`);
    });
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls');
    await waitForRows(page, 23);
    assert.match(await page.getByTestId('calls-total').innerText(), /23/);
    const scores = await column(page, COL.score);
    assert.equal(scores.filter((s) => /^\d+(\.\d)?\s\S+/.test(s)).length, 23, `every call has a score and band: ${scores.join(' | ')}`);
    assert.ok((await page.locator('[data-testid=calls-table] [data-testid=emotion]').count()) > 0, 'customer emotion tags');
    await page.waitForTimeout(500);
    assert.equal(api.length, 1, api.join('\n'));
    assert.match(api[0]!, /^GET \/api\/v1\/calls\?/);
    assert.equal(new URL(api[0]!.slice(4), server.url).searchParams.get('limit'), '50');
    await screenshot(page, 'calls-list-1280x800');
    assert.deepEqual(problems, []);
  });

  test('filters by business line through the URL (a reload keeps it) and sorts by score on the server', async () => {
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls');
    await waitForRows(page, 23);
    await page.getByTestId('filter-businessLine').fill('金融');
    await page.getByTestId('filter-businessLine').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('businessLine') === '金融');
    await waitForRows(page, FINANCE);
    assert.deepEqual(await column(page, COL.businessLine), Array(FINANCE).fill('金融'));

    await page.reload();
    await waitForRows(page, FINANCE);
    assert.deepEqual(await column(page, COL.businessLine), Array(FINANCE).fill('金融'));
    assert.equal(await page.getByTestId('filter-businessLine').inputValue(), '金融');

    const scoreHeader = page.locator('[data-testid=calls-table] thead th', { hasText: '得分' });
    const scoresNow = async () => (await column(page, COL.score)).map((s) => Number(s.split(/\s/)[0]));
    await sortBy(page, () => scoreHeader.click(), 'desc');
    const desc = await scoresNow();
    assert.deepEqual(desc, [...desc].sort((a, b) => b - a), `highest first: ${desc.join(', ')}`);
    await sortBy(page, () => scoreHeader.click(), 'asc');
    const asc = await scoresNow();
    assert.deepEqual(asc, [...desc].reverse(), `lowest first: ${asc.join(', ')}`);
    assert.equal(new URL(page.url()).searchParams.get('businessLine'), '金融', 'sorting keeps the filter');

    // The agent field offers every agent of GET /api/v1/calls/facets, each with their number of calls.
    const facets = await server.adminApi<{ agents: Array<{ value: string; calls: number }> }>('GET', '/api/v1/calls/facets');
    const financeAgent = (await server.adminApi<{ items: Array<{ agentId: string }> }>('GET', `/api/v1/calls?businessLine=${encodeURIComponent('金融')}&limit=1`)).items[0]!.agentId;
    const counted = facets.agents.find((a) => a.value === financeAgent)!;
    await page.getByTestId('filter-agentId').click();
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await options.first().waitFor();
    assert.equal(await options.count(), facets.agents.length, 'every agent, not only those on screen');
    const option = options.filter({ hasText: financeAgent });
    assert.deepEqual((await option.innerText()).split(/\s+/), [financeAgent, String(counted.calls)]);
    await option.click();
    await page.waitForURL((u) => u.searchParams.get('agentId') === financeAgent);
    const both = await server.adminApi<{ total: number }>('GET', `/api/v1/calls?businessLine=${encodeURIComponent('金融')}&agentId=${financeAgent}`);
    await waitForRows(page, both.total);
    assert.deepEqual(problems, []);
  });

  test('a choice list loads when its dropdown opens; a drill-down link with a rule and days shows those calls', async () => {
    const { page, problems } = await newConsolePage(browser);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls');
    await waitForRows(page, 23);
    assert.ok(!asked.includes('/api/v1/rule-sets/published'), 'rules are not fetched with the page');
    await page.getByRole('combobox', { name: '命中规则' }).click(); // choice lists are named, not only placeholders
    await page.locator('.ant-select-item-option', { hasText: '开场问候' }).click();
    await page.waitForURL((u) => u.searchParams.get('rule') === 'general.greeting');
    assert.ok(asked.includes('/api/v1/rule-sets/published'));
    const greeting = await server.adminApi<{ total: number }>('GET', '/api/v1/calls?rule=general.greeting');
    await waitForRows(page, greeting.total);

    // A dashboard drill-down: whole days of the browser's calendar, the last one included.
    const days = await server.adminApi<{ total: number }>('GET', `/api/v1/calls?rule=general.greeting&from=${new Date(2025, 8, 18).toISOString()}&to=${new Date(2025, 8, 20).toISOString()}`);
    assert.ok(days.total > 0 && days.total < greeting.total);
    await page.goto(`${server.url}/calls?rule=general.greeting&from=2025-09-18&to=2025-09-19`);
    await waitForRows(page, days.total);
    assert.deepEqual(await page.locator('.tj-filter-range input').evaluateAll((xs) => xs.map((x) => (x as unknown as { value: string }).value)), ['2025-09-18', '2025-09-19']);
    // The rule from the link is shown by its name, not its id.
    await page.getByTestId('filter-rule').filter({ hasText: '开场问候' }).waitFor();
    assert.doesNotMatch(await page.getByTestId('filter-rule').innerText(), /general\.greeting/);
    assert.deepEqual(problems, []);
  });

  test("days are the browser's calendar: a day's filter holds the calls the table shows on it, as the dashboard counts them; calls open by keyboard", async () => {
    // New York: the demo's morning calls in China (+08:00) are the evening before there.
    const timeZone = 'America/New_York';
    const nyDay = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
    const onDay = SAMPLES.filter((x) => nyDay(x.startedAt) === '2025-09-14').length;
    assert.ok(onDay > 0 && onDay < 23, `calls on 2025-09-14 in ${timeZone}: ${onDay}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: timeZone });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()) && problems.push(m.text()));
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls?from=2025-09-14&to=2025-09-14');
    await waitForRows(page, onDay);
    const times = await column(page, COL.time);
    assert.ok(times.every((t) => t.startsWith('2025/09/14')), times.join(', '));

    await page.goto(`${server.url}/dashboard?range=custom&from=2025-09-14&to=2025-09-14`);
    await page.getByTestId('kpi-calls-value').waitFor();
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=kpi-calls-value]')?.textContent === String(n), onDay);

    // A day without calls: the empty state, its picture above its words.
    await page.goto(`${server.url}/calls?from=2025-09-01&to=2025-09-01`);
    await page.getByTestId('empty').waitFor();
    const picture = (await page.locator('[data-testid=empty] .ant-empty-image').boundingBox())!;
    const words = (await page.locator('[data-testid=empty] .ant-empty-description').boundingBox())!;
    assert.ok(picture.y + picture.height <= words.y, `picture ${JSON.stringify(picture)} above words ${JSON.stringify(words)}`);

    // The time opens the call: a link, so the keyboard reaches it.
    await page.goto(`${server.url}/calls?from=2025-09-14&to=2025-09-14`);
    await waitForRows(page, onDay);
    const link = page.getByTestId('call-link').first();
    const href = (await link.getAttribute('href')) ?? '';
    assert.match(href, /^\/calls\/[^/?]+$/);
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === href);
    await context.close();
    assert.deepEqual(problems, []);
  });

  test('a search shows the sentences with the words marked, each linking to its moment in the call', async () => {
    assert.ok(SAYING_WORD > 0 && SAYING_WORD < 23);
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls');
    await waitForRows(page, 23);
    await page.getByTestId('calls-search').locator('input').fill(WORD);
    await page.getByRole('button', { name: '搜索', exact: true }).click(); // the icon button has a name
    await page.waitForURL((u) => u.searchParams.get('q') === WORD);
    await page.getByTestId('search-summary').waitFor();
    assert.match(await page.getByTestId('search-summary').innerText(), new RegExp(`：${SAYING_WORD} 通`));
    assert.equal(await page.getByTestId('search-item').count(), SAYING_WORD);
    const marks = await page.locator('[data-testid=snippet] mark').allInnerTexts();
    assert.ok(marks.length > 0 && marks.every((m) => m === WORD), `marked: ${marks.join(', ')}`);
    const snippet = page.getByTestId('snippet').first();
    const href = (await snippet.getAttribute('href')) ?? '';
    assert.match(href, /^\/calls\/[^/?]+\?t=\d+$/);
    await screenshot(page, 'calls-search-1280x800');
    await snippet.click();
    await page.waitForURL((u) => `${u.pathname}${u.search}` === href);
    assert.deepEqual(problems, []);
  });

  test('a filter saved under a name is applied again from the list, and deleted', async () => {
    const { page, problems } = await newConsolePage(browser, { width: 1920, height: 1080 });
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls?businessLine=%E9%87%91%E8%9E%8D&sort=score&order=asc');
    await waitForRows(page, FINANCE);
    await screenshot(page, 'calls-list-1920x1080');
    await page.getByTestId('saved-filters').click();
    await page.getByTestId('saved-filter-save').click();
    await page.getByTestId('saved-filter-name').fill('金融低分在前');
    await page.getByTestId('saved-filter-confirm').click();
    await page.getByTestId('saved-filter-name').waitFor({ state: 'detached' });

    await page.goto(`${server.url}/calls`);
    await waitForRows(page, 23);
    await page.getByTestId('saved-filters').click();
    const saved = page.getByTestId('saved-filter').filter({ hasText: '金融低分在前' });
    await saved.waitFor();
    await saved.getByTestId('saved-filter-apply').click();
    await page.waitForURL((u) => u.searchParams.get('businessLine') === '金融' && u.searchParams.get('sort') === 'score' && u.searchParams.get('order') === 'asc');
    await waitForRows(page, FINANCE);

    await page.getByTestId('saved-filters').click();
    await saved.getByTestId('saved-filter-delete').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await saved.waitFor({ state: 'detached' });
    const left = await server.adminApi<{ items: unknown[] }>('GET', '/api/v1/saved-filters?page=calls');
    assert.equal(left.items.length, 0);
    assert.deepEqual(problems, []);
  });

  test('bulk actions: re-inspecting selected calls shows the job to its end; assigned calls reach the inspector; an export awaits approval', async () => {
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls?businessLine=%E9%87%91%E8%9E%8D');
    await waitForRows(page, FINANCE);
    await rows(page).nth(0).locator('.ant-checkbox-input').check();
    await rows(page).nth(1).locator('.ant-checkbox-input').check();
    assert.match(await page.getByTestId('bulk-count').innerText(), /2/);
    await page.getByTestId('bulk-reinspect').click();
    await page.getByTestId('reinspect-confirm').click();
    await page.locator('[data-testid=reinspect-progress][data-status=done]').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('reinspect-progress').innerText(), /2/);

    await page.getByTestId('bulk-assign').click();
    await page.getByTestId('assign-inspector').click();
    await page.locator('.ant-select-item-option', { hasText: INSPECTOR.username }).click();
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.ant-modal .ant-alert-success').waitFor();
    assert.match(await page.getByTestId('assign-progress').innerText(), /2\/2/);
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const inspector = await newConsolePage(browser);
    await signIn(inspector.page, server.url, INSPECTOR.username, INSPECTOR.password, '/calls');
    await waitForRows(inspector.page, 2);
    assert.deepEqual(await column(inspector.page, COL.businessLine), ['金融', '金融']);
    assert.deepEqual(inspector.problems, []);

    await page.getByTestId('bulk-export').click();
    await page.getByTestId('export-reason').fill('季度合规抽查，导出金融通话转写');
    await page.getByTestId('export-submit').click();
    await page.getByTestId('export-outcome').waitFor();
    assert.match(await page.getByTestId('export-outcome').innerText(), /审批/);
    assert.deepEqual(problems, []);
  });

  test("an agent sees only their own calls, and another agent's call is not found", async () => {
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, AGENT.username, AGENT.password, '/calls');
    await waitForRows(page, OF_A1001);
    // No row checkboxes: an agent has no action to take on selected calls.
    assert.equal(await page.locator('[data-testid=calls-table] .ant-table-selection-column').count(), 0);
    assert.deepEqual(await column(page, COL.agent - 1), Array(OF_A1001).fill('A1001'));
    assert.match(await page.getByTestId('calls-total').innerText(), new RegExp(String(OF_A1001)));
    assert.equal(await page.getByTestId('bulk-reinspect').count(), 0);

    const other = await server.adminApi<{ items: Array<{ id: string }> }>('GET', '/api/v1/calls?agentId=A1002&limit=1');
    await page.goto(`${server.url}/calls/${other.items[0]!.id}`);
    await page.getByTestId('not-found').waitFor();
    assert.deepEqual(problems, []);
  });

  test('upload: a WAV goes through with its progress to done; an unsupported file shows what the server said', async () => {
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/upload');
    await page.getByTestId('upload-page').waitFor();
    await page.locator('[data-testid=upload-drop] input[type=file]').setInputFiles([
      { name: 'console-upload.wav', mimeType: 'audio/wav', buffer: wavBuffer({ seconds: 3, seed: 20251 }) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a recording\n') },
    ]);
    await page.getByTestId('upload-entry').nth(1).waitFor();
    await page.getByTestId('upload-start').click();
    const wav = page.locator('[data-testid=upload-entry][data-name="console-upload.wav"]');
    await wav.locator('[data-testid=pipeline][data-status=done]').waitFor({ timeout: 60_000 });
    const progress = wav.getByTestId('upload-progress');
    const uploaded = (await progress.getAttribute('aria-valuenow')) ?? (await progress.locator('[aria-valuenow]').getAttribute('aria-valuenow'));
    assert.equal(uploaded, '100');
    const open = await wav.getByTestId('pipeline-open-call').getAttribute('href');
    assert.match(open ?? '', /^\/calls\/[\w-]+$/);
    const bad = page.locator('[data-testid=upload-entry][data-name="notes.txt"]');
    await bad.getByTestId('upload-error').waitFor();
    assert.match(await bad.getByTestId('upload-error').innerText(), /unsupported audio format/);
    await screenshot(page, 'upload-1280x800');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'upload-1920x1080');
    assert.deepEqual(problems, []);
  });
});
