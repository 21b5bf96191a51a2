import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserTier, newConsolePage, openBrowser, screenshot, signIn, startDemoServer, type DemoServer } from '../support/console-browser.js';

interface Inspection {
  ruleSetVersion: number | null;
  results: Array<{ ruleId: string; outcome: 'hit' | 'pass' | 'na' }>;
  score: { percent: number | null } | null;
}
const TEAM_LEAD = { username: 'lead-rules', password: 'Qa-reader-2025!' };
const AGENT = { username: 'wang.fang', password: 'No-Rules-Here-2025!' };
/** A sample call whose agent opens with 喂 and no greeting: general.greeting hits it in version 1. */
const CALL = 'demo-ecom-005';

const outcome = (i: Inspection, ruleId: string) => i.results.find((r) => r.ruleId === ruleId)?.outcome;

/** The editor's line at the cursor, as its gutter numbers it. */
async function cursorLine(page: Page): Promise<number> {
  return Number(await page.locator('.cm-activeLineGutter').first().innerText());
}

describe('console: the rules page (versions, form + YAML, validation, dry run, save, publish, re-inspect)', browserTier(), () => {
  let server: DemoServer;
  let browser: Browser;
  let callId: string;
  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), openBrowser()]);
    await server.adminApi('POST', '/api/v1/users', { ...TEAM_LEAD, role: 'team_lead', teamIds: ['T-ecom-1'] });
    const calls = await server.adminApi<{ items: Array<{ id: string; externalId: string | null }> }>('GET', '/api/v1/calls?limit=100');
    callId = calls.items.find((c) => c.externalId === CALL)!.id;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an admin adds a keyword and changes a deduction in the form, breaks and fixes the YAML, dry-runs, saves, publishes and re-inspects', async () => {
    const inspection = async () => (await server.adminApi<{ inspection: Inspection }>('GET', `/api/v1/calls/${callId}`)).inspection;
    const before = await inspection();
    assert.equal(before.ruleSetVersion, 1);
    assert.equal(outcome(before, 'general.greeting'), 'hit', 'version 1 finds no greeting in 喂，你说。');

    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, `/calls/${callId}`);
    await page.locator('[data-testid=rule-hit][data-rule="general.greeting"]').waitFor();

    await page.goto(`${server.url}/rules`);
    await page.locator('[data-testid=rule-workspace][data-version="1"]').waitFor();
    const v1 = page.getByTestId('version-1');
    assert.equal(await v1.getAttribute('data-status'), 'published');
    assert.equal(await v1.getAttribute('data-current'), 'true', 'version 1 is the one in effect');
    await page.getByTestId('rule-row-general.greeting').waitFor();
    assert.match(await page.getByTestId('rule-table').innerText(), /开场问候[\s\S]*服务禁语/);
    // A followUp that looks before its anchor (核实订单信息's inner one) is described as before it.
    const orderRow = await page.locator('tr', { has: page.getByTestId('rule-row-ecommerce.order-number-asked') }).innerText();
    assert.match(orderRow, /之前 .* 内应有/, orderRow);
    assert.doesNotMatch(orderRow, /之后 .*之后/, orderRow);
    await page.getByTestId('validation-status').and(page.locator('[data-status=valid]')).waitFor();
    await screenshot(page, 'rules-1280');

    // The form writes into the YAML: a keyword added to 开场问候 …
    await page.getByTestId('rule-row-general.greeting').click();
    assert.equal(await page.getByTestId('rule-name').inputValue(), '开场问候');
    await page.getByTestId('keywords-0').locator('input').click();
    await page.keyboard.type('喂');
    await page.keyboard.press('Enter');
    await page.locator('.cm-line', { hasText: /keywords: \[您好.*晚上好, 喂\]/ }).waitFor();
    await page.getByTestId('rule-row-general.greeting').getByTestId('rule-modified').waitFor();
    // … and 服务禁语's deduction per hit changed from 5 to 6.
    await page.getByTestId('rule-row-general.forbidden-phrases').click();
    await page.getByTestId('item-perhit-0').fill('6');
    await page.locator('.cm-line', { hasText: 'deduct: {perHit: 6, max: 10}' }).first().waitFor();
    await page.locator('tr', { has: page.getByTestId('rule-row-general.forbidden-phrases') }).getByTestId('rule-deduction').filter({ hasText: '−6' }).waitFor();
    assert.ok(await page.getByTestId('unsaved').isVisible());

    // Broken YAML: the server's problem at the line typed on, in the editor and in the list under it.
    await page.getByTestId('rule-row-general.greeting').click();
    await page.locator('.cm-line', { hasText: 'name: 开场问候' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(': [broken');
    const broken = await cursorLine(page);
    await page.getByTestId('validation-status').and(page.locator('[data-status=invalid]')).waitFor();
    const first = page.getByTestId('yaml-problem').first();
    assert.equal(await first.getAttribute('data-line'), String(broken), await page.getByTestId('yaml-problems').innerText());
    assert.match(await first.innerText(), new RegExp(`第 ${broken} 行`));
    await page.locator('.cm-line', { hasText: '[broken' }).locator('.cm-lintRange-error').first().waitFor();
    await page.getByTestId('form-needs-yaml').waitFor();
    assert.equal(await page.getByTestId('save-version').isDisabled(), true, 'a set that does not parse cannot be saved');
    await screenshot(page, 'rules-yaml-problem-1280');
    for (let i = 0; i < ': [broken'.length; i++) await page.keyboard.press('Backspace');
    await page.getByTestId('validation-status').and(page.locator('[data-status=valid]')).waitFor();
    assert.equal(await page.getByTestId('yaml-problems').count(), 0);
    assert.equal(await page.getByTestId('rule-name').inputValue(), '开场问候', 'the form is back');

    // The rule alone as YAML: typed there, seen in the form and in the module.
    await page.getByTestId('scope-rule').click();
    await page.locator('.cm-line').first().filter({ hasText: 'id: greeting' }).waitFor();
    await page.locator('.cm-line', { hasText: 'name: 开场问候' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('语');
    await page.getByTestId('rule-name').and(page.locator('[value="开场问候语"]')).waitFor();
    await page.getByText('整个模块').click();
    await page.locator('.cm-line', { hasText: 'name: 开场问候语' }).waitFor();

    // Dry run on the stored calls: 开场问候 no longer hits the calls that open with 喂.
    await page.getByTestId('tab-test').click();
    await page.getByTestId('dry-run-start').click();
    await page.getByTestId('dry-run-table').waitFor();
    assert.match(await page.getByTestId('dry-run-summary').innerText(), /23/);
    const noLonger = Number(await page.getByTestId('dry-run-nolonger-general.greeting').innerText());
    assert.ok(noLonger >= 1, `no longer hit: ${noLonger}`);
    assert.match(await page.getByTestId('dry-run-hits-general.greeting').innerText(), /^0 /);
    // Examples of a violation: the call linked at its evidence's time, the matched words marked.
    const forbidden = page.getByTestId('dry-run-row-general.forbidden-phrases').locator('xpath=ancestor::tr[1]');
    await forbidden.locator('.ant-table-row-expand-icon').click();
    const examples = page.getByTestId('dry-run-examples-general.forbidden-phrases');
    await examples.waitFor();
    assert.match((await examples.getByTestId('dry-run-call-link').first().getAttribute('href')) ?? '', /^\/calls\/[^?]+\?t=\d+$/);
    assert.ok((await examples.getByTestId('dry-run-evidence').locator('mark').count()) > 0, 'the hit words are marked');
    await screenshot(page, 'rules-dry-run-1280');

    // Saved as a draft, published after a confirmation, stored calls re-inspected with it.
    await page.getByTestId('save-version').click();
    await page.getByTestId('save-note').fill('开场问候加入“喂”；服务禁语每次扣 6 分');
    await page.getByTestId('save-confirm').click();
    await page.locator('[data-testid=rule-workspace][data-version="2"]').waitFor();
    assert.equal(await page.getByTestId('version-2').getAttribute('data-status'), 'draft');
    await page.getByTestId('publish-version').click();
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('reinspect-offer').waitFor();
    await page.locator('[data-testid=version-2][data-current=true]').waitFor();
    await page.getByTestId('reinspect-offer-start').click();
    await page.getByTestId('reinspect-progress').waitFor();
    await page.locator('[data-testid=reinspect-status][data-status=done]').waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('reinspect-status').innerText(), /23 \/ 23/);
    await screenshot(page, 'rules-reinspected-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'rules-reinspected-1920');

    // The call's stored result is now version 2's: greeting found, a better score.
    const afterwards = await inspection();
    assert.equal(afterwards.ruleSetVersion, 2);
    assert.equal(outcome(afterwards, 'general.greeting'), 'pass');
    assert.ok((afterwards.score?.percent ?? 0) > (before.score?.percent ?? 0), `${afterwards.score?.percent} > ${before.score?.percent}`);
    await page.goto(`${server.url}/calls/${callId}`);
    await page.getByTestId('score-item-greeting').waitFor();
    assert.equal(await page.locator('[data-testid=rule-hit][data-rule="general.greeting"]').count(), 0, 'the call detail shows version 2: no greeting hit');
    assert.equal(await page.getByTestId('score-item-greeting').getByTestId('deduction').count(), 0);
    assert.deepEqual(problems, []);
  });

  test('a team lead (rules:read) sees the versions and rules but cannot edit, test, save or publish', async () => {
    const { page, problems } = await newConsolePage(browser, { width: 1920, height: 1080 });
    await signIn(page, server.url, TEAM_LEAD.username, TEAM_LEAD.password, '/rules');
    await page.locator('[data-testid=rule-workspace][data-version="2"]').waitFor();
    await page.getByTestId('version-1').waitFor();
    await page.getByTestId('rule-row-general.greeting').click();
    assert.equal(await page.getByTestId('rule-name').isDisabled(), true);
    assert.equal(await page.locator('.cm-content').getAttribute('contenteditable'), 'false');
    for (const id of ['save-version', 'publish-version', 'reinspect-start', 'tab-test', 'add-rule']) assert.equal(await page.getByTestId(id).count(), 0, id);
    await page.getByTestId('version-1').click();
    await page.locator('[data-testid=rule-workspace][data-version="1"]').waitFor();
    await screenshot(page, 'rules-read-only-1920');
    assert.deepEqual(problems, []);
  });

  test('an agent (no rules:read) is told the page is not theirs, and the page asks the server nothing', async () => {
    await server.adminApi('POST', '/api/v1/users', { ...AGENT, role: 'agent', agentId: 'A1001' });
    const { page, problems } = await newConsolePage(browser);
    const asked: string[] = [];
    page.on('request', (r) => new URL(r.url()).pathname.startsWith('/api/v1/rule-sets') && asked.push(r.url()));
    await signIn(page, server.url, AGENT.username, AGENT.password, '/rules');
    await page.getByTestId('rules-forbidden').waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(asked, [], 'no request that can only be refused (and audited as denied)');
    assert.deepEqual(problems, []);
  });
});
