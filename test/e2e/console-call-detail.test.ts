import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { locateFfmpeg } from '../../src/adapters/ffmpeg/locate-ffmpeg.js';
import { browserTier, newConsolePage, openBrowser, screenshot, signIn, startDemoServer, type DemoServer, type InPage } from '../support/console-browser.js';

// The call detail page (/calls/:id) in a real browser against the demo server, as the admin:
// waveform drawn from the server's peaks, playback, the transcript synced with the audio element,
// rule hits marked in the words, the scorecard, ?t= deep links, and the not-found state.

interface Segment {
  index: number;
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
}
interface Detail {
  recording: { durationMs: number } | null;
  transcript: { segments: Segment[] } | null;
  inspection: {
    results: Array<{ ruleName: string; outcome: string; evidence: Array<{ segmentIndex: number | null; startMs: number; spans: Array<{ start: number; end: number }>; text: string }> }>;
    score: { items: Array<{ itemId: string; name: string; max: number; score: number | null; status: string }> } | null;
  } | null;
}

/** The audio element and wavesurfer's canvas, as page functions see them (see InPage). */
type Audio = { currentTime: number; paused: boolean };
type Canvas = { width: number; height: number; getBoundingClientRect(): { width: number } };
type Host = { shadowRoot: { querySelector(s: string): Canvas | null } | null };
const AUDIO = `document.querySelector('[data-testid="audio"]')`;
/** The audio element's position in ms. */
const audioMs = (page: Page) => page.evaluate<number>(`${AUDIO}.currentTime * 1000`);

/**
 * performance.now() once the page shows `rows` transcript rows (any when 0), the scorecard and the
 * play button, and — when `waveform` — wavesurfer's canvas drawn with a size; false before.
 */
function pageReady(want: { rows: number; waveform: boolean }): number | false {
  const g = globalThis as unknown as InPage;
  const doc = g.document;
  const host = doc.querySelector('[data-testid="waveform"][data-ready="true"] > div') as unknown as Host | null;
  const c = host?.shadowRoot?.querySelector('canvas');
  const drawn = Boolean(c && c.width > 0 && c.height > 0 && c.getBoundingClientRect().width > 0);
  const ok = (!want.waveform || drawn) && (want.rows === 0 || doc.querySelectorAll('.tj-cd-seg').length === want.rows) && doc.querySelector('[data-testid="scorecard"]') !== null && doc.querySelector('[data-testid="play"]') !== null;
  return ok ? g.performance.now() : false;
}

/** Waits until the audio element is within ±300 ms of `ms`. */
async function waitForAudioAt(page: Page, ms: number): Promise<void> {
  const near = (target: number) => Math.abs(((globalThis as unknown as InPage).document.querySelector('[data-testid="audio"]') as unknown as Audio).currentTime * 1000 - target) <= 300;
  await page.waitForFunction(near, ms, { timeout: 10_000 }).catch(async () => {
    assert.fail(`audio at ${await audioMs(page)} ms, expected ${ms} ± 300`);
  });
}

const audioPast = (s: number) => ((globalThis as unknown as InPage).document.querySelector('[data-testid="audio"]') as unknown as Audio).currentTime > s;
const audioPaused = () => ((globalThis as unknown as InPage).document.querySelector('[data-testid="audio"]') as unknown as Audio).paused;

/**
 * A 12-minute stereo 8 kHz μ-law call with 300 sentences (some with words the templates flag),
 * uploaded as the admin with a session cookie and its CSRF token, as the console would.
 */
