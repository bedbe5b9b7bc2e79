/**
 * The clinic page: motion presets, replay of a bundled recording or a live sensor through the
 * same stages (fuseOrientation → RomMeter), end-range trials, left/right symmetry, patient
 * history in IndexedDB with trends and MDC flags, CSV / PDF export.
 */
import type { Observable, Subscription } from 'rxjs';
import type { SampleBlock } from '../../../src/index';
import { KneeMeter } from './knee2';
import { RomMeter, symmetryPercent, trialStats } from './meter';
import type { Trial } from './meter';
import { MDC_DEG, MDC_SOURCE, PRESETS, normOf, presetById } from './presets';
import { download, reportLines, sessionCsv, textPdf } from './report';
import { chooseSensor, listRecordings, liveSensor, liveSensors, magDisturbedAt, replayRecording } from './source';
import type { ChosenSensor, DriverName, RecordingEntry } from './source';
import { LinkBoard, TWO_SENSORS, cap } from './sensors';
import { confirmDelete } from './confirm';
import { deletePatient, deleteSession, listPatients, saveSession, sessionsOf } from './store';
import type { Measurement, SessionRecord } from './store';
import { trendPoints, trendSvg } from './trend';
import { WarningMonitor } from './warnings';
import type { WatchedSensor } from './warnings';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing`);
  return e as T;
};
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
/** Rounded, never "-0". */
const f0 = (x: number): string => (Number.isFinite(x) ? (Math.round(x) === 0 ? 0 : Math.round(x)).toFixed(0) : '–');
const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

type Side = 'left' | 'right';
type Mode = 'active' | 'passive';
const PARTIAL_FRACTION = 0.7;

interface Current { presetId: string; side: Side; mode: Mode; trials: Trial[] }
/** Unsaved measurements of this session, by preset|side|mode. */
const current = new Map<string, Current>();
const keyOf = (presetId: string, side: string, mode: string): string => `${presetId}|${side}|${mode}`;

let recordings: RecordingEntry[] = [];
let meter: RomMeter | KneeMeter | undefined;
let sub: Subscription | undefined;
let sourceLabel = '';
let monitor: WarningMonitor | undefined;
let renderQueued = false;
/** Two-sensor presets: the sensors chosen so far (thigh first, then shank), before streaming starts. */
let chosen: ChosenSensor[] = [];
/** Live sensors of the running stream and their link state (status list under Connect). */
let links: LinkBoard | undefined;

const presetSel = $<HTMLSelectElement>('preset');
const recSel = $<HTMLSelectElement>('recording');
const sideOf = (): Side => ((document.querySelector('input[name=side]:checked') as HTMLInputElement | null)?.value as Side) ?? 'right';
const modeOf = (): Mode => $<HTMLSelectElement>('mode').value as Mode;
const patientOf = (): string => $<HTMLInputElement>('patient').value.trim();

function setSide(s: Side): void {
  document.querySelectorAll<HTMLInputElement>('input[name=side]').forEach((r) => { r.checked = r.value === s; });
}

function renderInstructions(): void {
  const p = presetById(presetSel.value);
  $('instructions').innerHTML = [
    ['Sensor', p.placement],
    ['Patient', p.positioning],
    ['Calibration', p.calibration],
    ['AAOS norm', `${normOf(p)}°`],
  ].map(([k, v]) => `<dt>${k}</dt><dd>${esc(v!)}</dd>`).join('');
  $('side-set').toggleAttribute('disabled', !p.sided);
  $('live-motion').textContent = `${p.label}${p.sided ? `, ${sideOf()}` : ''}`;
  renderConnect();
}

/** The Connect button names the sensor it connects next: one sensor, or the thigh and then the shank. */
function renderConnect(): void {
  const p = presetById(presetSel.value);
  if (p.sensors !== 2 && chosen.length) cancelChoice();
  const next = p.sensors === 2 ? TWO_SENSORS[chosen.length] : undefined;
  $('connect').textContent = next ? `Connect ${next.label} sensor` : 'Connect sensor';
}

function cancelChoice(): void {
  chosen = [];
  renderConnect();
}

function renderSensors(): void {
  const ul = $('sensors');
  // While choosing (not streaming yet), the sensors chosen so far; else the running (or last) stream's.
  const items = chosen.length && !sub ? chosen.map((c, k) => ({ sensorId: c.sensorId, link: 'chosen', signal: 'ok', text: `${cap(TWO_SENSORS[k]!.label)} sensor: ${c.device.name ?? c.device.id}, chosen` })) : links?.items(monitor, performance.now(), sub !== undefined) ?? [];
  const html = items.map((i) => `<li data-sensor="${esc(i.sensorId)}" data-link="${i.link}" data-signal="${i.signal}">${esc(i.text)}</li>`).join('');
  if (ul.innerHTML !== html) ul.innerHTML = html;
  ul.hidden = items.length === 0;
}

function currentEntry(): Current {
  const k = keyOf(presetSel.value, sideOf(), modeOf());
  let c = current.get(k);
  if (!c) { c = { presetId: presetSel.value, side: sideOf(), mode: modeOf(), trials: [] }; current.set(k, c); }
  return c;
}

function markPartials(trials: Trial[]): void {
  const best = Math.max(...trials.map((t) => t.valueDeg));
  for (const t of trials) t.partial = t.valueDeg < PARTIAL_FRACTION * best;
}

function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; renderLive(); });
}


function renderLive(): void {
  const r = meter?.last;
  $('angle').textContent = r ? f0(r.angleDeg) : '–';
  // No reading yet: a muted dash, no degree sign (a huge "–°" reads as a glitch).
  document.querySelector('.big')?.classList.toggle('empty', !r);
  $('angle-unc').textContent = r ? `± ${f1(r.uncertaintyDeg)}°` : '';
  const ws = monitor?.list(meter, performance.now(), sub !== undefined) ?? [];
  const wl = $('warnings');
  const html = ws.map((w) => `<li data-warning="${w.id}"${w.sensorId ? ` data-sensor="${esc(w.sensorId)}"` : ''}>${esc(w.text)}</li>`).join('');
  if (wl.innerHTML !== html) wl.innerHTML = html;
  renderSensors();
  renderTrials();
}

function renderTrials(): void {
  const p = presetById(presetSel.value);
  const c = current.get(keyOf(presetSel.value, sideOf(), modeOf()));
  const trials = c?.trials ?? [];
  $('trials').innerHTML = trials.map((t, k) => `<tr${t.partial ? ' class="partial"' : ''}><td>${k + 1}</td><td>${f1(t.valueDeg)}° ± ${f1(t.uncertaintyDeg)}°</td><td>${t.partial ? 'partial (not in mean)' : ''}</td></tr>`).join('') || '<tr><td colspan="3" class="muted">No trial yet: move to end range and hold still for 1 s.</td></tr>';
  const s = trialStats(trials);
  const norm = normOf(p);
  $('best').innerHTML = s ? `<span id="best-value">${f1(s.bestDeg)}</span>° <small>± ${f1(s.bestUncDeg)}°</small>` : '–';
  $('mean').innerHTML = s ? `<span id="mean-value">${f1(s.meanDeg)}</span>° <small>± ${f1(s.sdDeg)}° (n ${s.count})</small>` : '–';
  $('pct').innerHTML = s ? `<span id="pct-value">${f0((100 * s.bestDeg) / norm)}</span>% <small>of ${norm}° (± ${f0((100 * s.bestUncDeg) / norm)}%)</small>` : `– <small>of ${norm}°</small>`;
  // Left / right per motion with any trial in this session.
  const rows: string[] = [];
  for (const preset of PRESETS) {
    if (!preset.sided) continue;
    const l = trialStats(current.get(keyOf(preset.id, 'left', modeOf()))?.trials ?? []);
    const r = trialStats(current.get(keyOf(preset.id, 'right', modeOf()))?.trials ?? []);
    if (!l && !r) continue;
    const sym = l && r ? `${f0(symmetryPercent(l.bestDeg, r.bestDeg))}%` : '–';
    rows.push(`<tr><td>${esc(preset.label)}</td><td>${l ? `${f1(l.bestDeg)}° ± ${f1(l.bestUncDeg)}°` : '–'}</td><td>${r ? `${f1(r.bestDeg)}° ± ${f1(r.bestUncDeg)}°` : '–'}</td><td>${sym}</td></tr>`);
  }
  $('symmetry').innerHTML = rows.join('') || '<tr><td colspan="4" class="muted">Measure both sides of a motion to see the symmetry (smaller / larger best).</td></tr>';
  const any = [...current.values()].some((x) => x.trials.length > 0);
  $<HTMLButtonElement>('save').disabled = !any || !patientOf();
  $<HTMLButtonElement>('save').title = !patientOf() ? 'Enter a patient code first' : '';
}

function setStatus(text: string): void {
  $('status').textContent = text;
}

function stop(reason?: string): void {
  sub?.unsubscribe();
  sub = undefined;
  links?.stopAll();
  cancelChoice();
  $<HTMLButtonElement>('stop').disabled = true;
  $<HTMLButtonElement>('play').disabled = false;
  $<HTMLButtonElement>('connect').disabled = false;
  if (reason) setStatus(reason);
  scheduleRender();
}

function start(source: () => Observable<SampleBlock>, label: string, isLive: boolean, watched: readonly WatchedSensor[] = [], board?: LinkBoard): void {
  stop();
  links = board;
  const preset = presetById(presetSel.value);
  const side = preset.sided ? sideOf() : 'right';
  meter = preset.sensors === 2 ? new KneeMeter(side) : new RomMeter(preset, side);
  monitor = new WarningMonitor(isLive, performance.now(), watched);
  sourceLabel = label;
  const entry = currentEntry();
  setStatus(`${label}: waiting for the still neutral pose…`);
  document.body.dataset.run = 'running';
  $<HTMLButtonElement>('stop').disabled = false;
  $<HTMLButtonElement>('play').disabled = true;
  $<HTMLButtonElement>('connect').disabled = true;
  const m = meter, mon = monitor;
  sub = source().subscribe({
    next: (b: SampleBlock) => {
      mon.onBlock(b, performance.now(), magDisturbedAt(b));
      const before = m.state;
      const got = m.push(b);
      if (before !== m.state && m.state === 'finding-axis') setStatus('Neutral pose taken. Now bend the knee fully and straighten it: the knee axis is found from this movement.');
      if (before !== m.state && m.state === 'measuring') {
        mon.onCalibrated(performance.now());
        const axis = m instanceof KneeMeter ? `knee axis 1-σ ${f1(m.axisSigmaDeg)}°, ` : '';
        setStatus(`Calibrated (${axis}mount residual ${f1(m.mountResidualDeg)}°). Move to end range and hold still for 1 s.`);
      }
      for (const t of got) {
        entry.trials.push({ ...t });
        markPartials(entry.trials);
        setStatus(`Trial ${entry.trials.length}: ${f1(t.valueDeg)}° ± ${f1(t.uncertaintyDeg)}° captured.`);
      }
      scheduleRender();
    },
    error: (e: unknown) => { document.body.dataset.run = 'error'; stop(`Error: ${e instanceof Error ? e.message : String(e)}`); },
    complete: () => {
      document.body.dataset.run = 'done';
      stop(`${label}: finished, ${entry.trials.length} trial(s).`);
    },
  });
  chosen = [];
  renderConnect();
}

/**
 * Two-sensor presets, one click per sensor (each Bluetooth chooser needs its own gesture):
 * the first click chooses the thigh sensor, the second the shank sensor and starts both.
 */
async function connectTwo(d: DriverName): Promise<void> {
  const k = chosen.length;
  const seg = TWO_SENSORS[k]!;
  setStatus(`Choose the ${seg.label} sensor in the browser's Bluetooth list.`);
  $<HTMLButtonElement>('connect').disabled = true;
  let device;
  try {
    device = await chooseSensor(d);
  } catch (e) {
    $<HTMLButtonElement>('connect').disabled = false;
    setStatus(`No ${seg.label} sensor connected: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  $<HTMLButtonElement>('connect').disabled = false;
  if (chosen.some((c) => c.device.id === device.id)) {
    setStatus(`${device.name ?? device.id} is already the ${TWO_SENSORS[0]!.label} sensor: choose the other one for the ${seg.label}.`);
    return;
  }
  chosen = [...chosen, { sensorId: seg.sensorId, driver: d, device }];
  if (chosen.length < TWO_SENSORS.length) {
    const next = TWO_SENSORS[chosen.length]!;
    renderConnect();
    $<HTMLButtonElement>('stop').disabled = false; // Stop cancels the choice
    setStatus(`${cap(seg.label)} sensor: ${device.name ?? device.id}. Now press "Connect ${next.label} sensor" and choose the ${next.label} sensor.`);
    scheduleRender();
    return;
  }
  const sensors = chosen;
  const board = new LinkBoard(sensors.map((c, i) => ({ sensorId: c.sensorId, label: TWO_SENSORS[i]!.label, name: c.device.name ?? c.device.id })));
  const obs = liveSensors(sensors, (sensorId, e) => {
    board.onEvent(sensorId, e);
    const label = TWO_SENSORS.find((s) => s.sensorId === sensorId)?.label ?? sensorId;
    if (e.type === 'disconnected' || e.type === 'reconnecting' || e.type === 'gap') monitor?.onLinkEvent(`${cap(label)} sensor: ${e.type}`);
    if (e.type === 'connected' && board.allConnected()) monitor?.onLinkEvent(undefined);
    scheduleRender();
  });
  const drivers = [...new Set(sensors.map((c) => c.driver))].join(' + ');
  start(() => obs, `Live thigh + shank (${drivers})`, true, TWO_SENSORS, board);
}

function measurementsNow(): Measurement[] {
  const out: Measurement[] = [];
  for (const c of current.values()) {
    const s = trialStats(c.trials);
    if (!s) continue;
    const norm = normOf(presetById(c.presetId));
    out.push({ presetId: c.presetId, side: c.side, mode: c.mode, trials: c.trials, bestDeg: s.bestDeg, bestUncDeg: s.bestUncDeg, meanDeg: s.meanDeg, sdDeg: s.sdDeg, normDeg: norm, percentOfNorm: (100 * s.bestDeg) / norm });
  }
  return out;
}

function symmetryLines(s: SessionRecord): string[] {
  const lines: string[] = [];
  for (const p of PRESETS) {
    for (const mode of ['active', 'passive']) {
      const l = s.measurements.find((m) => m.presetId === p.id && m.side === 'left' && m.mode === mode);
      const r = s.measurements.find((m) => m.presetId === p.id && m.side === 'right' && m.mode === mode);
      if (l && r) lines.push(`${p.label} (${mode}) symmetry ${f0(symmetryPercent(l.bestDeg, r.bestDeg))}% (left ${f1(l.bestDeg)}°, right ${f1(r.bestDeg)}°)`);
    }
  }
  return lines;
}

let history: SessionRecord[] = [];

async function renderHistory(): Promise<void> {
  const pid = patientOf();
  $('hist-patient').textContent = pid ? `of ${pid}` : '';
  $('mdc-note').textContent = `A change between sessions larger than the minimal detectable change, ${MDC_DEG}° (${MDC_SOURCE}), is flagged ▲.`;
  const patients = await listPatients();
  $<HTMLButtonElement>('delete-patient').disabled = !pid || !patients.includes(pid);
  $('patients').innerHTML = patients.map((p) => `<option value="${esc(p)}"></option>`).join('');
  history = pid ? await sessionsOf(pid) : [];
  const tb = $('sessions');
  tb.innerHTML = history.map((s, i) => `<tr><td>${esc(s.dateIso.slice(0, 16).replace('T', ' '))}</td><td>${s.measurements.map((m) => `${esc(presetById(m.presetId).label)} ${m.side}${m.mode === 'passive' ? ' (passive)' : ''}: <b>${f1(m.bestDeg)}°</b> ± ${f1(m.bestUncDeg)}°`).join('<br>')}</td><td class="row"><button type="button" data-csv="${i}" aria-label="Export session of ${esc(s.dateIso.slice(0, 10))} as CSV">CSV</button><button type="button" data-pdf="${i}" aria-label="Export session of ${esc(s.dateIso.slice(0, 10))} as PDF">PDF</button><button type="button" class="danger" data-del="${i}" aria-label="Delete session of ${esc(sessionWhen(s))}">Delete…</button></td></tr>`).join('') || `<tr><td colspan="3" class="muted">${pid ? 'No saved session for this patient yet.' : 'Enter a patient code to see the history.'}</td></tr>`;
  // One trend per motion/side/mode present in the history.
  const keys = new Map<string, { presetId: string; side: string; mode: string }>();
  for (const s of history) for (const m of s.measurements) keys.set(keyOf(m.presetId, m.side, m.mode), m);
  const charts: string[] = [];
  for (const { presetId, side, mode } of keys.values()) {
    const p = presetById(presetId);
    const pts = trendPoints(history, presetId, side, mode, MDC_DEG);
    const title = `${p.label}, ${side}${mode === 'passive' ? ', passive' : ''}`;
    const flags = pts.filter((x) => x.flagged).map((x) => `▲ ${x.dateIso.slice(0, 10)}: ${x.changeDeg > 0 ? '+' : ''}${f1(x.changeDeg)}° (> MDC ${MDC_DEG}°)`);
    charts.push(`<figure class="trend-fig" data-motion="${esc(keyOf(presetId, side, mode))}" data-points="${pts.length}"><figcaption>${esc(title)} <span class="muted">(${pts.length} session${pts.length === 1 ? '' : 's'})</span></figcaption>${trendSvg(pts, normOf(p), title)}${flags.length ? `<p class="flag">${esc(flags.join('; '))}</p>` : ''}</figure>`);
  }
  $('trends').innerHTML = charts.join('');
}

const sessionWhen = (s: SessionRecord): string => s.dateIso.slice(0, 16).replace('T', ' ');

function sessionName(s: SessionRecord, ext: string): string {
  return `kinemetry-${s.patientId.replace(/[^\w-]+/g, '_')}-${s.dateIso.slice(0, 16).replace(/[:T]/g, '-')}.${ext}`;
}

async function removeSession(s: SessionRecord): Promise<void> {
  if (s.id === undefined) return;
  if (!(await confirmDelete(`Delete the session of ${s.patientId} from ${sessionWhen(s)} UTC? This cannot be undone.`, 'Delete session'))) return;
  await deleteSession(s.id);
  setStatus(`Session of ${sessionWhen(s)} deleted.`);
  await renderHistory();
  $('hist-h').focus();
}

async function init(): Promise<void> {
  presetSel.innerHTML = PRESETS.map((p) => `<option value="${p.id}">${esc(p.label)} (AAOS ${normOf(p)}°)</option>`).join('');
  presetSel.addEventListener('change', () => { renderInstructions(); renderTrials(); });
  document.querySelectorAll<HTMLInputElement>('input[name=side]').forEach((r) => r.addEventListener('change', () => { renderInstructions(); renderTrials(); }));
  $('mode').addEventListener('change', renderTrials);
  const pat = $<HTMLInputElement>('patient');
  pat.value = localStorage.getItem('kinemetry-clinic-patient') ?? '';
  pat.addEventListener('change', () => { localStorage.setItem('kinemetry-clinic-patient', patientOf()); void renderHistory(); renderTrials(); });
  pat.addEventListener('input', renderTrials);
  renderInstructions();
  try {
    recordings = await listRecordings();
  } catch (e) {
    setStatus(`Could not list the bundled recordings: ${e instanceof Error ? e.message : String(e)}`);
  }
  recSel.innerHTML = recordings.map((r, i) => `<option value="${i}">${esc(r.label)}</option>`).join('');
  recSel.addEventListener('change', () => {
    const r = recordings[Number(recSel.value)];
    if (!r) return;
    presetSel.value = r.preset;
    setSide(r.side);
    renderInstructions(); renderTrials();
  });
  recSel.dispatchEvent(new Event('change'));
  $('play').addEventListener('click', () => {
    const r = recordings[Number(recSel.value)];
    if (!r) return;
    const speed = Number($<HTMLSelectElement>('speed').value);
    start(() => replayRecording(r, speed), `Replay ${(r.files ?? [r.file]).join(' + ')}`, false);
  });
  $('connect').addEventListener('click', () => {
    const d = $<HTMLSelectElement>('driver').value as DriverName;
    if (presetById(presetSel.value).sensors === 2) {
      void connectTwo(d);
      return;
    }
    try {
      const obs = liveSensor(d, presetById(presetSel.value).segment.replace(/\s+/g, ''), (e) => {
        if (e.type === 'disconnected' || e.type === 'reconnecting' || e.type === 'gap') monitor?.onLinkEvent(`Signal: ${e.type}`);
        if (e.type === 'connected') monitor?.onLinkEvent(undefined);
        scheduleRender();
      });
      start(() => obs, `Live ${d}`, true);
    } catch (e) {
      setStatus(`Cannot connect: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  $('stop').addEventListener('click', () => {
    if (!sub && chosen.length) { stop('Sensor choice cancelled.'); return; }
    stop(`${sourceLabel}: stopped.`);
  });
  $('clear').addEventListener('click', () => {
    current.delete(keyOf(presetSel.value, sideOf(), modeOf()));
    renderTrials();
  });
  $('save').addEventListener('click', async () => {
    const pid = patientOf();
    const ms = measurementsNow();
    if (!pid || ms.length === 0) return;
    await saveSession({ patientId: pid, dateIso: new Date().toISOString(), source: sourceLabel, measurements: ms });
    current.clear();
    setStatus(`Session saved for ${pid} (${ms.length} measurement${ms.length === 1 ? '' : 's'}).`);
    renderTrials();
    await renderHistory();
  });
  $('sessions').addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest('button');
    if (!b) return;
    const s = history[Number(b.dataset.csv ?? b.dataset.pdf ?? b.dataset.del)];
    if (!s) return;
    if (b.dataset.del !== undefined) { void removeSession(s); return; }
    if (b.dataset.csv !== undefined) download(sessionName(s, 'csv'), sessionCsv(s, MDC_SOURCE), 'text/csv');
    else download(sessionName(s, 'pdf'), textPdf('kinemetry clinic: range of motion report', reportLines(s, symmetryLines(s), MDC_SOURCE)), 'application/pdf');
  });
  $('delete-patient').addEventListener('click', async () => {
    const pid = patientOf();
    if (!pid) return;
    const n = history.length;
    if (!(await confirmDelete(`Delete patient ${pid} and ${n === 1 ? 'their 1 saved session' : `all ${n} saved sessions`}? This cannot be undone.`, 'Delete patient'))) return;
    const gone = await deletePatient(pid);
    setStatus(`Patient ${pid} deleted with ${gone} session${gone === 1 ? '' : 's'}.`);
    await renderHistory();
    $('hist-h').focus();
  });
  setInterval(() => { if (monitor?.live && sub) scheduleRender(); }, 500);
  await renderHistory();
  renderTrials();
  document.body.dataset.ready = '1';
}

void init();

// Offline once loaded: a network-first service worker (public/sw.js). Not on file:// pages.
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js').catch((e: unknown) => console.warn('service worker not registered:', e));
}
