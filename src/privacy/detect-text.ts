import type { Candidate } from './detect-numbers.ts';
import { COMMON_WORDS, FIRST_NAMES } from './names-data.ts';

// ---------------------------------------------------------------- e-mail

// The common shape of an address (RFC 5322's dot-atom, with Unicode letters as IDN mail allows): local@domain.tld.
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-])/gu;

// Spelt-out addresses meant to fool scrapers: "sofie (at) gmail (dot) com", "sofie[at]gmail.com",
// "sofie snabel-a gmail punktum dk", "sofie at gmail dot com".
const AT = String.raw`(?:\s*[([{<]\s*(?:at|snabel-?a)\s*[)\]}>]\s*|\s+(?:at|snabel-?a)\s+)`;
const DOT = String.raw`(?:\s*[([{<]\s*(?:dot|punktum|prik)\s*[)\]}>]\s*|\s+(?:dot|punktum|prik)\s+|\.)`;
const SPELT_EMAIL = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}${AT}[\p{L}\p{N}-]{1,63}(?:${DOT}[\p{L}\p{N}-]{1,63})*${DOT}(?:dk|com|net|org|se|no|de|eu|io|me|info|uk|co|nu|fi|is|fo|gl|edu|gov)(?![\p{L}\p{N}-])`,
  'giu',
);

export function findEmails(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(EMAIL)) out.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(SPELT_EMAIL)) {
    // " at " in running English ("meet at noon.com") needs the spelt-out dot too, or a bracketed at.
    if (/^\s+at\s+$/i.test(m[0].match(new RegExp(AT, 'i'))?.[0] ?? '') && !/(dot|punktum|prik)/i.test(m[0])) continue;
    out.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// ---------------------------------------------------------------- social-media handles

const HANDLE_BODY = String.raw`[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]{0,38}[\p{L}\p{N}_])?`;
// Group mentions that address a channel, not a person.
const NOT_HANDLES = new Set(['everyone', 'here', 'channel', 'all']);

// "@sofie_2008" — not the middle of an e-mail address or a URL path, and not a Discord role ping.
const AT_HANDLE = new RegExp(String.raw`(?<![\p{L}\p{N}_.@/\\])@(${HANDLE_BODY})(?![\p{L}\p{N}_@]|\.[\p{L}]{2,}\b)`, 'gu');

// Raw platform mentions: Discord <@123…> / <@!123…>, Slack <@U123ABC>.
const RAW_MENTION = /<@!?[A-Z0-9]{6,24}(?:\|[^>]{0,80})?>/g;

// "snap: sofie", "min insta er sofie.k", "add mig på snap sofie2008", "tiktok - @sofie".
const PLATFORM = String.raw`(?:snapchat|snap|sc|instagram|insta|ig|tiktok|tik\s?tok|twitter|facebook|fb|discord|telegram|kik|bereal|youtube|yt|twitch|steam|psn|xbox|gamertag|threads|reddit|linkedin|signal|wickr)`;
const PLATFORM_LABELLED = new RegExp(
  String.raw`(?<![\p{L}\p{N}])${PLATFORM}(?:\s*(?:navn|name|handle|brugernavn|username|id|tag))?(\s*[:=]\s*|\s+[-–]\s+|\s+(?:er|is|hedder)\s+)@?(${HANDLE_BODY}(?:#\d{4})?)`,
  'giu',
);
const PLATFORM_BARE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:på|on|via|over|i|in)\s+${PLATFORM}\s+@?(${HANDLE_BODY}(?:#\d{4})?)`, 'giu');

// Profile links: instagram.com/sofie, tiktok.com/@sofie, snapchat.com/add/sofie, facebook.com/sofie.k.
const PROFILE_URL =
  /(?:https?:\/\/)?(?:www\.|m\.)?(?:instagram\.com|tiktok\.com|snapchat\.com\/add|facebook\.com|fb\.com|twitter\.com|x\.com|youtube\.com|twitch\.tv|linkedin\.com\/in|threads\.net)\/@?[\p{L}\p{N}_.-]+/giu;

/** A handle needs a letter, and a word that is an ordinary word is not a handle unless it was written with "@". */
function plausibleHandle(body: string, withAt: boolean): boolean {
  if (body.length < 2 || !/\p{L}/u.test(body)) return false;
  if (NOT_HANDLES.has(body.toLowerCase())) return false;
  if (!withAt && COMMON_WORDS.has(body.toLowerCase())) return false;
  return true;
}

export function findHandles(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(AT_HANDLE)) {
    if (plausibleHandle(m[1]!, true)) out.push({ kind: 'handle', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(RAW_MENTION)) out.push({ kind: 'handle', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(PLATFORM_LABELLED)) {
    const body = m[2]!;
    const withAt = m[0][m[0].length - body.length - 1] === '@';
    // After "er"/"is" ("min snap er lukket") the word must look like a username or be a first name.
    const wordSeparator = /[a-z]/i.test(m[1]!);
    if (wordSeparator && !withAt && !/[\d_.]/.test(body) && !FIRST_NAMES.da.has(body.toLowerCase())) continue;
    if (!plausibleHandle(body.replace(/#\d{4}$/, ''), withAt)) continue;
    const end = m.index + m[0].length;
    out.push({ kind: 'handle', start: end - body.length - (withAt ? 1 : 0), end });
  }
  for (const m of text.matchAll(PLATFORM_BARE)) {
    const body = m[1]!;
    const withAt = m[0][m[0].length - body.length - 1] === '@';
    // Without a label ("på snap sofie2008") the word must look like a username: a digit, "_" or "." inside, or "@".
    if (!withAt && !/[\d_.]/.test(body)) continue;
    if (!plausibleHandle(body.replace(/#\d{4}$/, ''), withAt)) continue;
    const end = m.index + m[0].length;
    out.push({ kind: 'handle', start: end - body.length - (withAt ? 1 : 0), end });
  }
  for (const m of text.matchAll(PROFILE_URL)) out.push({ kind: 'handle', start: m.index, end: m.index + m[0].length });
  return out;
}
