// Table service conformance through @azure/data-tables.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const {
  TableServiceClient,
  TableClient,
  AzureNamedKeyCredential,
  AzureSASCredential,
  generateTableSas,
  odata,
} = require("@azure/data-tables");
const env = require("../lib/env");

const cred = new AzureNamedKeyCredential(env.account(), env.key());
// The SDK refuses credentials over plain HTTP unless told that the
// endpoint is local.
const options = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };
const service = new TableServiceClient(env.tableURL(), cred, options);

// Table names are letters and digits only.
function tableName(prefix) {
  return env.unique(prefix).replace(/[^a-z0-9]/g, "");
}

async function newTable(prefix) {
  const name = tableName(prefix);
  await service.createTable(name);
  return new TableClient(env.tableURL(), name, cred, options);
}

async function all(iter) {
  const out = [];
  for await (const e of iter) {
    out.push(e);
  }
  return out;
}

test("tables are created, listed, filtered and deleted", async () => {
  const name = tableName("list");
  await service.createTable(name);
  const listed = await all(service.listTables({ queryOptions: { filter: odata`TableName eq ${name}` } }));
  assert.deepEqual(listed.map((t) => t.name), [name]);
  const client = new TableClient(env.tableURL(), name, cred, options);
  await client.createEntity({ partitionKey: "p", rowKey: "r" });
  await assert.rejects(
    client.createEntity({ partitionKey: "p", rowKey: "r" }),
    (err) => err.statusCode === 409 && /EntityAlreadyExists/.test(err.message),
  );
  await service.deleteTable(name);
  const after = await all(service.listTables({ queryOptions: { filter: odata`TableName eq ${name}` } }));
  assert.equal(after.length, 0);
});

