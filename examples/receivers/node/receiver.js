#!/usr/bin/env node
// A Shelf webhook receiver in Node.js, standard library only.
//
// It verifies Shelf-Signature (HMAC-SHA256 of "t.body", crypto.timingSafeEqual,
// 5-minute tolerance, the old and the new secret during a rotation), skips
// event ids it has already processed, and answers Shelf's self-test: 2xx to
// signed deliveries, 401 to forged or stale ones, 200 on GET (launch URL).
//
//   SHELF_WEBHOOK_SECRET=whsec_... node receiver.js 127.0.0.1:9000
'use strict';
const crypto = require('node:crypto');
const http = require('node:http');

const TOLERANCE = 300; // seconds a signature's timestamp may be from now
const SECRETS = [process.env.SHELF_WEBHOOK_SECRET, process.env.SHELF_WEBHOOK_SECRET_OLD].filter(Boolean);
const seen = new Set(); // processed event ids: keep them in your database, with the effect

function verify(header, body, now = Date.now() / 1000) {
  let ts = null;
  const sigs = [];
  for (const part of (header || '').split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && /^\d+$/.test(value)) ts = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) sigs.push(Buffer.from(value, 'hex'));
  }
  if (ts === null || sigs.length === 0 || Math.abs(now - ts) > TOLERANCE) return false;
  return SECRETS.some((secret) => {
    const want = crypto.createHmac('sha256', secret).update(`${ts}.`).update(body).digest();
    return sigs.some((got) => crypto.timingSafeEqual(want, got));
  });
}

function answer(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain' });
  res.end(text);
}

if (SECRETS.length === 0) {
  console.error('set SHELF_WEBHOOK_SECRET');
  process.exit(1);
}
const [host, port] = (process.argv[2] || '127.0.0.1:9000').split(':');
http.createServer((req, res) => {
  if (req.method === 'GET') return answer(res, 200, 'ok');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!verify(req.headers['shelf-signature'], body)) return answer(res, 401, 'bad signature');
    const event = JSON.parse(body);
    if (seen.has(event.id)) return answer(res, 200, 'already processed');
    seen.add(event.id);
    console.log(`${event.org_id} #${event.seq} ${event.type} ${event.id}`);
    answer(res, 200, 'ok');
  });
}).listen(Number(port), host, () => console.log(`listening on http://${host}:${port}`));
