/**
 * A sum of damped oscillations, each triggered at an event time: the analytic stand-in for
 * soft-tissue wobble of a sensor mount. Each event contributes A·K(t − t_k) with the kernel
 *
 *   K(τ) = c · (1 − e^(−βτ))³ · e^(−ζω_n τ) · sin(ω_d τ),  τ ≥ 0 (0 before the event),
 *
 * where ω_n = 2πf, ω_d = ω_n√(1 − ζ²), β = 2ω_n. The cubed onset factor makes K, K' and K''
 * vanish at τ = 0, so the sum is C² and gyroscope/accelerometer truth stay exact; `c`
 * normalises the kernel's peak to 1 so `A` is the peak excursion.
 *
 * A {@link DampedOscillationBank} carries several components (e.g. the three rotation and
 * three translation axes of one mount) that share event times, so the kernel is evaluated
 * once per event and instant for all of them.
 */
import { SimInputError, requireFinite, requirePositive } from './sim-error';
import type { Trajectory1 } from './trajectory';

export interface OscillationEvent {
  /** Trigger time, s. */
  readonly tS: number;
  /** Peak excursion (rad or m, signed). */
  readonly amplitude: number;
}

export interface DampedOscillationParams {
  /** Natural frequency, Hz (> 0). Soft tissue on a thigh or upper arm: roughly 5–20 Hz. */
  frequencyHz: number;
  /** Damping ratio ζ in [0, 1). Default 0.3. */
  dampingRatio?: number;
  events: readonly OscillationEvent[];
}

export interface DampedOscillationBankParams {
  frequencyHz: number;
  dampingRatio?: number;
  /** Events with one peak excursion per component (all events: the same number of components). */
  events: readonly { readonly tS: number; readonly amplitudes: readonly number[] }[];
  /** Number of components (needed when there are no events). */
  components: number;
}

/** Beyond this many decay time constants an event's contribution (< 1e-13) is dropped. */
const DECAY_CUTOFF = 30;

/** Kernel normalisation by (frequency, damping): computed once, it costs thousands of evaluations. */
const normCache = new Map<string, number>();

export class DampedOscillationBank {
  readonly frequencyHz: number;
  readonly dampingRatio: number;
  readonly components: number;
  private readonly times: Float64Array;
  /** amps[e·m + c]: event e, component c. */
  private readonly amps: Float64Array;
  private readonly wd: number;
  private readonly sigma: number;
  private readonly beta: number;
  private readonly norm: number;
  private readonly horizonS: number;
  private readonly k = new Float64Array(3);
  /** [value, d, dd] per component at `lastT`. */
  private readonly cache: Float64Array;
  private lastT = NaN;

  constructor(p: DampedOscillationBankParams) {
    this.frequencyHz = requirePositive('DampedOscillation frequencyHz', p.frequencyHz);
    const zeta = requireFinite('DampedOscillation dampingRatio', p.dampingRatio ?? 0.3);
    if (!(zeta >= 0 && zeta < 1)) throw new SimInputError(`DampedOscillation dampingRatio must be in [0, 1), got ${zeta}`);
    this.dampingRatio = zeta;
    const m = p.components;
    if (!Number.isInteger(m) || m < 1) throw new SimInputError(`DampedOscillation components must be an integer ≥ 1, got ${m}`);
    this.components = m;
    const ev = [...p.events].sort((a, b) => a.tS - b.tS);
    this.times = new Float64Array(ev.length);
    this.amps = new Float64Array(ev.length * m);
    ev.forEach((e, i) => {
      this.times[i] = requireFinite(`DampedOscillation events[${i}].tS`, e.tS);
      if (e.amplitudes.length !== m) throw new SimInputError(`DampedOscillation events[${i}]: ${e.amplitudes.length} amplitudes for ${m} components`);
      for (let c = 0; c < m; c++) this.amps[i * m + c] = requireFinite(`DampedOscillation events[${i}].amplitudes[${c}]`, e.amplitudes[c]!);
    });
    this.cache = new Float64Array(3 * m);
    const wn = 2 * Math.PI * this.frequencyHz;
    this.wd = wn * Math.sqrt(1 - zeta * zeta);
    this.sigma = zeta * wn;
    this.beta = 2 * wn;
    // Undamped kernels never decay; cap their reach at 1000 periods anyway.
    this.horizonS = this.sigma > 0 ? DECAY_CUTOFF / this.sigma : 1000 / this.frequencyHz;
    const key = `${this.frequencyHz}|${zeta}`;
    let norm = normCache.get(key);
    if (norm === undefined) {
      this.norm = 1;
      norm = 1 / this.kernelPeak();
      normCache.set(key, norm);
    }
    this.norm = norm;
  }

