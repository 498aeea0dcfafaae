#!/usr/bin/env node
// A small liquidation and vote engine in JavaScript over charter-oracle's subprocess protocol
// (docs/engine-protocol.md): one JSON request per line on stdin, one JSON answer per line on stdout.
// Exact arithmetic with BigInt fractions: a JavaScript number cannot hold $0.10, so none is used
// for money, prices or votes. The rules are those of examples/python_engine.py (read its docstring).
//
//   charter-oracle conform example-modern --engine-cmd "node examples/node_engine.js"
'use strict';

const readline = require('readline');

// --- exact fractions ------------------------------------------------------------------------------
function gcd(a, b) { a = a < 0n ? -a : a; b = b < 0n ? -b : b; while (b) { [a, b] = [b, a % b]; } return a; }
function frac(n, d = 1n) {
  if (d === 0n) throw new Error('division by zero');
  if (d < 0n) { n = -n; d = -d; }
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const ZERO = frac(0n), HALF = frac(1n, 2n);
const add = (a, b) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a, b) => frac(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a, b) => frac(a.n * b.n, a.d * b.d);
const div = (a, b) => frac(a.n * b.d, a.d * b.n);
const cmp = (a, b) => { const x = a.n * b.d - b.n * a.d; return x < 0n ? -1 : x > 0n ? 1 : 0; };
const min = (a, b) => (cmp(a, b) <= 0 ? a : b);
const max = (a, b) => (cmp(a, b) >= 0 ? a : b);
const int = (k) => frac(BigInt(k));
function parse(text) { // "12", "0.40", "-1.5", "1000000/3"
  if (text.includes('/')) { const [p, q] = text.split('/'); return frac(BigInt(p), BigInt(q)); }
  const neg = text.startsWith('-'); const body = neg ? text.slice(1) : text;
  const [w, f = ''] = body.split('.');
  const value = frac(BigInt(w + f), 10n ** BigInt(f.length));
  return neg ? frac(-value.n, value.d) : value;
}
const show = (a) => (a.d === 1n ? `${a.n}` : `${a.n}/${a.d}`);
function roundWhole(v, tie) { // floor; down: that; else up on more than a half (or a half: half-up, half-even to even)
  let floor = v.n / v.d; if (v.n < 0n && v.n % v.d !== 0n) floor -= 1n;
  const c = cmp(sub(v, frac(floor)), HALF);
  if (tie === 'down') return floor; // whole votes only, any fraction dropped
  return c > 0 || (c === 0 && (tie === 'half-up' || floor % 2n !== 0n)) ? floor + 1n : floor;
}

class Unsupported extends Error {}

// --- the waterfall ---------------------------------------------------------------------------------
function daysBetween(a, b) { return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86400000); }

