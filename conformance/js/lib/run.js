// Runs the test files named on the command line in this one process, one
// after the other as node --test would with a concurrency of one: node
// --test starts a process per file, and loading the Azure SDKs is most of
// what each costs.
"use strict";

const path = require("node:path");

for (const file of process.argv.slice(2)) {
  require(path.resolve(file));
}
