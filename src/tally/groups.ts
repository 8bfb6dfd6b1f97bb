import type { Prepared } from './prepare.ts';

/** Ballots with the same (project, value) entries merged; entries of value 0 and empty ballots are left out. */
export interface BallotGroups {
  readonly count: number;
  readonly weight: Float64Array;
  /** Group g's entries, sorted by project: `start[g] .. start[g+1]-1`. */
  readonly start: Int32Array;
  readonly project: Int32Array;
  readonly value: Float64Array;
}

/**
 * Merges identical ballots (same projects with the same values; order does not matter) with an
 * open-addressing hash table over the sorted entries. Groups are numbered in order of first
 * appearance, so the result is deterministic.
 */
export function groupBallots(p: Prepared, values: Float64Array = p.entryValue): BallotGroups {
  const nb = p.ballotWeight.length;
  const entries = p.entryProject.length;
  const start = new Int32Array(nb + 1);
  const project = new Int32Array(entries);
  const value = new Float64Array(entries);
  const weight = new Float64Array(nb);
  let size = 16;
  while (size < 2 * nb) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const hashes = new Int32Array(nb);
  let count = 0;
  let used = 0;
  for (let b = 0; b < nb; b++) {
    const e0 = p.ballotStart[b]!;
    const e1 = p.ballotStart[b + 1]!;
    if (e1 === e0) continue;
    // (A ballot whose values are all 0 ends up empty below and is merged like any other.)
    // Write the entries sorted (insertion sort: ballots are short) at the end of the buffer.
    const s = used;
    for (let e = e0; e < e1; e++) {
      const j = p.entryProject[e]!;
      const v = values[e]!;
      if (v === 0) continue;
      let x = used++;
      while (x > s && project[x - 1]! > j) {
        project[x] = project[x - 1]!;
        value[x] = value[x - 1]!;
        x--;
      }
      project[x] = j;
      value[x] = v;
    }
    let h = 0x811c9dc5 | 0;
    for (let x = s; x < used; x++) {
      h = Math.imul(h ^ project[x]!, 0x01000193);
      h = Math.imul(h ^ (value[x]! | 0), 0x01000193);
    }
    let slot = h & mask;
    let found = -1;
    for (;;) {
      const g = table[slot]!;
      if (g === -1) break;
      if (hashes[g] === h && sameEntries(start[g]!, start[g + 1]!, s, used, project, value)) {
        found = g;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (found === -1) {
      table[slot] = count;
      hashes[count] = h;
      start[count] = s;
      start[count + 1] = used;
      weight[count] = p.ballotWeight[b]!;
      count++;
    } else {
      weight[found]! += p.ballotWeight[b]!;
      used = s; // drop the copy
    }
  }
  return {
    count,
    weight: weight.slice(0, count),
    start: start.slice(0, count + 1),
    project: project.slice(0, used),
    value: value.slice(0, used),
  };
}

function sameEntries(a0: number, a1: number, b0: number, b1: number, project: Int32Array, value: Float64Array): boolean {
  if (a1 - a0 !== b1 - b0) return false;
  for (let i = 0; i < a1 - a0; i++) {
    if (project[a0 + i] !== project[b0 + i] || value[a0 + i] !== value[b0 + i]) return false;
  }
  return true;
}

/**
 * The same groups renumbered so that the supporters of popular projects sit close together in
 * memory: the sort key of a group is its set of the 28 most supported projects, most supported
 * first, so all supporters of the most supported project form one block, those of the next at most
 * two, and so on. The equal-shares loops walk a project's supporters and read their money by group
 * number; in this order those reads are mostly sequential. Deterministic: ties keep the old order.
 */
export function localityOrder(groups: BallotGroups, m: number): BallotGroups {
  const { count, weight, start, project, value } = groups;
  const support = new Float64Array(m);
  for (let g = 0; g < count; g++) for (let x = start[g]!; x < start[g + 1]!; x++) support[project[x]!]! += weight[g]!;
  const byPopularity = Array.from({ length: m }, (_, j) => j).sort((a, b) => support[b]! - support[a]! || a - b);
  const TOP = 28;
  const bit = new Int32Array(m);
  byPopularity.forEach((j, r) => {
    bit[j] = r < TOP ? 2 ** (TOP - 1 - r) : 0;
  });
  const keys = new Float64Array(count);
  for (let g = 0; g < count; g++) {
    let key = 0;
    for (let x = start[g]!; x < start[g + 1]!; x++) key += bit[project[x]!]!;
    // Larger key first; the old number breaks ties (and is recovered from the low 25 bits).
    keys[g] = (2 ** TOP - 1 - key) * 2 ** 25 + g;
  }
  if (count >= 2 ** 25) return groups;
  keys.sort();
  const newWeight = new Float64Array(count);
  const newStart = new Int32Array(count + 1);
  const newProject = new Int32Array(project.length);
  const newValue = new Float64Array(value.length);
  let used = 0;
  for (let i = 0; i < count; i++) {
    const g = keys[i]! % 2 ** 25;
    newWeight[i] = weight[g]!;
    newStart[i] = used;
    for (let x = start[g]!; x < start[g + 1]!; x++) {
      newProject[used] = project[x]!;
      newValue[used++] = value[x]!;
    }
  }
  newStart[count] = used;
  return { count, weight: newWeight, start: newStart, project: newProject, value: newValue };
}
