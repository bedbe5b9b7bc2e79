/**
 * The Earth's magnetic field in the global ENU frame, plus optional local disturbances
 * (ferromagnetic objects as point dipoles, or regions of constant extra field) with time
 * windows. Field values are in µT.
 *
 * Undisturbed field with strength B, inclination (dip) I and declination D:
 *   m_G = (B cos I sin D, B cos I cos D, −B sin I)
 * i.e. horizontal component towards magnetic north (true north rotated east by D), pointing
 * down for positive I (northern hemisphere). Defaults: B = 50 µT, I = 65°, D = 0.
 */
import type { Vec3, Vec3Like } from '../math/vec3';
import { SimInputError, requireFinite, requireFiniteArray, requireNonNegative } from './sim-error';

const DEG = Math.PI / 180;
/** μ0 / 4π in T·m/A, times 1e6 to give µT. */
const DIPOLE_K_UT = 1e-7 * 1e6;
/** Dipole fields are evaluated no closer than this, m (the point-dipole model is singular at 0). */
const DIPOLE_MIN_DISTANCE_M = 0.01;

export interface DipoleDisturbance {
  type: 'dipole';
  /** Dipole location in G, m. */
  positionM: Vec3Like;
  /** Magnetic moment in G, A·m² (a steel tool or phone at 20–30 cm: ~0.1–1 A·m²). */
  momentAm2: Vec3Like;
  /** Active from this time, s. Default −∞. */
  startS?: number;
  /** Active until this time (exclusive), s. Default +∞. */
  endS?: number;
}

export interface UniformDisturbance {
  type: 'uniform';
  /** Extra field inside the region, G frame, µT. */
  fieldUT: Vec3Like;
  /** Centre of a spherical region, m. Default origin. */
  centerM?: Vec3Like;
  /** Radius of the region, m. Default ∞ (everywhere). */
  radiusM?: number;
  startS?: number;
  endS?: number;
}

export type MagneticDisturbance = DipoleDisturbance | UniformDisturbance;

export interface MagneticFieldParams {
  /** Total field strength, µT. Default 50. */
  fieldUT?: number;
  /** Inclination (dip) below horizontal, deg, in [−90, 90]. Default 65. */
  inclinationDeg?: number;
  /** Declination east of true north, deg. Default 0. */
  declinationDeg?: number;
  disturbances?: readonly MagneticDisturbance[];
}

interface CompiledDisturbance {
  dipole: boolean;
  pos: Float64Array;
  vec: Float64Array;
  radius2: number;
  startS: number;
  endS: number;
}

export class MagneticField {
  /** Undisturbed field in G, µT. */
  readonly earthUT: Float64Array;
  private readonly dist: CompiledDisturbance[];

  constructor(p: MagneticFieldParams = {}) {
    const B = requireNonNegative('magnetic fieldUT', p.fieldUT ?? 50);
    const inc = requireFinite('magnetic inclinationDeg', p.inclinationDeg ?? 65);
    if (inc < -90 || inc > 90) throw new SimInputError(`magnetic inclinationDeg must be in [−90, 90], got ${inc}`);
    const dec = requireFinite('magnetic declinationDeg', p.declinationDeg ?? 0);
    const h = B * Math.cos(inc * DEG);
    this.earthUT = Float64Array.of(h * Math.sin(dec * DEG), h * Math.cos(dec * DEG), -B * Math.sin(inc * DEG));
    this.dist = (p.disturbances ?? []).map((d, i) => {
      const where = `magnetic disturbances[${i}]`;
      const startS = d.startS ?? -Infinity;
      const endS = d.endS ?? Infinity;
      if (Number.isNaN(startS) || Number.isNaN(endS) || !(endS > startS)) {
        throw new SimInputError(`${where}: need startS < endS, got ${startS}, ${endS}`);
      }
      if (d.type === 'dipole') {
        return {
          dipole: true,
          pos: Float64Array.from(requireFiniteArray(`${where}.positionM`, d.positionM, 3)),
          vec: Float64Array.from(requireFiniteArray(`${where}.momentAm2`, d.momentAm2, 3)),
          radius2: Infinity,
          startS,
          endS,
        };
      }
      if (d.type === 'uniform') {
        const r = d.radiusM ?? Infinity;
        if (Number.isNaN(r) || r <= 0) throw new SimInputError(`${where}.radiusM must be > 0, got ${r}`);
        return {
          dipole: false,
          pos: Float64Array.from(requireFiniteArray(`${where}.centerM`, d.centerM ?? [0, 0, 0], 3)),
          vec: Float64Array.from(requireFiniteArray(`${where}.fieldUT`, d.fieldUT, 3)),
          radius2: r * r,
          startS,
          endS,
        };
      }
      throw new SimInputError(`${where}: unknown type '${String((d as { type: unknown }).type)}'`);
    });
  }

  /** Total field (Earth + active disturbances) at position `posM` (G, m) and time `tS`, in G, µT. */
  fieldAt(out: Vec3, posM: Vec3Like, tS: number): Vec3 {
    let x = this.earthUT[0]!, y = this.earthUT[1]!, z = this.earthUT[2]!;
    for (const d of this.dist) {
      if (tS < d.startS || tS >= d.endS) continue;
      const rx = posM[0]! - d.pos[0]!, ry = posM[1]! - d.pos[1]!, rz = posM[2]! - d.pos[2]!;
      const r2 = rx * rx + ry * ry + rz * rz;
      if (d.dipole) {
        // B = μ0/4π · (3 r̂ (m·r̂) − m) / |r|³
        const r = Math.max(Math.sqrt(r2), DIPOLE_MIN_DISTANCE_M);
        const inv = r2 > 0 ? 1 / Math.sqrt(r2) : 0;
        const ux = rx * inv, uy = ry * inv, uz = rz * inv;
        const mx = d.vec[0]!, my = d.vec[1]!, mz = d.vec[2]!;
        const mr = mx * ux + my * uy + mz * uz;
        const k = DIPOLE_K_UT / (r * r * r);
        x += k * (3 * ux * mr - mx);
        y += k * (3 * uy * mr - my);
        z += k * (3 * uz * mr - mz);
      } else if (r2 <= d.radius2) {
        x += d.vec[0]!;
        y += d.vec[1]!;
        z += d.vec[2]!;
      }
    }
    out[0] = x;
    out[1] = y;
    out[2] = z;
    return out;
  }
}
