export { startApp, type AppServerOptions, type RunningApp } from './server.js';
export { appConfig, accessLevels, apiResources, listenPort, type AppConfig, type AccessLevel, type ApiResource, type AppValues } from './config.js';
export { explainApi, explainSignIn } from './explain.js';
