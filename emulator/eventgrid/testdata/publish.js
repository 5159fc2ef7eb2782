// Publishes to a topic with @azure/eventgrid, as an app would:
//   node publish.js ENDPOINT KEY MODE
// MODE is eventgrid (aeg-sas-key), sas (aeg-sas-token), cloudevents or
// wrongkey (prints the status the SDK's error carries).
const {
  EventGridPublisherClient,
  AzureKeyCredential,
  AzureSASCredential,
  generateSharedAccessSignature,
} = require("@azure/eventgrid");

// Local topics are served over plain HTTP, which the SDK only allows when told.
const options = { allowInsecureConnection: true };

async function main() {
  const [endpoint, key, mode] = process.argv.slice(2);
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
        console.log("sent");
      } catch (e) {
        console.log("status " + e.statusCode + " code " + e.code);
      }
      return;
  }
  console.log("sent");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
