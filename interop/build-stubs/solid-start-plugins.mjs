// `solid-start:seroval-plugins`: the app's `serialization.plugins` (none).
export default [];