async function uploadLongCall(server: DemoServer): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tingjian-long-call-'));
  try {
    const wav = path.join(dir, 'long.wav');
    const ffmpeg = (await locateFfmpeg()).path;
    const on = (period: number) => `gt(mod(t,${period}),${period / 2})`;
    execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc=exprs='0.4*${on(4.8)}*sin(2*PI*300*t)|0.4*(1-${on(4.8)})*sin(2*PI*500*t)':s=8000:d=720`, '-c:a', 'pcm_mulaw', wav]);
    const lines = ['您好，请问有什么可以帮您？', '我的快递一直没到，我很生气。', '非常抱歉，我帮您查一下订单。', '你们每次都这样，我要投诉。', '请您稍等，我马上为您处理。', '好的，谢谢。'];
    const segments = Array.from({ length: 300 }, (_, i) => ({ speaker: i % 2 ? 'customer' : 'agent', startMs: i * 2400, endMs: i * 2400 + 2200, text: `${lines[i % lines.length]}（第${i + 1}句）` }));
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: server.admin.password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const form = new FormData();
    form.append('metadata', JSON.stringify({ externalId: 'long-call-300', channel: 'phone', direction: 'inbound', startedAt: '2025-09-20T10:00:00+08:00', agentId: 'A1001', businessLine: '电商客服', language: 'zh-CN', channelRoles: ['agent', 'customer'], segments }));
    form.append('audio', new Blob([new Uint8Array(readFileSync(wav))], { type: 'audio/wav' }), 'long.wav');
    const res = await fetch(`${server.url}/api/v1/calls`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, body: form });
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { call: { id: string } }).call.id;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const waitForActive = (page: Page, index: number) => page.locator(`[data-testid="segment-${index}"][data-active="true"]`).waitFor({ timeout: 10_000 });

describe('console: the call detail page', browserTier(), () => {
  let server: DemoServer;
  let browser: Browser;
  let callId = '';
  let detail: Detail;
  let hitRule = '';
  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), openBrowser()]);
    // A demo call with a recording and a rule hit marked inside a sentence.
    const list = await server.adminApi<{ items: Array<{ id: string; status: string }> }>('GET', '/api/v1/calls?limit=50');
    for (const c of list.items.filter((x) => x.status === 'done')) {
      const d = await server.adminApi<Detail>('GET', `/api/v1/calls/${c.id}`);
      const hit = d.inspection?.results.find((r) => r.outcome === 'hit' && r.evidence.some((e) => e.segmentIndex !== null && e.spans.length > 0));
      if (d.recording && hit && (d.transcript?.segments.length ?? 0) >= 6) {
        [callId, detail, hitRule] = [c.id, d, hit.ruleName];
        break;
      }
    }
    assert.ok(callId, 'a demo call with a recording and a rule hit in the words');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('waveform, playback, click-to-seek, hit marks and the scorecard (1280×800)', async () => {
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, `/calls/${callId}`);
    await page.getByTestId('call-header').waitFor();

    // the waveform is drawn: a canvas inside wavesurfer's (shadow) container with a size
    await page.waitForFunction(pageReady, { rows: 0, waveform: true }, { timeout: 10_000 });
    assert.match(await page.getByTestId('call-agent').innerText(), /^A\d{4}$/);
    assert.equal(await page.getByTestId('call-agent').locator('a').getAttribute('href'), `/agents/${await page.getByTestId('call-agent').innerText()}`);

    // play: the audio element's time advances
    await page.getByTestId('play').click();
    await page.waitForFunction(audioPast, 0.2, { timeout: 10_000 });
    await page.getByTestId('play').click(); // pause
    await page.waitForFunction(audioPaused);

    // a later sentence: clicking it seeks there and makes it the current one
    const segments = detail.transcript!.segments;
    const later = segments[segments.length - 2]!;
    await page.getByTestId(`segment-${later.index}`).click();
    await waitForAudioAt(page, later.startMs);
    await waitForActive(page, later.index);
    assert.equal(await page.locator('[data-active="true"]').count(), 1, 'one current sentence');

    // rule hits marked inside the words, the rule's name in the title
    const marks = page.getByTestId('hit-mark');
    assert.ok((await marks.count()) > 0);
    const titles = await marks.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    assert.ok(titles.some((x) => x.includes(hitRule)), `${hitRule} in ${titles.join(' | ')}`);
    assert.equal(await page.locator('mark[data-testid="hit-mark"] mark').count(), 0, 'no nested marks');

    // the scorecard with its deductions; clicking a piece of evidence seeks to it
    await page.getByTestId('scorecard').waitFor();
    const deducted = detail.inspection!.score!.items.filter((i) => i.status === 'scored' && i.score !== null && i.score < i.max);
    assert.ok(deducted.length > 0, 'the chosen call loses points');
    for (const item of deducted) {
      assert.match(await page.getByTestId(`score-item-${item.itemId}`).getByTestId('deduction').innerText(), new RegExp(`−${item.max - item.score!}`));
    }
    const evidence = page.getByTestId('evidence-link').first();
    const evidenceMs = Number(await evidence.getAttribute('data-ms'));
    await evidence.click();
    await waitForAudioAt(page, evidenceMs);

    // a timeline mark of a rule hit seeks too
    const mark = page.getByTestId('mark-hit').or(page.getByTestId('mark-fatal')).first();
    const markMs = Number(await mark.getAttribute('data-ms'));
    await page.getByTestId(`segment-${segments[0]!.index}`).click();
    await mark.click();
    await waitForAudioAt(page, markMs);

    // speed
    await page.getByTestId('speed').getByText('1.5×').click();
    assert.equal(await page.evaluate(`${AUDIO}.playbackRate`), 1.5);

    // the emotion curve (ECharts on a canvas, under the CSP)
    await page.getByTestId('tab-emotion').click();
    await page.locator('[data-testid="emotion-chart"] canvas').first().waitFor({ timeout: 10_000 });
    await page.getByTestId('tab-signals').click();
    await page.getByTestId('signals').waitFor();
    await page.getByTestId('tab-score').click();
    await page.locator('.ant-tabs-tab-active [data-testid="tab-score"]').waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(400); // the tab's ink bar slides over
    await screenshot(page, 'call-detail-1280');
    assert.deepEqual(problems, []);
  });

  test('?t=<ms> starts there (1920×1080); an unknown id shows the not-found state', async () => {
    const { page, problems } = await newConsolePage(browser, { width: 1920, height: 1080 });
    const segments = detail.transcript!.segments;
    const target = segments[Math.floor(segments.length / 2)]!;
    await signIn(page, server.url, server.admin.username, server.admin.password, `/calls/${callId}?t=${target.startMs}`);
    await page.locator('[data-testid="waveform"] canvas').first().waitFor({ timeout: 10_000 });
    await waitForAudioAt(page, target.startMs);
    await waitForActive(page, target.index);
    await screenshot(page, 'call-detail-1920');

    await page.goto(`${server.url}/calls/no-such-call`);
    await page.getByTestId('not-found').waitFor();
    assert.match(await page.getByTestId('not-found').innerText(), /no-such-call/);
    assert.deepEqual(problems, []);
  });

  test('an agent hears their own call with personal data covered, and seeks in it', async () => {
    const agentId = (await server.adminApi<{ call: { agentId: string } }>('GET', `/api/v1/calls/${callId}`)).call.agentId;
    await server.adminApi('POST', '/api/v1/users', { username: 'agent-detail', password: 'Listen-9-Seek-2025!', role: 'agent', agentId });
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, 'agent-detail', 'Listen-9-Seek-2025!', `/calls/${callId}`);
    await page.waitForFunction(pageReady, { rows: 0, waveform: true }, { timeout: 10_000 });
    const segments = detail.transcript!.segments;
    const later = segments[segments.length - 3]!;
    await page.getByTestId(`segment-${later.index}`).click();
    await waitForAudioAt(page, later.startMs);
    await waitForActive(page, later.index);
    await page.getByTestId('play').click();
    await page.waitForFunction(audioPast, later.startMs / 1000 + 0.2, { timeout: 10_000 });
    await page.getByTestId('play').click();
    assert.equal(await page.evaluate<string>(`${AUDIO}.currentSrc.replace(location.origin, '')`), `/api/v1/calls/${callId}/audio`);
    assert.deepEqual(problems, []);
  });

  test('a 12-minute call with 300 sentences becomes interactive and drawn; playing touches only the current rows', async () => {
    const id = await uploadLongCall(server);
    const deadline = Date.now() + 120_000;
    while ((await server.adminApi<{ call: { status: string } }>('GET', `/api/v1/calls/${id}`)).call.status === 'processing') {
      assert.ok(Date.now() < deadline, 'the long call is processed within 2 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal((await server.adminApi<{ call: { status: string } }>('GET', `/api/v1/calls/${id}`)).call.status, 'done');
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls');
    // Times from the navigation's start, taken in the page: the transcript's 300 rows, the
    // scorecard and the player's controls (interactive), then the waveform drawn. The first visit
    // also decodes the recording for its waveform (its time is bench-checked in http-call-waveform);
    // the second reads it from the database.
    const visit = async () => {
      await page.goto(`${server.url}/calls/${id}`);
      const interactive = await page.waitForFunction(pageReady, { rows: 300, waveform: false }, { timeout: 20_000 });
      const drawn = await page.waitForFunction(pageReady, { rows: 300, waveform: true }, { timeout: 20_000 });
      return { interactiveMs: Math.round(Number(await interactive.jsonValue())), drawnMs: Math.round(Number(await drawn.jsonValue())) };
    };
    const cold = await visit();
    const warm = [await visit(), await visit()];
    console.log(`12-minute call with 300 sentences, ms after navigation: first visit ${JSON.stringify(cold)}, then ${JSON.stringify(warm)}`);
    // The target (< 1 s) is measured by `npm run bench:console` on a quiet machine; here, where a
    // shared CI machine's load only adds time, the best visit must stay within a sanity bound
    // that catches a page gone pathologically slow (a render per row, a blocking decode).
    const interactive = Math.min(cold.interactiveMs, ...warm.map((v) => v.interactiveMs));
    const drawn = Math.min(...warm.map((v) => v.drawnMs));
    assert.ok(interactive < 3000, `interactive after ${interactive} ms at best`);
    assert.ok(drawn < 3000, `waveform drawn after ${drawn} ms at best (read from the database)`);
    assert.ok((await page.getByTestId('hit-mark').count()) > 0, 'rule hits marked');

    // A click on the last sentence answers at once and scrolls it into view.
    const t0 = await page.evaluate<number>('performance.now()');
    await page.getByTestId('segment-299').click();
    await waitForActive(page, 299);
    const clickMs = (await page.evaluate<number>('performance.now()')) - t0;
    assert.ok(clickMs < 1500, `click to active: ${clickMs.toFixed(0)} ms (bench:console measures click → seek)`);
    await waitForAudioAt(page, 299 * 2400);

    // Playing from sentence 10 for a while: only rows whose "active" flips change in the DOM.
    await page.getByTestId('segment-10').click();
    await waitForActive(page, 10);
    await page.evaluate(`(() => {
      window.changedRows = new Set();
      new MutationObserver((records) => {
        for (const r of records) {
          const row = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest('[data-testid^="segment-"]');
          if (row) window.changedRows.add(row.getAttribute('data-testid'));
        }
      }).observe(document.querySelector('[data-testid="transcript"]'), { subtree: true, attributes: true, childList: true, characterData: true });
    })()`);
    await page.getByTestId('speed').getByText('2×').click();
    await page.getByTestId('play').click();
    await waitForActive(page, 12);
    await page.getByTestId('play').click();
    const changed = await page.evaluate<string[]>('[...window.changedRows].sort()');
    assert.ok(changed.length >= 2 && changed.length <= 4, `rows changed while playing: ${changed.join(', ')}`);
    assert.ok(changed.every((r) => ['segment-10', 'segment-11', 'segment-12', 'segment-13'].includes(r)), changed.join(', '));
    assert.deepEqual(problems, []);
  });
});
