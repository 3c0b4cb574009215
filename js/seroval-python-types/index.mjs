// seroval plugins for the Python types of seroval for Python.
//
// Each Python type that the Python plugins (seroval.plugins.python) carry is a
// small class here with the same fields, under the same tag, so a value written
// on either side reads back on the other as the same value:
//
//   tag                       JS class (fields, in wire order)
//   seroval-python/Decimal    Decimal(value: string)
//   seroval-python/UUID       UUID(value: string)
//   seroval-python/Path       Path(value: string, flavour: "posix"|"windows", pure: boolean)
//   seroval-python/Enum       Enum(type: string, name: string, value: any)
//   seroval-python/Flag       Flag(type: string, value: number|bigint, names: string[])
//   seroval-python/Dataclass  Dataclass(type: string, fields: object)
//   seroval-python/Model      Model(type: string, fields: object)
//
// The JS text these plugins write calls `new SerovalPython.<Class>(...)`; call
// installGlobal() once where such text is evaluated (the page that runs
// seroval's `serialize` output), so `SerovalPython` is a global there.

import { createPlugin } from 'seroval';

export class Decimal {
  constructor(value) {
    this.value = String(value);
  }
  toString() {
    return this.value;
  }
  toNumber() {
    return Number(this.value);
  }
}

export class UUID {
  constructor(value) {
    this.value = String(value).toLowerCase();
  }
  toString() {
    return this.value;
  }
}

export class Path {
  constructor(value, flavour = 'posix', pure = true) {
    this.value = String(value);
    this.flavour = flavour;
    this.pure = pure;
  }
  toString() {
    return this.value;
  }
}

export class Enum {
  constructor(type, name, value) {
    this.type = type;
    this.name = name;
    this.value = value;
  }
}

export class Flag {
  constructor(type, value, names = []) {
    this.type = type;
    this.value = value;
    this.names = names;
  }
}

export class Dataclass {
  constructor(type, fields) {
    this.type = type;
    this.fields = fields;
  }
}

export class Model {
  constructor(type, fields) {
    this.type = type;
    this.fields = fields;
  }
}

/** The namespace the plugins' JS text refers to as `SerovalPython`. */
export const SerovalPython = Object.freeze({ Decimal, UUID, Path, Enum, Flag, Dataclass, Model });

/** Make `SerovalPython` a global, so text written by `serialize` can be evaluated. */
export function installGlobal(target = globalThis) {
  target.SerovalPython = SerovalPython;
  return SerovalPython;
}

// One plugin per class: `fields` lists the constructor's arguments, in wire order.
function classPlugin(cls, fields) {
  const name = cls.name;
  const parseFields = (value, ctx) => {
    const node = {};
    for (const field of fields) node[field] = ctx.parse(value[field]);
    return node;
  };
  return createPlugin({
    tag: 'seroval-python/' + name,
    test: (value) => value instanceof cls,
    parse: {
      sync: parseFields,
      async: async (value, ctx) => {
        const node = {};
        for (const field of fields) node[field] = await ctx.parse(value[field]);
        return node;
      },
      stream: parseFields,
    },
    serialize(node, ctx) {
      const args = fields.map((field) => ctx.serialize(node[field]));
      return 'new SerovalPython.' + name + '(' + args.join(',') + ')';
    },
    deserialize(node, ctx) {
      return new cls(...fields.map((field) => ctx.deserialize(node[field])));
    },
  });
}

export const DecimalPlugin = classPlugin(Decimal, ['value']);
export const UUIDPlugin = classPlugin(UUID, ['value']);
export const PathPlugin = classPlugin(Path, ['value', 'flavour', 'pure']);
export const EnumPlugin = classPlugin(Enum, ['type', 'name', 'value']);
export const FlagPlugin = classPlugin(Flag, ['type', 'value', 'names']);
export const DataclassPlugin = classPlugin(Dataclass, ['type', 'fields']);
export const ModelPlugin = classPlugin(Model, ['type', 'fields']);

/** Every plugin, in the order the Python side's `python.plugins(...)` lists them. */
export const PythonTypesPlugins = [
  EnumPlugin,
  FlagPlugin,
  DataclassPlugin,
  ModelPlugin,
  DecimalPlugin,
  UUIDPlugin,
  PathPlugin,
];
