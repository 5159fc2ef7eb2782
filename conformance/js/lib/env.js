// Endpoints and credentials of the emulator under test, from the
// environment the Go runner (conformance/js/js_test.go) sets. Shared by
// every battery in conformance/js.
"use strict";

function required(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run the batteries through "go test ./conformance/js"`);
  }
  return v;
}

// unique returns a lower-case resource name unlikely to clash between
// test files running at the same time.
let counter = 0;
function unique(prefix) {
  counter += 1;
  return `${prefix}${process.pid}x${counter}`.toLowerCase();
}

module.exports = {
  account: () => required("FUNCEMU_ACCOUNT"),
  key: () => required("FUNCEMU_ACCOUNT_KEY"),
  blobURL: () => required("FUNCEMU_BLOB_URL"),
  queueURL: () => required("FUNCEMU_QUEUE_URL"),
  tableURL: () => required("FUNCEMU_TABLE_URL"),
  unique,
};
