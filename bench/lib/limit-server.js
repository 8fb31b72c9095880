// The limit: a bare Node HTTP server that reads the whole request body and sends a fixed small
// DynamoDB-shaped reply. Nothing a DynamoDB server on Node's HTTP stack does can be cheaper, so
// each target's throughput is reported as a ratio of this one's, measured in the same round.
// Usage: node limit-server.js <port>
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const REPLY_BODY = Buffer.from('{}');
const REPLY_HEADERS = {
  'Content-Type': 'application/x-amz-json-1.0',
  'Content-Length': String(REPLY_BODY.length),
  'x-amzn-RequestId': 'LIMIT0000000000000000000000000000000000000000000000000',
  'x-amz-crc32': '2745614147',
};

const server = createServer((request, response) => {
  // Drain the body before replying, as a real server must read the request it answers.
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, REPLY_HEADERS);
    response.end(REPLY_BODY);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`limit server on 127.0.0.1:${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
