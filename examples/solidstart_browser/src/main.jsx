import { createSignal, For, Show } from "solid-js";
import { render } from "solid-js/web";
import { countTo, failWith, getThing } from "./server-functions.js";

function App() {
  const [thing, setThing] = createSignal();
  const [items, setItems] = createSignal([]);
  const [counting, setCounting] = createSignal("idle");
  const [error, setError] = createSignal();

  const loadThing = async () => setThing(await getThing(42, new Date("2024-01-02T03:04:05.678Z")));
  const count = async () => {
    setItems([]);
    setCounting("counting");
    for await (const item of await countTo(5)) setItems((list) => [...list, item]);
    setCounting("done");
  };
  const fail = async () => {
    try {
      await failWith("the order is empty");
    } catch (e) {
      setError(`${e instanceof Error ? "Error" : typeof e}: ${e.message}`);
    }
  };

  return (
    <main>
      <h1>SolidStart client, Python server functions</h1>
      <section>
        <button id="thing" onClick={loadThing}>Date and Map</button>
        <Show when={thing()}>
          {(t) => (
            <p id="thing-result">
              id {t().id}; when <time>{t().when.toISOString()}</time> ({t().when instanceof Date ? "a Date" : "not a Date"});
              tags {t().tags instanceof Map ? "a Map" : "not a Map"}:{" "}
              {[...t().tags].map(([k, v]) => `${k}=${v}`).join(", ")}
            </p>
          )}
        </Show>
      </section>
      <section>
        <button id="count" onClick={count}>Async generator</button>
        <ul id="items">
          <For each={items()}>{(item) => <li>{item}</li>}</For>
        </ul>
        <p id="count-state">{counting()}</p>
      </section>
      <section>
        <button id="fail" onClick={fail}>Thrown error</button>
        <Show when={error()}>
          <p id="error" role="alert">{error()}</p>
        </Show>
      </section>
    </main>
  );
}

render(() => <App />, document.getElementById("root"));
