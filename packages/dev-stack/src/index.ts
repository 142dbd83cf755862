export { startStack, REPO_ROOT, type Stack, type StackOptions, type StackUrls } from './stack';
export { ManagedProcess, StartError } from './managed-process';
export { assertPortsFree, DEFAULT_PORTS, freePort, freeStackPorts, PortInUseError, type StackPorts } from './ports';
export { formatLine, streamSink, type LogSink, type PartName } from './log-format';
