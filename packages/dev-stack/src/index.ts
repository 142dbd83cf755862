export { startStack, NODE_HEAP_FLAGS, REPO_ROOT, type Stack, type StackOptions, type StackUrls } from './stack';
export { ManagedProcess, StartError } from './managed-process';
export {
  assertPortsFree,
  consecutiveReplicaPorts,
  DEFAULT_PORTS,
  freePort,
  freeReplicaPorts,
  freeStackPorts,
  PortInUseError,
  type ReplicaPorts,
  type StackPorts,
} from './ports';
export { formatLine, streamSink, type LogSink, type PartName } from './log-format';
