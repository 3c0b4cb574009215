// Types for seroval-python-types (see index.mjs for what each class carries).
import type { Plugin } from 'seroval';

export declare class Decimal { constructor(value: string); value: string; toNumber(): number; }
export declare class UUID { constructor(value: string); value: string; }
export declare class Path {
  constructor(value: string, flavour?: 'posix' | 'windows', pure?: boolean);
  value: string; flavour: 'posix' | 'windows'; pure: boolean;
}
export declare class Enum<V = unknown> { constructor(type: string, name: string | undefined, value: V); type: string; name: string | undefined; value: V; }
export declare class Flag { constructor(type: string, value: number | bigint, names?: string[]); type: string; value: number | bigint; names: string[]; }
export declare class Dataclass<F extends object = Record<string, unknown>> { constructor(type: string, fields: F); type: string; fields: F; }
export declare class Model<F extends object = Record<string, unknown>> { constructor(type: string, fields: F); type: string; fields: F; }

export declare const SerovalPython: {
  readonly Decimal: typeof Decimal; readonly UUID: typeof UUID; readonly Path: typeof Path;
  readonly Enum: typeof Enum; readonly Flag: typeof Flag; readonly Dataclass: typeof Dataclass;
  readonly Model: typeof Model;
};
export declare function installGlobal(target?: object): typeof SerovalPython;

export declare const DecimalPlugin: Plugin<Decimal, any>;
export declare const UUIDPlugin: Plugin<UUID, any>;
export declare const PathPlugin: Plugin<Path, any>;
export declare const EnumPlugin: Plugin<Enum, any>;
export declare const FlagPlugin: Plugin<Flag, any>;
export declare const DataclassPlugin: Plugin<Dataclass, any>;
export declare const ModelPlugin: Plugin<Model, any>;
export declare const PythonTypesPlugins: Plugin<any, any>[];
