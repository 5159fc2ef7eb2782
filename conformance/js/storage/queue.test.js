// Queue service conformance through @azure/storage-queue.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const {
  QueueServiceClient,
  QueueClient,
  StorageSharedKeyCredential,
  QueueSASPermissions,
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  generateQueueSASQueryParameters,
  generateAccountSASQueryParameters,
} = require("@azure/storage-queue");
const env = require("../lib/env");

const cred = new StorageSharedKeyCredential(env.account(), env.key());
const service = new QueueServiceClient(env.queueURL(), cred, { retryOptions: { maxTries: 1 } });

async function newQueue(prefix, metadata) {
  const q = service.getQueueClient(env.unique(prefix));
  await q.create({ metadata });
  return q;
}

// Texts that XML escaping gets wrong, including indented JSON as an
// output binding writes it.
const texts = [
  JSON.stringify({ name: 'say "hi"', list: [1, 2], nested: { a: "b" } }, null, 2),
  "tab\tand\nnewline and CRLF\r\nend",
  `quotes " and ' and <angle> & amp`,
  "&#34; &#xA; &amp; are just text",
  "unicode é ü 日本語 😀",
  "   surrounding spaces   ",
  "]]> and <![CDATA[ x ]]>",
];

// sendRaw puts a message with a plain REST call, as a .NET or Go producer
// (an output binding) would: the JS SDK's own request builder drops
// newlines from what it sends, on Azure too.
async function sendRaw(q, text) {
  const sas = generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 3600 * 1000),
      permissions: AccountSASPermissions.parse("a"),
      resourceTypes: AccountSASResourceTypes.parse("o").toString(),
      services: AccountSASServices.parse("q").toString(),
    },
    cred,
  ).toString();
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");
  const res = await fetch(`${q.url}/messages?${sas}`, {
    method: "POST",
    headers: { "x-ms-version": "2026-04-06", "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="utf-8"?><QueueMessage><MessageText>${escaped}</MessageText></QueueMessage>`,
  });
  assert.equal(res.status, 201, await res.text());
}

test("message text with special characters is delivered exactly", async () => {
  const q = await newQueue("text");
  for (const t of texts) {
    await sendRaw(q, t);
  }
  // Azure writes CR raw, and every XML parser reads CRLF as LF (XML 1.0
  // end-of-line handling); all else arrives exactly.
  const delivered = texts.map((t) => t.replace(/\r\n?/g, "\n"));
  const peeked = await q.peekMessages({ numberOfMessages: 32 });
  assert.deepEqual(peeked.peekedMessageItems.map((m) => m.messageText), delivered);
  const got = await q.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
  assert.deepEqual(got.receivedMessageItems.map((m) => m.messageText), delivered);
  assert.deepEqual(JSON.parse(got.receivedMessageItems[0].messageText).name, 'say "hi"');
  const first = got.receivedMessageItems[0];
  const updated = await q.updateMessage(first.messageId, first.popReceipt, `updated "text" & 'more'`, 0);
  const again = await q.receiveMessages({ numberOfMessages: 1 });
  assert.equal(again.receivedMessageItems[0].messageText, `updated "text" & 'more'`);
  await q.deleteMessage(again.receivedMessageItems[0].messageId, again.receivedMessageItems[0].popReceipt);
  assert.ok(updated.popReceipt);
});

test("every character from U+0020 to U+2FFF, tab and newline arrive exactly", async () => {
  const q = await newQueue("chars");
  let all = "\t\n";
  for (let c = 0x20; c < 0x3000; c++) all += String.fromCodePoint(c);
  const parts = [all.slice(0, all.length / 2), all.slice(all.length / 2)];
  for (const p of parts) await sendRaw(q, p);
  const got = await q.receiveMessages({ numberOfMessages: 2 });
  assert.deepEqual(got.receivedMessageItems.map((m) => m.messageText), parts);
});

test("message text without newlines round-trips through the SDK alone", async () => {
  const q = await newQueue("sdk");
  const sent = texts.filter((t) => !/[\r\n]/.test(t));
  for (const t of sent) await q.sendMessage(t);
  const got = await q.receiveMessages({ numberOfMessages: 32 });
  assert.deepEqual(got.receivedMessageItems.map((m) => m.messageText), sent);
});

test("queue metadata with special characters and listing", async () => {
  const metadata = { quoted: `a "b" & <c> 'd'`, entity: "&#34;" };
  const q = await newQueue("meta", metadata);
  const props = await q.getProperties();
  assert.deepEqual(props.metadata, metadata);
  const listed = [];
  for await (const item of service.listQueues({ prefix: q.name, includeMetadata: true })) listed.push(item);
  assert.equal(listed.length, 1);
  assert.deepEqual(listed[0].metadata, metadata);
});

test("message time to live: forever and very long", async () => {
  const q = await newQueue("ttl");
  const forever = await q.sendMessage("forever", { messageTimeToLive: -1 });
  assert.equal(forever.expiresOn.getUTCFullYear(), 9999);
  await q.sendMessage("long", { messageTimeToLive: 2147483647 });
  const peeked = await q.peekMessages({ numberOfMessages: 32 });
  assert.deepEqual(peeked.peekedMessageItems.map((m) => m.messageText), ["forever", "long"]);
});

test("SDK-generated queue SAS and access policies", async () => {
  const q = await newQueue("sas");
  const expiresOn = new Date(Date.now() + 3600 * 1000);
  const sas = generateQueueSASQueryParameters(
    { queueName: q.name, permissions: QueueSASPermissions.parse("ap"), expiresOn },
    cred,
  ).toString();
  const viaSAS = new QueueClient(`${q.url}?${sas}`, undefined, { retryOptions: { maxTries: 1 } });
  await viaSAS.sendMessage("via sas");
  const got = await viaSAS.receiveMessages();
  assert.equal(got.receivedMessageItems[0].messageText, "via sas");
  await assert.rejects(viaSAS.peekMessages(), (e) => e.statusCode === 403);
  const startsOn = new Date(Math.floor(Date.now() / 1000) * 1000 - 60000);
  await q.setAccessPolicy([{ id: "readers & <writers>", accessPolicy: { permissions: "raup", startsOn, expiresOn } }]);
  const acl = await q.getAccessPolicy();
  assert.equal(acl.signedIdentifiers[0].id, "readers & <writers>");
  assert.equal(acl.signedIdentifiers[0].accessPolicy.permissions, "raup");
  await assert.rejects(
    q.setAccessPolicy([{ id: "bad", accessPolicy: { permissions: "rwd", startsOn, expiresOn } }]),
    (e) => e.statusCode === 400,
  );
});

test("queue errors parse", async () => {
  await assert.rejects(service.getQueueClient("no-such-queue").getProperties(), (e) => {
    assert.equal(e.statusCode, 404);
    assert.equal(e.code, "QueueNotFound");
    return true;
  });
  await assert.rejects(service.getQueueClient("ab").create(), (e) => {
    assert.equal(e.statusCode, 400);
    assert.equal(e.code, "OutOfRangeInput");
    return true;
  });
});
