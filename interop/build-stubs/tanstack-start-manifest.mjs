// `tanstack-start-manifest:v`: the asset manifest of an app with no page assets.
export const tsrStartManifest = () => ({ routes: { __root__: {} } });
