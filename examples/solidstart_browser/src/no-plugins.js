// `solid-start:seroval-plugins`: the app adds no seroval plugins.
export default [];
