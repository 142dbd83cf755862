import { describeOrderFlow } from './order-flow';

// Start-up compiles both services with tsx; generous for a loaded 2-core CI machine.
jest.setTimeout(180_000);

describeOrderFlow('order-flow');
