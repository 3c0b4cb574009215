// The stream recipe kinds (RECIPES.md, "Async values and settlement steps"):
// promises, async generators and iterables, timed streams and live streams that
// settle at numbered steps, so that seroval's streamed output has one fixed order.
//
// createSchedule() drives the steps; streamKinds(schedule) gives the extra kinds
// for buildValue(recipe, extraKinds). Step 0 is "before the call": whatever is
// due at step 0 happens while the value is built. advance(k) then makes step k
// happen: it opens the gate of step k (async generators and live-stream
// producers wait on gates) and runs the actions of step k (promise settlements
// and stream events), in recipe order.

import { createLiveStream, createStream } from 'seroval';

export function createSchedule() {
  let current = 0;
  let last = 0;
  const actions = new Map();
  const gates = new Map();
  const gateFor = (step) => {
    let gate = gates.get(step);
    if (!gate) {
      let open;
      const promise = new Promise((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
      gates.set(step, gate);
    }
    return gate;
  };
  return {
    get current() {
      return current;
    },
    get last() {
      return last;
    },
    /** Note that something happens at `step` (so the driver runs that far). */
    note(step) {
      if (!Number.isInteger(step) || step < 0) throw new Error('bad step ' + step);
      if (step > last) last = step;
    },
    /** Run `action` at `step`: now if that step has come, else when it does. */
    at(step, action) {
      this.note(step);
      if (step <= current) {
        action();
        return;
      }
      if (!actions.has(step)) actions.set(step, []);
      actions.get(step).push(action);
    },
    /** A promise that resolves once `step` has come. */
    gate(step) {
      this.note(step);
      if (step <= current) return Promise.resolve();
      return gateFor(step).promise;
    },
    /** Make step `step` happen: open its gate, then run its actions in order. */
    advance(step) {
      current = step;
      gateFor(step).open();
      for (const action of actions.get(step) ?? []) action();
      actions.delete(step);
    },
  };
}

const EVENT_KINDS = new Set(['next', 'throw', 'return']);

function checkEvents(events, tag) {
  if (!Array.isArray(events) || events.length === 0) throw new Error(tag + ' needs events');
  events.forEach(([kind, , step], i) => {
    if (!EVENT_KINDS.has(kind)) throw new Error(`bad ${tag} event ${kind}`);
    const terminal = kind !== 'next';
    if (terminal !== (i === events.length - 1)) {
      throw new Error(`${tag}: exactly the last event must be "throw" or "return"`);
    }
    if (!Number.isInteger(step) || step < 0) throw new Error(`bad ${tag} step ${step}`);
  });
}

/** Replays built events from an async generator, each after its step's gate. */
async function* replay(schedule, built) {
  for (const [kind, value, step] of built) {
    await schedule.gate(step);
    if (kind === 'next') yield value;
    else if (kind === 'throw') throw value;
    else return value;
  }
}

/** The extra recipe kinds, bound to one schedule. */
export function streamKinds(schedule) {
  const buildEvents = (events, build, tag) => {
    checkEvents(events, tag);
    return events.map(([kind, r, step]) => {
      schedule.note(step);
      return [kind, build(r), step];
    });
  };
  return {
    promise(r, { build, register }) {
      const [, id, outcome, valueR, step] = r;
      if (outcome !== 'resolve' && outcome !== 'reject') throw new Error('bad outcome ' + outcome);
      let settle;
      const promise = new Promise((resolve, reject) => {
        settle = outcome === 'resolve' ? resolve : reject;
      });
      promise.catch(() => {}); // a rejection seroval never reaches is not an error here
      register(id, promise);
      const value = build(valueR);
      schedule.at(step, () => settle(value));
      return promise;
    },
    asyncgen(r, { build, register }) {
      const [, id, events] = r;
      // The generator body runs only on the first next(), so it may be made (and
      // registered under its id) before its events are built.
      const built = [];
      const generator = register(id, replay(schedule, built));
      built.push(...buildEvents(events, build, 'asyncgen'));
      return generator;
    },
    asynciter(r, { build }) {
      // Only as the value of a [symbol asyncIterator] key: the method, which
      // replays the events afresh on each call.
      const [, events] = r;
      const built = buildEvents(events, build, 'asynciter');
      return {
        async *[Symbol.asyncIterator]() {
          return yield* replay(schedule, built);
        },
      }[Symbol.asyncIterator];
    },
    timedstream(r, { build, register }) {
      const [, id, events] = r;
      const stream = register(id, createStream());
      const built = buildEvents(events, build, 'timedstream');
      for (const [kind, value, step] of built) schedule.at(step, () => stream[kind](value));
      return stream;
    },
    livestream(r, { build, register }) {
      const [, id, events] = r;
      const { stream, producer } = createLiveStream();
      register(id, stream);
      const built = buildEvents(events, build, 'livestream');
      const method = { next: 'write', return: 'close', throw: 'fail' };
      (async () => {
        for (const [kind, value, step] of built) {
          await schedule.gate(step);
          await producer[method[kind]](value);
        }
      })().catch(() => {});
      return stream;
    },
    function(r, { register }) {
      const [, id] = r;
      return register(id, function unsupported() {});
    },
  };
}
