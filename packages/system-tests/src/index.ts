export { apiClient, type Api, type ApiResponse, type Json, type RequestOptions } from './api';
export { caughtMails, type CaughtMail } from './mail';
export { openSse, type SseClient, type SseEvent } from './sse';
export { waitFor } from './wait';
export { startSuiteStack, type SuiteStack } from './stack';
