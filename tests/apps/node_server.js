// The same routes as pyserver.py, served by Node's http module (writev/read on the wire), or by
// its https module when TLS_CERT and TLS_KEY name PEM files.
const fs = require("fs");
const http = require("http");
const https = require("https");
const port = parseInt(process.argv[2], 10);

function reply(res, status, body, headers = {}) {
  if (status === 204 || status === 304) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

const tls = process.env.TLS_CERT
  ? { cert: fs.readFileSync(process.env.TLS_CERT), key: fs.readFileSync(process.env.TLS_KEY) }
  : null;
const handler = (req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const path = req.url.split("?")[0];
    if (req.method === "POST") return reply(res, 201, '{"created":true}');
    if (req.method === "PUT") return reply(res, 200, '{"updated":true}');
    if (req.method === "DELETE") return reply(res, 204, "");
    if (path.startsWith("/items/")) return reply(res, 200, JSON.stringify({ id: path.split("/")[2], name: "widget" }));
    if (path === "/old") return reply(res, 301, "", { Location: "/new" });
    if (path === "/fail") return reply(res, 500, '{"error":"boom"}');
    if (path === "/sleep") return setTimeout(() => reply(res, 200, '{"slept":true}'), 50);
    if (path === "/checkout")
      return reply(res, 200, '{"success": false, "error": {"code": "card_declined", "message": "Your card was declined"}}');
    return reply(res, 404, '{"error":"not found"}');
  });
};
const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
server.keepAliveTimeout = 30000;
server.listen(port, "127.0.0.1", () => console.log("ready"));
