// Runs the public equalshares.net compute tool (github.com/equalshares/equalshares-compute-tool) on one
// pabulib file from the command line, as the yardstick of `npm run bench`. The tool is a browser app: its
// parser is an ES module and its Method of Equal Shares runs in a Web Worker. This runner loads both from a
// copy of the tool OUTSIDE this repository (none of its code is kept here), gives the worker script the two
// globals it uses (importScripts, postMessage) and calls it as the page does, with the page's float
// arithmetic. Plain JavaScript run by plain node, so the tool pays no TypeScript start-up.
//
//   node bench/equalshares-tool.mjs <tool folder> <file.pb> add1|none|greedy
//
// add1: Equal Shares with the add1 completion, whole-unit start ("integral"), one currency unit per voter per
// step, no exhaustive stop, ties to lower cost then more votes (Pulje's convention); none: Equal Shares alone;
// greedy: the tool's own greedy pass (its "utilitarian" completion from nothing). Prints {"selected":[…]}.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

const [tool, file, mode = 'add1'] = process.argv.slice(2);
if (!tool || !file || !['add1', 'none', 'greedy'].includes(mode)) {
  process.stderr.write('usage: node bench/equalshares-tool.mjs <tool folder> <file.pb> add1|none|greedy\n');
  process.exit(2);
}
const js = path.join(tool, 'js');
const { parsePabulibFromString } = await import(pathToFileURL(path.join(js, 'pabulibParser.js')).href);
const context = vm.createContext({
  console,
  performance,
  postMessage: () => {},
  importScripts: (...names) => {
    for (const name of names) vm.runInContext(readFileSync(path.join(js, name), 'utf8'), context);
  },
});
vm.runInContext(readFileSync(path.join(js, 'methodOfEqualSharesWorker.js'), 'utf8'), context);

const instance = parsePabulibFromString(readFileSync(file, 'utf8'));
let winners;
if (mode === 'greedy') {
  const C = Object.keys(instance.projects);
  const cost = Object.fromEntries(C.map((c) => [c, Number.parseFloat(instance.projects[c].cost)]));
  const N = Object.keys(instance.votes);
  winners = context.utilitarianCompletion(N, C, cost, instance.approvers, Number.parseFloat(instance.meta.budget), []).winners;
} else {
  const params = {
    tieBreaking: ['minCost', 'maxVotes'],
    completion: mode,
    add1options: ['integral'],
    comparison: 'none',
    accuracy: 'floats',
    increment: 1,
  };
  winners = context.equalShares(instance, params).winners;
}
process.stdout.write(`${JSON.stringify({ selected: winners })}\n`);
