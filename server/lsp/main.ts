import { startServer } from './server';
import { createServerConnection } from './transport';

const lifecycle = { shutdownRequested: false };
startServer(createServerConnection(process.argv.slice(2), () => lifecycle.shutdownRequested), lifecycle);
