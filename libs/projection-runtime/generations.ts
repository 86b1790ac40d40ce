import { collectionOf, type Projection } from './projection';

/**
 * Physical collections of a projection: `<name>_v<version>_g<generation>`. Meta `live:<name>` names the one
 * queries read; `building:<name>` the one a rebuild is filling (its checkpoint is keyed by that name too).
 */
export const liveKey = (name: string): string => `live:${name}`;
export const buildingKey = (name: string): string => `building:${name}`;

export function generationCollection(p: Pick<Projection, 'name' | 'version'>, generation: number): string {
  return `${collectionOf(p)}_g${generation}`;
}

export function scratchCollection(p: Pick<Projection, 'name' | 'version'>): string {
  return `${collectionOf(p)}_verify`;
}

export interface Generation {
  base: string;
  version: number;
  generation: number;
}

export function parseGeneration(collection: string | null | undefined): Generation | null {
  const match = /^(.*_v(\d+))_g(\d+)$/.exec(collection ?? '');
  return match ? { base: match[1], version: Number(match[2]), generation: Number(match[3]) } : null;
}

/** The next generation number, above every one recorded for the projection (live or building). */
export function nextGeneration(...collections: Array<string | null>): number {
  return Math.max(0, ...collections.map((c) => parseGeneration(c)?.generation ?? 0)) + 1;
}

/** JSON with object keys sorted at every level: equal documents give byte-identical text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