test("typed properties and special characters round trip", async () => {
  const t = await newTable("types");
  const when = new Date("2026-12-02T08:30:00.123Z");
  const entity = {
    partitionKey: `p'quote"`,
    rowKey: "row with spaces & <angle>",
    text: `quotes " and ' and <angle> & amp\nnewline\ttab 日本語 😀`,
    big: { value: "9007199254740993", type: "Int64" },
    small: 42,
    ratio: 1.5,
    whole: { value: 2, type: "Double" },
    flag: true,
    when,
    id: { value: "c9da6455-213d-42c9-9a79-3e9149a57833", type: "Guid" },
    bytes: new Uint8Array([0, 1, 2, 250, 255]),
  };
  await t.createEntity(entity);
  const got = await t.getEntity(entity.partitionKey, entity.rowKey, { disableTypeConversion: true });
  assert.equal(got.text.value, entity.text);
  assert.deepEqual(got.big, { value: "9007199254740993", type: "Int64" });
  assert.equal(got.small.type, "Int32");
  assert.equal(got.small.value, "42");
  assert.equal(got.ratio.type, "Double");
  // A whole Double is written 2.0, as Azure writes it; JavaScript's JSON
  // reader cannot tell 2.0 from 2, so only the value is checked.
  assert.equal(Number(got.whole.value), 2);
  assert.equal(got.flag.type, "Boolean");
  assert.equal(got.when.type, "DateTime");
  assert.equal(new Date(got.when.value).toISOString(), when.toISOString());
  assert.deepEqual(got.id, { value: "c9da6455-213d-42c9-9a79-3e9149a57833", type: "Guid" });
  assert.equal(got.bytes.type, "Binary");
  assert.deepEqual([...Buffer.from(got.bytes.value, "base64")], [0, 1, 2, 250, 255]);
  assert.match(got.etag, /^W\/"datetime'/);
  const typed = await t.getEntity(entity.partitionKey, entity.rowKey);
  assert.ok(typed.when instanceof Date);
  assert.ok(typed.bytes instanceof Uint8Array);
});

test("queries filter with typed literals, select columns and page with continuation", async () => {
  const t = await newTable("query");
  for (let i = 0; i < 25; i++) {
    await t.createEntity({
      partitionKey: i % 2 === 0 ? "even" : "odd",
      rowKey: String(i).padStart(3, "0"),
      n: { value: String(i), type: "Int64" },
      name: `it's ${i}`,
      at: new Date(Date.UTC(2026, 0, 1 + i)),
    });
  }
  const evens = await all(t.listEntities({ queryOptions: { filter: "PartitionKey eq 'even' and n ge 10L" } }));
  assert.deepEqual(evens.map((e) => e.rowKey), ["010", "012", "014", "016", "018", "020", "022", "024"]);
  const quoted = await all(t.listEntities({ queryOptions: { filter: odata`name eq ${"it's 7"}` } }));
  assert.deepEqual(quoted.map((e) => e.rowKey), ["007"]);
  const dated = await all(t.listEntities({ queryOptions: { filter: odata`at lt ${new Date(Date.UTC(2026, 0, 4))}` } }));
  assert.deepEqual(dated.map((e) => e.rowKey).sort(), ["000", "001", "002"]);
  const notOdd = await all(t.listEntities({ queryOptions: { filter: "not (PartitionKey eq 'odd') and RowKey lt '004'" } }));
  assert.deepEqual(notOdd.map((e) => e.rowKey), ["000", "002"]);
  const selected = await all(t.listEntities({ queryOptions: { filter: odata`RowKey eq ${"003"}`, select: ["name"] } }));
  assert.equal(selected.length, 1);
  assert.equal(selected[0].name, "it's 3");
  assert.equal(selected[0].n, undefined);
  const pages = [];
  for await (const page of t.listEntities().byPage({ maxPageSize: 10 })) {
    pages.push(page.length);
  }
  assert.deepEqual(pages, [10, 10, 5]);
});

test("update, merge, upsert and delete honour ETags", async () => {
  const t = await newTable("etag");
  await t.createEntity({ partitionKey: "p", rowKey: "r", a: "1", b: "2" });
  const first = await t.getEntity("p", "r");
  await t.updateEntity({ partitionKey: "p", rowKey: "r", c: "3" }, "Merge", { etag: first.etag });
  let got = await t.getEntity("p", "r");
  assert.deepEqual([got.a, got.b, got.c], ["1", "2", "3"]);
  await assert.rejects(
    t.updateEntity({ partitionKey: "p", rowKey: "r", a: "stale" }, "Replace", { etag: first.etag }),
    (err) => err.statusCode === 412,
  );
  await t.updateEntity({ partitionKey: "p", rowKey: "r", only: "this" }, "Replace");
  got = await t.getEntity("p", "r");
  assert.equal(got.a, undefined);
  assert.equal(got.only, "this");
  await t.upsertEntity({ partitionKey: "p", rowKey: "new", x: 1 }, "Merge");
  await t.upsertEntity({ partitionKey: "p", rowKey: "new", y: 2 }, "Merge");
  got = await t.getEntity("p", "new");
  assert.deepEqual([got.x, got.y], [1, 2]);
  await assert.rejects(t.deleteEntity("p", "r", { etag: first.etag }), (err) => err.statusCode === 412);
  await t.deleteEntity("p", "r");
  await assert.rejects(t.getEntity("p", "r"), (err) => err.statusCode === 404);
});

test("a transaction is all or nothing and names the failing operation", async () => {
  const t = await newTable("batch");
  await t.createEntity({ partitionKey: "p", rowKey: "exists" });
  await t.submitTransaction([
    ["create", { partitionKey: "p", rowKey: "a", v: 1 }],
    ["upsert", { partitionKey: "p", rowKey: "b", v: 2 }, "Replace"],
    ["update", { partitionKey: "p", rowKey: "exists", v: 3 }, "Merge"],
  ]);
  assert.equal((await all(t.listEntities())).length, 3);
  await assert.rejects(
    t.submitTransaction([
      ["create", { partitionKey: "p", rowKey: "c" }],
      ["create", { partitionKey: "p", rowKey: "exists" }],
    ]),
    (err) => err.statusCode === 409,
  );
  await assert.rejects(t.getEntity("p", "c"), (err) => err.statusCode === 404);
});

test("a read-only table SAS reads and cannot write", async () => {
  const t = await newTable("sas");
  await t.createEntity({ partitionKey: "p", rowKey: "r", v: "x" });
  const sas = generateTableSas(t.tableName, cred, {
    permissions: { query: true },
    expiresOn: new Date(Date.now() + 3600 * 1000),
  });
  const reader = new TableClient(env.tableURL(), t.tableName, new AzureSASCredential(sas), options);
  const got = await reader.getEntity("p", "r");
  assert.equal(got.v, "x");
  await assert.rejects(reader.createEntity({ partitionKey: "p", rowKey: "w" }), (err) => err.statusCode === 403);
});

test("bad input gets the service's error, never a 500", async () => {
  const t = await newTable("bad");
  await assert.rejects(
    t.listEntities({ queryOptions: { filter: "PartitionKey eq" } }).next(),
    (err) => err.statusCode === 400,
  );
  await assert.rejects(
    t.createEntity({ partitionKey: "p", rowKey: "big", blob: "x".repeat(64 * 1024 + 1) }),
    (err) => err.statusCode === 400,
  );
  await assert.rejects(service.createTable("1-not-a-name"), (err) => err.statusCode === 400);
});