  /** Max |K| of the un-normalised kernel, by dense sampling of its first periods. */
  private kernelPeak(): number {
    const spanS = (3 * 2 * Math.PI) / this.wd;
    const steps = 4000;
    let peak = 0;
    for (let i = 1; i <= steps; i++) {
      const v = Math.abs(this.kernel((i / steps) * spanS, this.k)[0]!);
      if (v > peak) peak = v;
    }
    return peak;
  }

  /** Kernel value and derivatives at τ ≥ 0, normalised. */
  private kernel(tau: number, out: Float64Array): Float64Array {
    const { beta, sigma, wd, norm } = this;
    const e = Math.exp(-beta * tau);
    const u = 1 - e; // onset factor base
    const g = u * u * u;
    const g1 = 3 * u * u * beta * e;
    const g2 = 6 * u * beta * beta * e * e - 3 * u * u * beta * beta * e;
    const env = Math.exp(-sigma * tau);
    const s = Math.sin(wd * tau), c = Math.cos(wd * tau);
    const h = env * s;
    const h1 = env * (wd * c - sigma * s);
    const h2 = env * ((sigma * sigma - wd * wd) * s - 2 * sigma * wd * c);
    out[0] = norm * g * h;
    out[1] = norm * (g1 * h + g * h1);
    out[2] = norm * (g2 * h + 2 * g1 * h1 + g * h2);
    return out;
  }

  /** All components at `tS`: out[3c..3c+2] = [value, d/dt, d²/dt²] of component c. */
  evaluate(tS: number, out: Float64Array): Float64Array {
    const m = this.components;
    out.fill(0, 0, 3 * m);
    const times = this.times;
    // Last event at or before t (binary search), then walk back while still within reach.
    let lo = 0, hi = times.length - 1, last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= tS) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = last; i >= 0; i--) {
      const tau = tS - times[i]!;
      if (tau > this.horizonS) break;
      const k = this.kernel(tau, this.k);
      const k0 = k[0]!, k1 = k[1]!, k2 = k[2]!;
      for (let c = 0; c < m; c++) {
        const a = this.amps[i * m + c]!;
        out[3 * c] = out[3 * c]! + a * k0;
        out[3 * c + 1] = out[3 * c + 1]! + a * k1;
        out[3 * c + 2] = out[3 * c + 2]! + a * k2;
      }
    }
    return out;
  }

  /** Component `c` as a scalar trajectory; components evaluated at the same instant share one pass. */
  component(c: number): Trajectory1 {
    if (!Number.isInteger(c) || c < 0 || c >= this.components) throw new SimInputError(`DampedOscillation component ${c} out of range`);
    return {
      evaluate: (tS: number, out: Float64Array): Float64Array => {
        if (tS !== this.lastT) {
          this.evaluate(tS, this.cache);
          this.lastT = tS;
        }
        out[0] = this.cache[3 * c]!;
        out[1] = this.cache[3 * c + 1]!;
        out[2] = this.cache[3 * c + 2]!;
        return out;
      },
    };
  }
}

/** A single-component sum of damped oscillations. */
export class DampedOscillationTrajectory implements Trajectory1 {
  readonly events: readonly OscillationEvent[];
  private readonly bank: DampedOscillationBank;
  constructor(p: DampedOscillationParams) {
    this.events = [...p.events].sort((a, b) => a.tS - b.tS);
    this.bank = new DampedOscillationBank({
      frequencyHz: p.frequencyHz,
      ...(p.dampingRatio !== undefined ? { dampingRatio: p.dampingRatio } : {}),
      components: 1,
      events: this.events.map((e) => ({ tS: e.tS, amplitudes: [e.amplitude] })),
    });
  }
  evaluate(tS: number, out: Float64Array): Float64Array {
    return this.bank.evaluate(tS, out);
  }
}
