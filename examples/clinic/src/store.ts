/**
 * Patient history in IndexedDB (database `kinemetry-clinic`): nothing leaves the machine.
 * Stores: `patients` (keyPath id = the patient code the therapist types) and `sessions`
 * (auto id, index `patientId`).
 */
import type { Trial } from './meter';

export interface Measurement {
  presetId: string;
  side: 'left' | 'right';
  mode: 'active' | 'passive';
  trials: Trial[];
  bestDeg: number;
  bestUncDeg: number;
  meanDeg: number;
  sdDeg: number;
  normDeg: number;
  percentOfNorm: number;
}

export interface SessionRecord {
  id?: number;
  patientId: string;
  dateIso: string;
  source: string;
  measurements: Measurement[];
}

const DB = 'kinemetry-clinic';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

let dbp: Promise<IDBDatabase> | undefined;
function db(): Promise<IDBDatabase> {
  dbp ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => {
      const d = r.result;
      d.createObjectStore('patients', { keyPath: 'id' });
      d.createObjectStore('sessions', { keyPath: 'id', autoIncrement: true }).createIndex('patientId', 'patientId');
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  return dbp;
}

export async function listPatients(): Promise<string[]> {
  const d = await db();
  const keys = await req(d.transaction('patients').objectStore('patients').getAllKeys());
  return keys.map(String).sort();
}

export async function saveSession(s: SessionRecord): Promise<number> {
  const d = await db();
  const tx = d.transaction(['patients', 'sessions'], 'readwrite');
  tx.objectStore('patients').put({ id: s.patientId });
  const id = await req(tx.objectStore('sessions').add(s));
  await done(tx);
  return Number(id);
}

export async function sessionsOf(patientId: string): Promise<SessionRecord[]> {
  const d = await db();
  const all = await req(d.transaction('sessions').objectStore('sessions').index('patientId').getAll(patientId));
  return (all as SessionRecord[]).sort((a, b) => a.dateIso.localeCompare(b.dateIso) || (a.id ?? 0) - (b.id ?? 0));
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Remove one session; resolves once the deletion is committed (so a reload cannot bring it back). */
export async function deleteSession(id: number): Promise<void> {
  const d = await db();
  const tx = d.transaction('sessions', 'readwrite');
  tx.objectStore('sessions').delete(id);
  await done(tx);
}

/** Remove a patient and every session of theirs, in one transaction; returns how many sessions went. */
export async function deletePatient(patientId: string): Promise<number> {
  const d = await db();
  const tx = d.transaction(['patients', 'sessions'], 'readwrite');
  const sessions = tx.objectStore('sessions');
  const keys = await req(sessions.index('patientId').getAllKeys(patientId));
  for (const k of keys) sessions.delete(k);
  tx.objectStore('patients').delete(patientId);
  await done(tx);
  return keys.length;
}
