// Publishes to topics with @azure/eventgrid, as an app would, one publish
// per ENDPOINT MODE pair, in order, in one process (loading the SDK is
// most of what a node process costs):
//   node publish.js KEY ENDPOINT MODE [ENDPOINT MODE]...
// MODE is eventgrid (aeg-sas-key), sas (aeg-sas-token), cloudevents or
// wrongkey. Each publish prints one line: "sent", or for wrongkey the
// status the SDK's error carries.
const {
  EventGridPublisherClient,
  AzureKeyCredential,
  AzureSASCredential,
  generateSharedAccessSignature,
} = require("@azure/eventgrid");

// Local topics are served over plain HTTP, which the SDK only allows when told.
const options = { allowInsecureConnection: true };

async function main() {
  const [key, ...pairs] = process.argv.slice(2);
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    console.log(await publish(pairs[i], key, pairs[i + 1]));
  }
}

async function publish(endpoint, key, mode) {
  const order = { eventType: "Shop.Order", subject: "orders/js-" + mode, dataVersion: "1.0", data: { kind: "ship" } };
  switch (mode) {
    case "eventgrid":
      await new EventGridPublisherClient(endpoint, "EventGrid", new AzureKeyCredential(key), options).send([order]);
      break;
    case "sas": {
      const sas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(key), new Date(Date.now() + 3600 * 1000));
      await new EventGridPublisherClient(endpoint, "EventGrid", new AzureSASCredential(sas), options).send([order]);
      break;
    }
    case "cloudevents":
      await new EventGridPublisherClient(endpoint, "CloudEvent", new AzureKeyCredential(key), options).send([
        { type: "Shop.Order", source: "/js", subject: "orders/js-cloudevents", data: { kind: "ship" } },
      ]);
      break;
    case "wrongkey":
      try {
        await new EventGridPublisherClient(endpoint, "EventGrid", new AzureKeyCredential("wrong"), options).send([order]);
        return "sent";
      } catch (e) {
        return "status " + e.statusCode + " code " + e.code;
      }
    default:
      throw new Error("unknown mode " + mode);
  }
  return "sent";
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
