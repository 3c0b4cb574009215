// JS alone: every class round-trips through toJSON/fromJSON and serialize/eval.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromJSON, serialize, toJSON } from 'seroval';
import { Dataclass, Decimal, Enum, Flag, installGlobal, Model, Path, PythonTypesPlugins as plugins, UUID } from '../index.mjs';

installGlobal();

const values = [
  new Decimal('-1.50E+3'),
  new UUID('12345678-1234-5678-1234-567812345678'),
  new Path('C:\\x', 'windows', true),
  new Enum('Color', 'RED', 1),
  new Flag('Perm', 5n, ['R', 'X']),
  new Dataclass('Point', { x: 1, y: new Date(0) }),
  new Model('User', { name: 'ada', tags: new Set(['a']) }),
];

for (const value of values) {
  test(value.constructor.name, () => {
    assert.deepStrictEqual(fromJSON(toJSON(value, { plugins }), { plugins }), value);
    assert.deepStrictEqual((0, eval)(serialize(value, { plugins })), value);
  });
}
