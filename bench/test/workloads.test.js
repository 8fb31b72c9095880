// Request templates: the same template must give valid, distinct-key requests in JS and in Lua.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemAt, itemSizeBytes } from '../lib/items.js';
import { WORKLOADS, fillTemplate, templateSegments, workloadNamed } from '../lib/workloads.js';
import { luaScript, parseWrkOutput } from '../lib/wrk.js';

test('items are about 400 bytes and the same on every run', () => {
  for (const index of [0, 1, 4999, 9999]) {
    const size = itemSizeBytes(itemAt(index));
    assert.ok(size >= 380 && size <= 420, `item ${index} is ${size} bytes`);
  }
  assert.deepEqual(itemAt(42), itemAt(42));
  assert.deepEqual(itemAt(42).pk, { S: 'p0000004' });
  assert.deepEqual(itemAt(42).sk, { N: '2' });
});

test('every filled template is valid JSON without placeholders left', () => {
  for (const workload of WORKLOADS) {
    const body = fillTemplate(workload.template, 9_990, 10_000, 7);
    assert.doesNotMatch(body, /\{\{/);
    assert.doesNotThrow(() => JSON.parse(body), workload.name);
  }
});

test('a BatchWriteItem request has 25 distinct keys, also when it wraps around the table', () => {
  const workload = workloadNamed('BatchWriteItem-25');
  const body = JSON.parse(fillTemplate(workload.template, 9_990, 10_000, 7));
  const keys = body.RequestItems.bench.map(({ PutRequest }) => `${PutRequest.Item.pk.S}/${PutRequest.Item.sk.N}`);
  assert.equal(keys.length, 25);
  assert.equal(new Set(keys).size, 25);
  assert.ok(keys.includes('p0000000/0'), 'wraps to the first item');
});

test('every write changes the item it overwrites: the revision is the request sequence', () => {
  for (const name of ['PutItem', 'BatchWriteItem-25', 'TransactWriteItems-2']) {
    const template = workloadNamed(name).template;
    const first = fillTemplate(template, 42, 10_000, 1);
    const second = fillTemplate(template, 42, 10_000, 2);
    assert.notEqual(first, second, name);
    assert.equal(first.replaceAll('"revision":{"N":"1"}', '"revision":{"N":"2"}'), second, name);
  }
  const script = luaScript(workloadNamed('PutItem'), 10_000);
  assert.match(script, /sequence = sequence \+ 1/);
  assert.match(script, /= tostring\(thread_number \* 1000000000 \+ sequence\)/);
});

test('templateSegments alternates literal text and key slots', () => {
  const segments = templateSegments('{"a":"{{PK0}}","b":"{{SK0}}"}');
  assert.deepEqual(segments, ['{"a":"', { slot: 0, part: 'PK' }, '","b":"', { slot: 0, part: 'SK' }, '"}']);
});

test('the Lua script fills each key slot and quotes header names safely', () => {
  const script = luaScript(workloadNamed('GetItem'), 10_000);
  assert.match(script, /local item_count = 10000/);
  assert.match(script, /parts\[2\] = string\.format\("p%07d"/);
  assert.match(script, /\[ \[==\[X-Amz-Target\]==\] \] = \[==\[DynamoDB_20120810\.GetItem\]==\]/);
  // '[[' would open a Lua long string and break the table constructor.
  assert.doesNotMatch(script, /\{ \[\[/);
});

test('parseWrkOutput reads the line that done() prints', () => {
  const stdout = 'Running 1s test\nWRKJSON {"requests":10,"durationMicroseconds":1000000}\n';
  assert.deepEqual(parseWrkOutput(stdout), { requests: 10, durationMicroseconds: 1000000 });
  assert.equal(parseWrkOutput('no figures'), undefined);
});