function anniversary(start, years) { // 'YYYY-MM-DD' years later; 29 February falls back to 28 February
  const [y, m, d] = start.split('-').map(Number);
  const year = y + years, leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Cumulative dividends accrued per share from the series' first issue to as_of (docs/charter-format.md):
// simple, rate * days / day_count; annual, each full year multiplies the base (issue price plus accrual)
// by 1 + annual_fraction and the part year accrues simply on the base reached.
function accruedPerShare(s, table) {
  const dv = s.dividend;
  if (dv === null || !dv.cumulative) return ZERO;
  if (!(s.id in table.issue_dates)) throw new Unsupported(`cumulative dividends of ${s.id} without its issue date`);
  const start = table.issue_dates[s.id], end = table.as_of;
  if (end <= start) return ZERO; // ISO dates order as strings
  if (dv.compounding === 'simple') return mul(parse(dv.rate), frac(BigInt(daysBetween(start, end)), BigInt(dv.day_count)));
  const price = parse(s.original_issue_price), yearly = parse(dv.annual_fraction);
  let years = 0;
  while (anniversary(start, years + 1) <= end) years += 1;
  let base = price;
  for (let i = 0; i < years; i++) base = mul(base, add(int(1), yearly));
  const part = frac(BigInt(daysBetween(anniversary(start, years), end)), BigInt(dv.day_count));
  return sub(mul(base, add(int(1), mul(yearly, part))), price);
}

function positions(charter, table) {
  const shares = {};
  for (const h of table.holdings) shares[h.class] = (shares[h.class] || 0) + h.shares;
  return charter.series.map((s) => {
    const n = shares[s.id] || 0;
    const price = parse(table.conversion_prices[s.id] || s.conversion.initial_price);
    const part = s.participation;
    let cap = null; // per share; null: no limit
    if (part.kind === 'none') cap = ZERO;
    else if (part.kind === 'capped') {
      const legs = [];
      if (part.cap_per_share !== null) legs.push(parse(part.cap_per_share));
      if (part.interest_rate !== null) {
        const start = n ? table.issue_dates[s.id] : table.as_of;
        const days = Math.max(daysBetween(start, table.as_of), 0);
        legs.push(mul(mul(parse(part.interest_principal), parse(part.interest_rate)), frac(BigInt(days), BigInt(part.day_count))));
      }
      cap = legs.reduce(min);
      if (part.cap_includes_preference) cap = max(sub(cap, parse(s.liquidation.preference)), ZERO);
    }
    const dividend = parse(table.declared_unpaid_dividends[s.id] || '0');
    // Accrued cumulative dividends are part of the preference (given up on conversion); a cap that
    // includes the preference counts the preference proper only (above).
    const accrued = n ? accruedPerShare(s, table) : ZERO;
    return {
      id: s.id, rank: s.liquidation.rank, shares: n, kind: part.kind,
      asConverted: div(mul(int(n), parse(s.conversion.value)), price),
      preference: mul(int(n), add(parse(s.liquidation.preference), accrued)), dividends: mul(int(n), dividend),
      cap: cap === null ? null : mul(cap, int(n)),
    };
  });
}

function allocate(charter, common, pos, proceeds, converting) {
  const keep = charter.liquidation.declared_dividends_on_conversion === 'paid-with-preferences';
  const paid = {}; for (const p of pos) paid[p.id] = ZERO;
  let left = proceeds;
  for (const rank of [...new Set(pos.map((p) => p.rank))].sort((a, b) => a - b)) {
    const tier = pos.filter((p) => p.rank === rank);
    const claims = {};
    for (const p of tier) claims[p.id] = converting.has(p.id) ? (keep ? p.dividends : ZERO) : add(p.preference, p.dividends);
    const total = tier.reduce((t, p) => add(t, claims[p.id]), ZERO);
    if (total.n === 0n) continue;
    const pay = min(left, total);
    for (const p of tier) paid[p.id] = add(paid[p.id], div(mul(pay, claims[p.id]), total)); // by claim
    left = sub(left, pay);
  }
  let weight = int(common);
  const capped = [];
  for (const p of pos) {
    if (converting.has(p.id) || (p.kind !== 'none' && p.cap === null)) weight = add(weight, p.asConverted);
    else if (p.kind !== 'none' && p.asConverted.n > 0n) capped.push(p);
  }
  capped.sort((a, b) => cmp(div(a.cap, a.asConverted), div(b.cap, b.asConverted)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let active = capped.reduce((t, p) => add(t, p.asConverted), weight);
  const full = new Set(); let used = ZERO;
  for (const p of capped) {
    if (active.n === 0n || cmp(sub(left, used), mul(div(p.cap, p.asConverted), active)) <= 0) break;
    full.add(p.id); used = add(used, p.cap); active = sub(active, p.asConverted);
  }
  const level = active.n > 0n ? max(div(sub(left, used), active), ZERO) : ZERO;
  const classes = { [charter.common.id]: mul(level, int(common)) };
  for (const p of pos) {
    let extra = ZERO;
    if (converting.has(p.id) || (p.kind !== 'none' && !full.has(p.id))) extra = mul(level, p.asConverted);
    else if (full.has(p.id)) extra = p.cap;
    classes[p.id] = add(paid[p.id], extra);
  }
  return classes;
}

function choose(charter, common, pos, proceeds) {
  const switchLevel = (p) => div(add(p.preference, p.cap), p.asConverted);
  const movable = pos.filter((p) => p.shares > 0 && p.kind !== 'full')
    .sort((a, b) => cmp(switchLevel(a), switchLevel(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = movable.map((p) => p.id);
  const memo = new Map();
  const pay = (set) => {
    const key = [...set].sort().join(',');
    if (!memo.has(key)) memo.set(key, allocate(charter, common, pos, proceeds, set));
    return memo.get(key);
  };
  const flip = (set, id) => { const s = new Set(set); if (s.has(id)) s.delete(id); else s.add(id); return s; };
  const stable = [];
  for (let k = 0; k <= ids.length; k++) {
    const set = new Set(ids.slice(0, k));
    if (ids.every((id) => cmp(pay(flip(set, id))[id], pay(set)[id]) <= 0)) stable.push(set);
  }
  if (!stable.length) throw new Unsupported('no stable conversion outcome among the prefixes');
  const preferred = (set) => pos.reduce((t, p) => add(t, pay(set)[p.id]), ZERO);
  const fewest = charter.interpretations_in_force['all.equilibrium'] === 'fewest-conversions';
  const order = (a, b) => {
    const byValue = cmp(preferred(b), preferred(a)); const bySize = a.size - b.size;
    const byName = [...a].sort().join(',') < [...b].sort().join(',') ? -1 : 1;
    return (fewest ? bySize || byValue : byValue || bySize) || byName;
  };
  return pay(stable.sort(order)[0]);
}

function distribute(charter, table, proceeds) {
  if ((charter.interpretations_in_force['all.payout-cents'] || 'exact') !== 'exact') throw new Unsupported('payouts in cents');
  const commonId = charter.common.id;
  const outstanding = {};
  for (const h of table.holdings) outstanding[h.class] = (outstanding[h.class] || 0) + h.shares;
  const classes = choose(charter, outstanding[commonId] || 0, positions(charter, table), proceeds);
  const out = {};
  for (const h of table.holdings) {
    const perShare = outstanding[h.class] ? div(classes[h.class], int(outstanding[h.class])) : ZERO;
    out[h.holder] = add(out[h.holder] || ZERO, mul(perShare, int(h.shares)));
  }
  return out;
}

function votes(charter, table) {
  const v = charter.voting;
  if (v.aggregate !== 'holder') throw new Unsupported(`vote aggregation ${v.aggregate}`);
  const ratio = {};
  for (const s of charter.series) ratio[s.id] = div(parse(s.conversion.value), parse(table.conversion_prices[s.id] || s.conversion.initial_price));
  const common = {}, preferred = {};
  for (const h of table.holdings) {
    common[h.holder] = common[h.holder] || 0n; preferred[h.holder] = preferred[h.holder] || ZERO;
    if (h.class === charter.common.id) common[h.holder] += BigInt(h.shares);
    else preferred[h.holder] = add(preferred[h.holder], mul(int(h.shares), ratio[h.class]));
  }
  const out = {};
  for (const holder of Object.keys(preferred)) {
    let pref = preferred[holder];
    if (v.share_rounding_first) pref = frac(roundWhole(mul(pref, int(100)), 'half-up'), 100n);
    out[holder] = frac(common[holder] + roundWhole(pref, v.tie));
  }
  return out;
}

function answer(request) {
  try {
    let got;
    if (request.op === 'distribute') got = distribute(request.charter, request.cap_table, parse(request.proceeds));
    else if (request.op === 'votes') got = votes(request.charter, request.cap_table);
    else return { error: `unknown op ${request.op}` };
    const holders = {};
    for (const [h, a] of Object.entries(got)) holders[h] = show(a);
    return { holders };
  } catch (e) {
    if (e instanceof Unsupported) return { error: `not implemented: ${e.message}` };
    throw e;
  }
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on('line', (line) => { process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + '\n'); });
