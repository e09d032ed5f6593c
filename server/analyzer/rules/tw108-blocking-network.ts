import { catalogueRule } from '../catalogue/rule';

export const blockingNetwork = catalogueRule(
  {
    code: 'TW108',
    name: 'blocking-network',
    severity: 'warning',
    fix: 'quick',
    summary: 'socket, DNS, mail, messaging, SSH or cloud SDK call inside async def blocks the event loop',
    description: 'A synchronous network call below HTTP (sockets, DNS lookups, SMTP/FTP/IMAP/POP3, MQTT, RabbitMQ, Kafka, SSH, cloud SDK clients) in an `async def` blocks the whole event loop.',
    skipsTestFiles: true,
    peerCodes: [],
  },
  (entry) => (entry.family === 'dns' ? 'while it waits for the name lookup' : 'while it waits for the network'),
);
