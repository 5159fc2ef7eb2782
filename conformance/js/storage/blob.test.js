// Blob service conformance through @azure/storage-blob: what Node apps,
// Storage Explorer and the VS Code extensions do against funcemu.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const {
  BlobServiceClient,
  StorageSharedKeyCredential,
  BlobSASPermissions,
  ContainerClient,
  BlobClient,
  generateBlobSASQueryParameters,
} = require("@azure/storage-blob");
const env = require("../lib/env");

const cred = new StorageSharedKeyCredential(env.account(), env.key());
const service = new BlobServiceClient(env.blobURL(), cred, { retryOptions: { maxTries: 1 } });

async function newContainer(prefix) {
  const c = service.getContainerClient(env.unique(prefix));
  await c.create();
  return c;
}

async function listAll(container, options) {
  const out = [];
  for await (const item of container.listBlobsFlat(options)) {
    out.push(item);
  }
  return out;
}

// Names and metadata values with every character XML escaping gets wrong.
const specialNames = [
  `quote"double.txt`,
  "apostrophe's.txt",
  "amp & lt < gt >.txt",
  "dir/sub dir/file with spaces.txt",
  "percent%25 and %.txt",
  "unicode/é ü 日本語 😀.txt",
  "brackets[1]{2}(3)#hash?query.txt",
  "&#34;not-an-entity&#39;.txt",
  "noncharacter \uFFFE listed Encoded.txt",
];
const specialMetadata = {
  quoted: `He said "hi" & 'bye' <b>`,
  entity: "&#34;&#xA;",
  spaced: "  leading and trailing  ",
};

test("blob names and metadata with special characters round-trip through list", async () => {
  const c = await newContainer("names");
  for (const name of specialNames) {
    await c.getBlockBlobClient(name).upload(name, Buffer.byteLength(name), { metadata: specialMetadata });
  }
  const listed = await listAll(c, { includeMetadata: true });
  assert.deepEqual(listed.map((b) => b.name).sort(), [...specialNames].sort());
  for (const item of listed) {
    assert.deepEqual(item.metadata, { ...specialMetadata, spaced: specialMetadata.spaced.trim() }, item.name);
    // Every listed name reads back and deletes by that very name.
    const body = await c.getBlobClient(item.name).downloadToBuffer();
    assert.equal(body.toString(), item.name);
  }
  const byHierarchy = [];
  for await (const item of c.listBlobsByHierarchy("/", { prefix: "dir/" })) {
    byHierarchy.push(item.kind === "prefix" ? `prefix:${item.name}` : item.name);
  }
  assert.deepEqual(byHierarchy, ["prefix:dir/sub dir/"]);
  for (const item of listed) {
    await c.getBlobClient(item.name).delete();
  }
  assert.equal((await listAll(c)).length, 0);
});

test("container metadata with special characters round-trips through list", async () => {
  const c = await newContainer("meta");
  await c.setMetadata(specialMetadata);
  for await (const item of service.listContainers({ prefix: c.containerName, includeMetadata: true })) {
    assert.equal(item.name, c.containerName);
    assert.equal(item.metadata.quoted, specialMetadata.quoted);
    assert.equal(item.metadata.entity, specialMetadata.entity);
    assert.match(item.properties.etag, /^"0x[0-9A-F]+"$/);
  }
  const props = await c.getProperties();
  assert.equal(props.metadata.quoted, specialMetadata.quoted);
});

