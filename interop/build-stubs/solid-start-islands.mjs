// SolidStart 1.x islands are a server-rendering feature; a client without islands
// gets the component back unchanged (what createClientReference does for non-islands).
export function createIslandReference(component) {
  return component;
}