test("listing ETags work as If-Match", async () => {
  const c = await newContainer("etag");
  const bb = c.getBlockBlobClient("e.txt");
  const up = await bb.upload("v1", 2);
  const [item] = await listAll(c);
  // Azure lists a blob's ETag without the quotes of its ETag header (a
  // container's keeps them), and takes either form in If-Match.
  assert.equal(item.properties.etag, up.etag.replace(/"/g, ""));
  await bb.setMetadata({ step: "2" }, { conditions: { ifMatch: item.properties.etag } });
  await assert.rejects(bb.setMetadata({ step: "3" }, { conditions: { ifMatch: item.properties.etag } }), (e) => {
    assert.equal(e.statusCode, 412);
    return true;
  });
  const downloaded = await bb.downloadToBuffer(0, undefined, { conditions: { ifMatch: (await listAll(c))[0].properties.etag } });
  assert.equal(downloaded.toString(), "v1");
});

test("SDK-generated service SAS with response header overrides", async () => {
  const c = await newContainer("sas");
  const bb = c.getBlockBlobClient("report.csv");
  await bb.upload("a,b\n1,2\n", 8, { blobHTTPHeaders: { blobContentType: "text/csv" } });
  const sas = generateBlobSASQueryParameters(
    {
      containerName: c.containerName,
      blobName: "report.csv",
      permissions: BlobSASPermissions.parse("r"),
      expiresOn: new Date(Date.now() + 3600 * 1000),
      contentDisposition: 'attachment; filename="report.csv"',
      contentType: "application/octet-stream",
      cacheControl: "no-cache",
      contentLanguage: "fr",
      contentEncoding: "identity",
    },
    cred,
  ).toString();
  const res = await fetch(`${bb.url}?${sas}`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "a,b\n1,2\n");
  assert.equal(res.headers.get("content-disposition"), 'attachment; filename="report.csv"');
  assert.equal(res.headers.get("content-type"), "application/octet-stream");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.headers.get("content-language"), "fr");
  const viaSAS = new BlobClient(`${bb.url}?${sas}`, undefined, { retryOptions: { maxTries: 1 } });
  const props = await viaSAS.getProperties();
  assert.equal(props.contentDisposition, 'attachment; filename="report.csv"');
  // The SAS grants reads only.
  const writer = new ContainerClient(`${c.url}?${sas}`, undefined, { retryOptions: { maxTries: 1 } });
  await assert.rejects(writer.getBlockBlobClient("other.txt").upload("x", 1), (e) => e.statusCode === 403);
  // An SDK-built SAS URL for the container lists it.
  const listURL = await c.generateSasUrl({ permissions: "rl", expiresOn: new Date(Date.now() + 3600 * 1000) });
  const names = await listAll(new ContainerClient(listURL, undefined, { retryOptions: { maxTries: 1 } }));
  assert.deepEqual(names.map((b) => b.name), ["report.csv"]);
});

test("leases: acquire, require the id, change, renew, break, release", async () => {
  const c = await newContainer("lease");
  const bb = c.getBlockBlobClient("locked.txt");
  await bb.upload("x", 1);
  const first = crypto.randomUUID();
  const lc = bb.getBlobLeaseClient(first);
  const acquired = await lc.acquireLease(15);
  assert.equal(acquired.leaseId, first);
  await assert.rejects(bb.upload("y", 1), (e) => {
    assert.equal(e.statusCode, 412);
    assert.equal(e.code, "LeaseIdMissing");
    return true;
  });
  await bb.upload("y", 1, { conditions: { leaseId: first } });
  const second = crypto.randomUUID();
  await lc.changeLease(second);
  assert.equal(lc.leaseId, second);
  await lc.renewLease();
  const props = await bb.getProperties();
  assert.equal(props.leaseState, "leased");
  assert.equal(props.leaseDuration, "fixed");
  const broken = await lc.breakLease(0);
  assert.equal(broken.leaseTime, 0);
  assert.equal((await bb.getProperties()).leaseState, "broken");
  const again = bb.getBlobLeaseClient();
  await again.acquireLease(-1);
  await again.releaseLease();
  assert.equal((await bb.getProperties()).leaseState, "available");
  const cl = c.getBlobLeaseClient();
  await cl.acquireLease(-1);
  await assert.rejects(c.delete(), (e) => e.statusCode === 412);
  await c.delete({ conditions: { leaseId: cl.leaseId } });
});

test("ranged and parallel downloads", async () => {
  const c = await newContainer("range");
  const data = crypto.randomBytes(3 * 1024 * 1024 + 123);
  const bb = c.getBlockBlobClient("r.bin");
  await bb.uploadData(data);
  const part = await bb.download(1000, 5000);
  assert.equal(part.contentLength, 5000);
  assert.equal(part.contentRange, `bytes 1000-5999/${data.length}`);
  const chunks = [];
  for await (const chunk of part.readableStreamBody) chunks.push(chunk);
  assert.deepEqual(Buffer.concat(chunks), data.subarray(1000, 6000));
  const whole = await bb.downloadToBuffer(0, undefined, { blockSize: 256 * 1024, concurrency: 8 });
  assert.ok(whole.equals(data), "parallel download differs");
  const tail = await bb.downloadToBuffer(data.length - 10);
  assert.ok(tail.equals(data.subarray(data.length - 10)));
  await assert.rejects(bb.download(data.length + 1), (e) => e.statusCode === 416);
  const empty = c.getBlockBlobClient("empty.bin");
  await empty.upload("", 0);
  assert.equal((await empty.downloadToBuffer()).length, 0);
});

test("uploadData of 10 MB, single shot and in blocks", async () => {
  const c = await newContainer("big");
  const data = crypto.randomBytes(10 * 1024 * 1024);
  const sha = (b) => crypto.createHash("sha256").update(b).digest("hex");
  const single = c.getBlockBlobClient("single.bin");
  await single.uploadData(data);
  const staged = c.getBlockBlobClient("staged.bin");
  await staged.uploadData(data, { maxSingleShotSize: 1024 * 1024, blockSize: 1024 * 1024, concurrency: 4 });
  const blocks = await staged.getBlockList("committed");
  assert.equal(blocks.committedBlocks.length, 10);
  for (const bb of [single, staged]) {
    const props = await bb.getProperties();
    assert.equal(props.contentLength, data.length);
    assert.equal(sha(await bb.downloadToBuffer(0, undefined, { concurrency: 4, blockSize: 4 * 1024 * 1024 })), sha(data));
  }
});

test("service properties and errors parse", async () => {
  const rule = { allowedOrigins: "https://*.contoso.com", allowedMethods: "GET,PUT", allowedHeaders: "x-ms-meta-*", exposedHeaders: "x-ms-request-id", maxAgeInSeconds: 60 };
  await service.setProperties({ cors: [rule] });
  const props = await service.getProperties();
  assert.deepEqual(props.cors, [rule]);
  await assert.rejects(service.getContainerClient("no-such-container").getProperties(), (e) => {
    assert.equal(e.statusCode, 404);
    assert.equal(e.code, "ContainerNotFound");
    return true;
  });
  const c = await newContainer("err");
  await assert.rejects(c.create(), (e) => e.code === "ContainerAlreadyExists");
});
